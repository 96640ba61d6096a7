package levy

import (
	"context"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// UploadTaxpayerAgreementRequest is UPLOAD_TAXPAYER_AGREEMENT: a PDF of at
// most 10 MB. An EMPOWER_PROTOCOL needs TaxAgentParentID, a
// SUBSTITUTES_PROTOCOL needs TaxAgentLocationID.
type UploadTaxpayerAgreementRequest struct {
	RequestID          string
	IDCard             string
	Name               string
	Cellphone          string
	TaxAgentParentID   int64
	TaxAgentLocationID int64
	ContractID         string
	ContractType       ContractType
	File               File // PDF
}

// Validate reports every bad field (file size only when it is known).
func (r *UploadTaxpayerAgreementRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "request_id", r.RequestID)
	validateTaxpayer(&c, "id_card", r.IDCard, "name", r.Name, "cellphone", r.Cellphone, 20)
	if c.Required("contract_id", r.ContractID) {
		c.MaxRunes("contract_id", r.ContractID, 50)
	}
	if c.Required("contract_type", string(r.ContractType)) {
		validate.OneOf(&c, "contract_type", r.ContractType, ContractTypeEmpower, ContractTypeSubstitutes)
	}
	if r.ContractType == ContractTypeEmpower && r.TaxAgentParentID <= 0 {
		c.Addf("tax_agent_parent_id", "is required for contract_type EMPOWER_PROTOCOL")
	}
	if r.ContractType == ContractTypeSubstitutes && r.TaxAgentLocationID <= 0 {
		c.Addf("tax_agent_location_id", "is required for contract_type SUBSTITUTES_PROTOCOL")
	}
	checkFile(&c, "file_data", r.File, MaxAgreementBytes, true)
	return validationError(NameUploadTaxpayerAgreement, &c)
}

// checkFile validates presence and a known size.
func checkFile(c *validate.Collector, field string, f File, max int64, required bool) {
	if f.empty() {
		if required {
			c.Addf(field, "is required")
		}
		return
	}
	if n, err := f.size(); err != nil {
		c.Addf(field, "cannot be read: %s", strings.TrimPrefix(err.Error(), "levy: file: "))
	} else if n > max {
		c.Addf(field, "is %d bytes, at most %d allowed", n, max)
	}
}

type agreementWire struct {
	RequestID          string       `json:"request_id"`
	IDCard             string       `json:"id_card"`
	Name               string       `json:"name"`
	Cellphone          string       `json:"cellphone"`
	TaxAgentParentID   int64        `json:"tax_agent_parent_id,omitempty"`
	TaxAgentLocationID int64        `json:"tax_agent_location_id,omitempty"`
	ContractID         string       `json:"contract_id"`
	ContractType       ContractType `json:"contract_type"`
	FileData           string       `json:"file_data"`
}

// UploadTaxpayerAgreementResponse is the answer (and the async result).
type UploadTaxpayerAgreementResponse struct {
	RequestID  string          `json:"request_id"`
	Status     AgreementStatus `json:"status"`
	ContractID string          `json:"contract_id"`
	FileID     string          `json:"file_id"`
}

// UploadTaxpayerAgreement uploads a signed agreement PDF, streamed.
//
// Olading API: UPLOAD_TAXPAYER_AGREEMENT (/api/levy/v1).
func (c *Client) UploadTaxpayerAgreement(ctx context.Context, r *UploadTaxpayerAgreementRequest) (*UploadTaxpayerAgreementResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := newPart("file_data", r.File, MaxAgreementBytes, isPDF)
	w := agreementWire{RequestID: r.RequestID, IDCard: r.IDCard, Name: r.Name, Cellphone: r.Cellphone,
		TaxAgentParentID: r.TaxAgentParentID, TaxAgentLocationID: r.TaxAgentLocationID,
		ContractID: r.ContractID, ContractType: r.ContractType, FileData: p.placeholder}
	var out UploadTaxpayerAgreementResponse
	if err := c.upload(ctx, NameUploadTaxpayerAgreement, w, []*filePart{p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddBankVoucherRequest is ADD_BANK_VOUCHER: the bank payment voucher PDF
// of a remit order.
type AddBankVoucherRequest struct {
	OrderID  string
	FileName string // with the .pdf suffix, at most 30 characters
	File     File   // PDF
}

// Validate reports every bad field.
func (r *AddBankVoucherRequest) Validate() error {
	var c validate.Collector
	if c.Required("order_id", r.OrderID) {
		c.MaxRunes("order_id", r.OrderID, 20)
	}
	if c.Required("file_name", r.FileName) {
		c.MaxRunes("file_name", r.FileName, 30)
		if !strings.HasSuffix(strings.ToLower(r.FileName), ".pdf") {
			c.Addf("file_name", "must end in .pdf")
		}
	}
	checkFile(&c, "file", r.File, MaxAgreementBytes, true)
	return validationError(NameAddBankVoucher, &c)
}

// UploadResult is the answer of the uploads that report "SUCCESS"/"FALSE".
type UploadResult struct {
	OrderID   string `json:"order_id,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	Status    string `json:"status"`
}

// OK reports whether the upload succeeded.
func (r *UploadResult) OK() bool { return r.Status == "SUCCESS" }

// AddBankVoucher uploads a payment voucher PDF, streamed.
//
// Olading API: ADD_BANK_VOUCHER (/api/levy/v1).
func (c *Client) AddBankVoucher(ctx context.Context, r *AddBankVoucherRequest) (*UploadResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := newPart("file", r.File, MaxAgreementBytes, isPDF)
	w := struct {
		OrderID  string `json:"order_id"`
		FileName string `json:"file_name"`
		File     string `json:"file"`
	}{r.OrderID, r.FileName, p.placeholder}
	var out UploadResult
	if err := c.upload(ctx, NameAddBankVoucher, w, []*filePart{p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UploadIDCardImageRequest is UPLOAD_ID_CARD_IMAGE: both sides of the ID
// card, each at most 1 MB (uploadWay DIRECT is the only way).
type UploadIDCardImageRequest struct {
	RequestID  string
	IDCardNo   string
	RealName   string
	CellPhone  string
	FrontImage File
	BackImage  File
}

// Validate reports every bad field.
func (r *UploadIDCardImageRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	validateTaxpayer(&c, "idCardNo", r.IDCardNo, "realName", r.RealName, "", "", 0)
	checkFile(&c, "frontImage", r.FrontImage, MaxIDImageBytes, true)
	checkFile(&c, "backImage", r.BackImage, MaxIDImageBytes, true)
	return validationError(NameUploadIDCardImage, &c)
}

// IDCardImageResult is the answer of UPLOAD_ID_CARD_IMAGE and
// QUERY_ID_CARD_IMAGE (and the async result).
type IDCardImageResult struct {
	RequestID  string        `json:"requestId"`
	Status     IDImageStatus `json:"status"`
	FailReason string        `json:"failReason"`
}

// UploadIDCardImage uploads both sides of an ID card.
//
// Olading API: UPLOAD_ID_CARD_IMAGE (/api/tax/v1).
func (c *Client) UploadIDCardImage(ctx context.Context, r *UploadIDCardImageRequest) (*IDCardImageResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	front := newPart("frontImage", r.FrontImage, MaxIDImageBytes, isImage)
	back := newPart("backImage", r.BackImage, MaxIDImageBytes, isImage)
	w := struct {
		RequestID  string    `json:"requestId"`
		IDCardNo   string    `json:"idCardNo"`
		RealName   string    `json:"realName"`
		CellPhone  string    `json:"cellPhone,omitempty"`
		UploadWay  UploadWay `json:"uploadWay"`
		FrontImage string    `json:"frontImage"`
		BackImage  string    `json:"backImage"`
	}{r.RequestID, r.IDCardNo, r.RealName, r.CellPhone, UploadWayDirect, front.placeholder, back.placeholder}
	var out IDCardImageResult
	if err := c.upload(ctx, NameUploadIDCardImage, w, []*filePart{front, back}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// QueryIDCardImageRequest is QUERY_ID_CARD_IMAGE.
type QueryIDCardImageRequest struct {
	RequestID string `json:"requestId"`
	IDCardNo  string `json:"idCardNo"`
}

// Validate reports every bad field.
func (r *QueryIDCardImageRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	if c.Required("idCardNo", r.IDCardNo) {
		c.ExactRunes("idCardNo", r.IDCardNo, 18)
	}
	return validationError(NameQueryIDCardImage, &c)
}

// QueryIDCardImage returns the processing state of uploaded ID images.
//
// Olading API: QUERY_ID_CARD_IMAGE (/api/tax/v1).
func (c *Client) QueryIDCardImage(ctx context.Context, r *QueryIDCardImageRequest) (*IDCardImageResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out IDCardImageResult
	if err := c.call(ctx, NameQueryIDCardImage, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UploadFaceIDVideoFrameRequest is UPLOAD_FACEID_VIDEO_FRAME: a liveness
// video (mp4, avi or flv, at most 15 MB) or, failing that, a frame (jpg, at
// most 5 MB). The video is preferred: when both are given only the video is
// sent.
type UploadFaceIDVideoFrameRequest struct {
	RequestID string
	IDCardNo  string
	Video     File
	Frame     File
}

// Validate reports every bad field.
func (r *UploadFaceIDVideoFrameRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	if c.Required("idCardNo", r.IDCardNo) {
		c.ExactRunes("idCardNo", r.IDCardNo, 18)
	}
	switch {
	case !r.Video.empty():
		checkFile(&c, "videoBase64", r.Video, MaxVideoBytes, true)
	case !r.Frame.empty():
		checkFile(&c, "frameBase64", r.Frame, MaxFrameBytes, true)
	default:
		c.Addf("videoBase64|frameBase64", "one of video and frame is required")
	}
	return validationError(NameUploadFaceIDVideoFrame, &c)
}

// UploadFaceIDVideoFrame uploads a liveness video or frame, streamed.
//
// Olading API: UPLOAD_FACEID_VIDEO_FRAME (/api/levy/v1).
func (c *Client) UploadFaceIDVideoFrame(ctx context.Context, r *UploadFaceIDVideoFrameRequest) (*UploadResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	type wire struct {
		RequestID   string `json:"requestId"`
		IDCardNo    string `json:"idCardNo"`
		VideoBase64 string `json:"videoBase64,omitempty"`
		FrameBase64 string `json:"frameBase64,omitempty"`
	}
	w := wire{RequestID: r.RequestID, IDCardNo: r.IDCardNo}
	var p *filePart
	if !r.Video.empty() {
		p = newPart("videoBase64", r.Video, MaxVideoBytes, isVideo)
		w.VideoBase64 = p.placeholder
	} else {
		p = newPart("frameBase64", r.Frame, MaxFrameBytes, isJPEG)
		w.FrameBase64 = p.placeholder
	}
	var out UploadResult
	if err := c.upload(ctx, NameUploadFaceIDVideoFrame, w, []*filePart{p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
