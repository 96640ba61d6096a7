package levy

import "github.com/bizapi-cn/go-sdk/levy/notify"

// Operation is notify.Operation; see there.
type Operation = notify.Operation

// Interface names: notify's; see there.
const (
	OperationSyncSign                = notify.OperationSyncSign
	OperationSignUp                  = notify.OperationSignUp
	OperationCreateOrder             = notify.OperationCreateOrder
	OperationCloseOrderNotice        = notify.OperationCloseOrderNotice
	OperationConfirmOrder            = notify.OperationConfirmOrder
	OperationQuerySignUpBatch        = notify.OperationQuerySignUpBatch
	OperationQueryOrder              = notify.OperationQueryOrder
	OperationUploadTaxpayerAgreement = notify.OperationUploadTaxpayerAgreement
	OperationAddBankVoucher          = notify.OperationAddBankVoucher
	OperationUploadIDCardImage       = notify.OperationUploadIDCardImage
	OperationQueryIDCardImage        = notify.OperationQueryIDCardImage
	OperationUploadFaceIDVideoFrame  = notify.OperationUploadFaceIDVideoFrame
)

// Base paths: three interfaces live under /api/tax/v1, the rest under
// /api/levy/v1.
const (
	pathLevy = "/api/levy/v1"
	pathTax  = "/api/tax/v1"
)

// basePath returns the path the interface is POSTed to.
func basePath(op Operation) string {
	switch op {
	case OperationSyncSign, OperationUploadIDCardImage, OperationQueryIDCardImage:
		return pathTax
	}
	return pathLevy
}

// OrderStatus is notify.OrderStatus; see there.
type OrderStatus = notify.OrderStatus

// Order states: notify's; see there.
const (
	OrderStatusAccept  = notify.OrderStatusAccept
	OrderStatusProcess = notify.OrderStatusProcess
	OrderStatusClose   = notify.OrderStatusClose
)

// RemitStatus is notify.RemitStatus; see there.
type RemitStatus = notify.RemitStatus

// Remit states: notify's; see there.
const (
	RemitStatusAccept  = notify.RemitStatusAccept
	RemitStatusProcess = notify.RemitStatusProcess
	RemitStatusRemit   = notify.RemitStatusRemit
	RemitStatusClose   = notify.RemitStatusClose
)

// TaxMode is appendix 3.4.
type TaxMode string

// Invoice modes.
const (
	TaxModeGeneral TaxMode = "GENERAL" // 普票
	TaxModeSpecial TaxMode = "SPECIAL" // 专票
)

// SignStatus is notify.SignStatus; see there.
type SignStatus = notify.SignStatus

// Sign states: notify's; see there.
const (
	SignStatusAccept = notify.SignStatusAccept
	SignStatusSign   = notify.SignStatusSign
	SignStatusUnSign = notify.SignStatusUnSign
)

// AgreementStatus is notify.AgreementStatus; see there.
type AgreementStatus = notify.AgreementStatus

// Agreement upload states: notify's; see there.
const (
	AgreementStatusAccept  = notify.AgreementStatusAccept
	AgreementStatusSuccess = notify.AgreementStatusSuccess
	AgreementStatusFail    = notify.AgreementStatusFail
)

// ContractType is appendix 3.7.
type ContractType string

// Contract types.
const (
	ContractTypeEmpower     ContractType = "EMPOWER_PROTOCOL"     // 授权协议: needs tax_agent_parent_id
	ContractTypeSubstitutes ContractType = "SUBSTITUTES_PROTOCOL" // 代征协议: needs tax_agent_location_id
)

// IDImageStatus is notify.IDImageStatus; see there.
type IDImageStatus = notify.IDImageStatus

// ID card image states: notify's; see there.
const (
	IDImageStatusAccept          = notify.IDImageStatusAccept
	IDImageStatusIdentifySuccess = notify.IDImageStatusIdentifySuccess
	IDImageStatusIdentifyFail    = notify.IDImageStatusIdentifyFail
	IDImageStatusNull            = notify.IDImageStatusNull
	IDImageStatusUnIdentify      = notify.IDImageStatusUnIdentify
)

// NextStep is notify.NextStep; see there.
type NextStep = notify.NextStep

// Confirmation choices: notify's; see there.
const (
	NextStepContinue = notify.NextStepContinue
	NextStepCancel   = notify.NextStepCancel
)

// UploadWay is UPLOAD_ID_CARD_IMAGE's uploadWay; only DIRECT exists.
type UploadWay string

// UploadWayDirect uploads the images in the request.
const UploadWayDirect UploadWay = "DIRECT"

// UploadStatus is the status of ADD_BANK_VOUCHER's and
// UPLOAD_FACEID_VIDEO_FRAME's answers.
type UploadStatus string

// Upload results ("FALSE" is the seed's spelling).
const (
	UploadStatusSuccess UploadStatus = "SUCCESS"
	UploadStatusFalse   UploadStatus = "FALSE"
)

// Code is notify.Code; see there.
type Code = notify.Code

// Response codes: notify's; see there.
const (
	CodeOK                   = notify.CodeOK
	CodeSystemFailure        = notify.CodeSystemFailure
	CodeIncompleteParameters = notify.CodeIncompleteParameters
	CodeSignatureFailure     = notify.CodeSignatureFailure
	CodeQuotaExceeded        = notify.CodeQuotaExceeded
	CodeAuthenticationFailed = notify.CodeAuthenticationFailed
)
