package levy

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"

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
	TaxAgentParentID   ID
	TaxAgentLocationID ID
	ContractID         string
	ContractType       ContractType
	File               File // PDF
}

// String prints the request with its personal data masked.
func (r UploadTaxpayerAgreementRequest) String() string {
	type plain UploadTaxpayerAgreementRequest
	r.IDCard, r.Name, r.Cellphone = mask.IDCard(r.IDCard), mask.Name(r.Name), mask.Phone(r.Cellphone)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r UploadTaxpayerAgreementRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

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
	validateID(&c, "tax_agent_parent_id", r.TaxAgentParentID)
	validateID(&c, "tax_agent_location_id", r.TaxAgentLocationID)
	if r.ContractType == ContractTypeEmpower && r.TaxAgentParentID == "" {
		c.Addf("tax_agent_parent_id", "is required for contract_type EMPOWER_PROTOCOL")
	}
	if r.ContractType == ContractTypeSubstitutes && r.TaxAgentLocationID == "" {
		c.Addf("tax_agent_location_id", "is required for contract_type SUBSTITUTES_PROTOCOL")
	}
	checkFile(&c, "file_data", r.File, MaxAgreementBytes, true)
	return validationError(OperationUploadTaxpayerAgreement, &c)
}

// checkFile validates presence and a known size.
func checkFile(c *validate.Collector, field string, f File, max int64, required bool) {
	if f.empty() {
		if required {
			c.Addf(field, "is required")
		}
		return
	}
	switch {
	case f.Size < 0:
		c.Addf(field, "has a negative size")
	case max > 0 && f.Size > max:
		c.Addf(field, "is %d bytes, at most %d allowed", f.Size, max)
	}
}

type agreementWire struct {
	RequestID          string       `json:"request_id"`
	IDCard             string       `json:"id_card"`
	Name               string       `json:"name"`
	Cellphone          string       `json:"cellphone"`
	TaxAgentParentID   ID           `json:"tax_agent_parent_id,omitempty"`
	TaxAgentLocationID ID           `json:"tax_agent_location_id,omitempty"`
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
	Metadata   Metadata        `json:"-"`
}

// UploadTaxpayerAgreement uploads a signed agreement PDF, streamed. The
// result comes as an UPLOAD_TAXPAYER_AGREEMENT notification. It has no
// query: after ErrOutcomeUnknown (keyed by the request_id) wait for that
// notification; sending it again with the same contract_id is refused
// (§2.8: "不可重复") if the first one arrived.
//
// Olading API: UPLOAD_TAXPAYER_AGREEMENT (/api/levy/v1).
func (c *Client) UploadTaxpayerAgreement(ctx context.Context, r *UploadTaxpayerAgreementRequest) (*UploadTaxpayerAgreementResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationUploadTaxpayerAgreement)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := newPart("file_data", r.File, MaxAgreementBytes, isPDF)
	w := agreementWire{RequestID: r.RequestID, IDCard: r.IDCard, Name: r.Name, Cellphone: r.Cellphone,
		TaxAgentParentID: r.TaxAgentParentID, TaxAgentLocationID: r.TaxAgentLocationID,
		ContractID: r.ContractID, ContractType: r.ContractType, FileData: p.placeholder}
	var out UploadTaxpayerAgreementResponse
	md, err := c.upload(ctx, OperationUploadTaxpayerAgreement, r.RequestID, w, []*filePart{p}, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationUploadTaxpayerAgreement, r.RequestID, "request_id", out.RequestID); err != nil {
		return nil, err
	}
	if out.ContractID != r.ContractID {
		return nil, &OutcomeUnknownError{Operation: OperationUploadTaxpayerAgreement, Key: r.RequestID,
			Err: fmt.Errorf("%w: the answer's contract_id is not the request's", ErrMalformedResponse)}
	}
	out.Metadata = md
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
	checkFile(&c, "file", r.File, 0, true) // the spec sets no size for a voucher
	return validationError(OperationAddBankVoucher, &c)
}

// AddBankVoucherResponse is ADD_BANK_VOUCHER's answer.
type AddBankVoucherResponse struct {
	OrderID  string       `json:"order_id"`
	Status   UploadStatus `json:"status"`
	Metadata Metadata     `json:"-"`
}

// AddBankVoucher uploads a payment voucher PDF, streamed. It has no query:
// after ErrOutcomeUnknown (keyed by the order_id) check with the provider
// before sending it again.
//
// Olading API: ADD_BANK_VOUCHER (/api/levy/v1).
func (c *Client) AddBankVoucher(ctx context.Context, r *AddBankVoucherRequest) (*AddBankVoucherResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationAddBankVoucher)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	p := newPart("file", r.File, maxUnbounded, isPDF)
	w := struct {
		OrderID  string `json:"order_id"`
		FileName string `json:"file_name"`
		File     string `json:"file"`
	}{r.OrderID, r.FileName, p.placeholder}
	var out AddBankVoucherResponse
	md, err := c.upload(ctx, OperationAddBankVoucher, r.OrderID, w, []*filePart{p}, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationAddBankVoucher, r.OrderID, "order_id", out.OrderID); err != nil {
		return nil, err
	}
	out.Metadata = md
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

// String prints the request with its personal data masked.
func (r UploadIDCardImageRequest) String() string {
	type plain UploadIDCardImageRequest
	r.IDCardNo, r.RealName, r.CellPhone = mask.IDCard(r.IDCardNo), mask.Name(r.RealName), mask.Phone(r.CellPhone)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r UploadIDCardImageRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// Validate reports every bad field.
func (r *UploadIDCardImageRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	validateTaxpayer(&c, "idCardNo", r.IDCardNo, "realName", r.RealName, "", "", 0)
	checkFile(&c, "frontImage", r.FrontImage, MaxIDImageBytes, true)
	checkFile(&c, "backImage", r.BackImage, MaxIDImageBytes, true)
	return validationError(OperationUploadIDCardImage, &c)
}

// UploadIDCardImageResponse is UPLOAD_ID_CARD_IMAGE's answer.
type UploadIDCardImageResponse struct {
	RequestID  string        `json:"requestId"`
	Status     IDImageStatus `json:"status"`
	FailReason string        `json:"failReason"`
	Metadata   Metadata      `json:"-"`
}

// UploadIDCardImage uploads both sides of an ID card. Call SYNC_SIGN first
// (R1); the images must show the name and number sent (R2); only with
// CellPhone is the taxpayer created automatically (R6). The result comes
// as an UPLOAD_ID_CARD_IMAGE notification. After ErrOutcomeUnknown (keyed
// by the requestId) QueryIDCardImage tells what happened (by the ID card,
// §2.11 R1, with a requestId of its own); a new upload needs a new
// requestId ("由商户保持唯一").
//
// Olading API: UPLOAD_ID_CARD_IMAGE (/api/tax/v1).
func (c *Client) UploadIDCardImage(ctx context.Context, r *UploadIDCardImageRequest) (*UploadIDCardImageResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationUploadIDCardImage)
	}
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
	var out UploadIDCardImageResponse
	md, err := c.upload(ctx, OperationUploadIDCardImage, r.RequestID, w, []*filePart{front, back}, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationUploadIDCardImage, r.RequestID, "requestId", out.RequestID); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}

// QueryIDCardImageRequest is QUERY_ID_CARD_IMAGE.
type QueryIDCardImageRequest struct {
	RequestID string `json:"requestId"`
	IDCardNo  string `json:"idCardNo"`
}

// String prints the request with the ID card masked.
func (r QueryIDCardImageRequest) String() string {
	return fmt.Sprintf("{RequestID:%s IDCardNo:%s}", r.RequestID, mask.IDCard(r.IDCardNo))
}

// LogValue masks the ID card.
func (r QueryIDCardImageRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// QueryIDCardImageResponse is QUERY_ID_CARD_IMAGE's answer.
type QueryIDCardImageResponse struct {
	RequestID  string        `json:"requestId"`
	Status     IDImageStatus `json:"status"`
	FailReason string        `json:"failReason"`
	Metadata   Metadata      `json:"-"`
}

// Validate reports every bad field.
func (r *QueryIDCardImageRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	validateIDCard(&c, "idCardNo", r.IDCardNo)
	return validationError(OperationQueryIDCardImage, &c)
}

// QueryIDCardImage returns the processing state of uploaded ID images. An
// answer whose requestId is not the one sent is ErrMalformedResponse: a
// signed answer of another query, replayed. §2.11's answer carries
// requestId but not idCardNo, so the requestId, unique per merchant
// ("由商户保持唯一"), is what binds the answer to the ID card asked: use a
// new one per query.
//
// Olading API: QUERY_ID_CARD_IMAGE (/api/tax/v1).
func (c *Client) QueryIDCardImage(ctx context.Context, r *QueryIDCardImageRequest) (*QueryIDCardImageResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationQueryIDCardImage)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out QueryIDCardImageResponse
	md, err := c.call(ctx, OperationQueryIDCardImage, r.RequestID, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationQueryIDCardImage, r.RequestID, "requestId", out.RequestID); err != nil {
		return nil, err
	}
	out.Metadata = md
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

// String prints the request with the ID card masked.
func (r UploadFaceIDVideoFrameRequest) String() string {
	return fmt.Sprintf("{RequestID:%s IDCardNo:%s Video:%v Frame:%v}", r.RequestID, mask.IDCard(r.IDCardNo), r.Video, r.Frame)
}

// LogValue masks the ID card.
func (r UploadFaceIDVideoFrameRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// UploadFaceIDVideoFrameResponse is UPLOAD_FACEID_VIDEO_FRAME's answer.
type UploadFaceIDVideoFrameResponse struct {
	RequestID string       `json:"requestId"`
	Status    UploadStatus `json:"status"`
	Metadata  Metadata     `json:"-"`
}

// Validate reports every bad field.
func (r *UploadFaceIDVideoFrameRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "requestId", r.RequestID)
	validateIDCard(&c, "idCardNo", r.IDCardNo)
	switch {
	case !r.Video.empty():
		checkFile(&c, "videoBase64", r.Video, MaxVideoBytes, true)
	case !r.Frame.empty():
		checkFile(&c, "frameBase64", r.Frame, MaxFrameBytes, true)
	default:
		c.Addf("videoBase64|frameBase64", "one of video and frame is required")
	}
	return validationError(OperationUploadFaceIDVideoFrame, &c)
}

// UploadFaceIDVideoFrame uploads a liveness video or frame, streamed. It
// has no query: after ErrOutcomeUnknown (keyed by the requestId) check
// with the provider before sending it again.
//
// Olading API: UPLOAD_FACEID_VIDEO_FRAME (/api/levy/v1).
func (c *Client) UploadFaceIDVideoFrame(ctx context.Context, r *UploadFaceIDVideoFrameRequest) (*UploadFaceIDVideoFrameResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationUploadFaceIDVideoFrame)
	}
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
	var out UploadFaceIDVideoFrameResponse
	md, err := c.upload(ctx, OperationUploadFaceIDVideoFrame, r.RequestID, w, []*filePart{p}, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationUploadFaceIDVideoFrame, r.RequestID, "requestId", out.RequestID); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}
