package levy

// Interface names (the envelope's "name"). They are kept in one place so a
// wire name can be corrected once; see doc.go for the resolved ones.
const (
	NameSyncSign                = "SYNC_SIGN"
	NameSignUp                  = "SIGN_UP"
	NameCreateOrder             = "CREATE_ORDER_V2"
	NameCloseOrderNotice        = "CLOSE_ORDER_NOTICE"
	NameConfirmOrder            = "CONFIRM_ORDER_V2"
	NameQuerySignUpBatch        = "QUERY_SIGN_UP_BATCH"
	NameQueryOrder              = "QUERY_ORDER_V2"
	NameUploadTaxpayerAgreement = "UPLOAD_TAXPAYER_AGREEMENT" // the seed writes "UPLOAD_TAXPAYER AGREEMENT"
	NameAddBankVoucher          = "ADD_BANK_VOUCHER"
	NameUploadIDCardImage       = "UPLOAD_ID_CARD_IMAGE"
	NameQueryIDCardImage        = "QUERY_ID_CARD_IMAGE"
	NameUploadFaceIDVideoFrame  = "UPLOAD_FACEID_VIDEO_FRAME"
)

// Base paths: three interfaces live under /api/tax/v1, the rest under
// /api/levy/v1.
const (
	pathLevy = "/api/levy/v1"
	pathTax  = "/api/tax/v1"
)

// BasePath returns the path the interface name is POSTed to.
func BasePath(name string) string {
	switch name {
	case NameSyncSign, NameUploadIDCardImage, NameQueryIDCardImage:
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
	RemitStatusAccept RemitStatus = "ACCEPT"
	RemitStatusRemit  RemitStatus = "REMIT"
	RemitStatusClose  RemitStatus = "CLOSE"
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
