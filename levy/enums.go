package levy

// Operation is an interface name, the envelope's "name": what a call
// sends, what an answer echoes and what a notification reports. The names
// are kept in one place so a wire name can be corrected once; see doc.go
// for the resolved ones.
type Operation string

// Interface names.
const (
	OperationSyncSign                = Operation("SYNC_SIGN")
	OperationSignUp                  = Operation("SIGN_UP")
	OperationCreateOrder             = Operation("CREATE_ORDER_V2")
	OperationCloseOrderNotice        = Operation("CLOSE_ORDER_NOTICE") // a notification only
	OperationConfirmOrder            = Operation("CONFIRM_ORDER_V2")
	OperationQuerySignUpBatch        = Operation("QUERY_SIGN_UP_BATCH")
	OperationQueryOrder              = Operation("QUERY_ORDER_V2")
	OperationUploadTaxpayerAgreement = Operation("UPLOAD_TAXPAYER_AGREEMENT") // the seed writes "UPLOAD_TAXPAYER AGREEMENT"
	OperationAddBankVoucher          = Operation("ADD_BANK_VOUCHER")
	OperationUploadIDCardImage       = Operation("UPLOAD_ID_CARD_IMAGE")
	OperationQueryIDCardImage        = Operation("QUERY_ID_CARD_IMAGE")
	OperationUploadFaceIDVideoFrame  = Operation("UPLOAD_FACEID_VIDEO_FRAME")
)

// String returns the wire name.
func (o Operation) String() string { return string(o) }

// ChangesState reports whether a call of o changes the provider's state
// (everything but the three queries): such a call is never repeated after
// its request may have left, and an answer that is not verified and fully
// decoded is ErrOutcomeUnknown.
func (o Operation) ChangesState() bool {
	switch o {
	case OperationQueryOrder, OperationQuerySignUpBatch, OperationQueryIDCardImage:
		return false
	}
	return true
}

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

// OrderStatus is appendix 3.2.
type OrderStatus string

// Order states.
const (
	OrderStatusAccept  OrderStatus = "ACCEPT"
	OrderStatusProcess OrderStatus = "PROCESS"
	OrderStatusClose   OrderStatus = "CLOSE"
)

// RemitStatus is appendix 3.3.
type RemitStatus string

// Remit states.
const (
	RemitStatusAccept  RemitStatus = "ACCEPT"
	RemitStatusProcess RemitStatus = "PROCESS" // §2.5: confirmed CONTINUE, tax being paid (irrevocable); §3.3 omits it
	RemitStatusRemit   RemitStatus = "REMIT"
	RemitStatusClose   RemitStatus = "CLOSE"
)

// TaxMode is appendix 3.4.
type TaxMode string

// Invoice modes.
const (
	TaxModeGeneral TaxMode = "GENERAL" // 普票
	TaxModeSpecial TaxMode = "SPECIAL" // 专票
)

// SignStatus is appendix 3.5.
type SignStatus string

// Sign states.
const (
	SignStatusAccept SignStatus = "ACCEPT"
	SignStatusSign   SignStatus = "SIGN"
	SignStatusUnSign SignStatus = "UN_SIGN"
)

// AgreementStatus is appendix 3.6.
type AgreementStatus string

// Agreement upload states.
const (
	AgreementStatusAccept  AgreementStatus = "ACCEPT"
	AgreementStatusSuccess AgreementStatus = "SUCCESS"
	AgreementStatusFail    AgreementStatus = "FAIL"
)

// ContractType is appendix 3.7.
type ContractType string

// Contract types.
const (
	ContractTypeEmpower     ContractType = "EMPOWER_PROTOCOL"     // 授权协议: needs tax_agent_parent_id
	ContractTypeSubstitutes ContractType = "SUBSTITUTES_PROTOCOL" // 代征协议: needs tax_agent_location_id
)

// IDImageStatus is appendix 3.8.
type IDImageStatus string

// ID card image states.
const (
	IDImageStatusAccept          IDImageStatus = "ACCEPT"
	IDImageStatusIdentifySuccess IDImageStatus = "IDENTIFY_SUCCESS"
	IDImageStatusIdentifyFail    IDImageStatus = "IDENTIFY_FAIL"
	IDImageStatusNull            IDImageStatus = "NULL"
	IDImageStatusUnIdentify      IDImageStatus = "UN_IDENTIFY"
)

// NextStep is CONFIRM_ORDER_V2's next_step.
type NextStep string

// Confirmation choices.
const (
	NextStepContinue NextStep = "CONTINUE"
	NextStepCancel   NextStep = "CANCEL"
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

// Code is a response code of appendix 3.1.
type Code string

// Response codes.
const (
	CodeOK                   Code = "0"
	CodeSystemFailure        Code = "0001"
	CodeIncompleteParameters Code = "0002"
	CodeSignatureFailure     Code = "0003"
	CodeQuotaExceeded        Code = "1009"
	CodeAuthenticationFailed Code = "1010"
)

// Temporary reports whether the code may go away by itself: only 0001
// (系统失败). A query answered 0001 is retried like a 5xx; 0002 and 0003
// are the request's fault, 1009 and 1010 the taxpayer's, and stay.
func (c Code) Temporary() bool { return c == CodeSystemFailure }
