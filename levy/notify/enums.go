package notify

// Operation is an interface name, the envelope's "name": what a call
// sends, what an answer echoes and what a notification reports. The names
// are kept in one place so a wire name can be corrected once; see the
// levy package doc for the resolved ones.
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
// decoded is levy.ErrOutcomeUnknown.
func (o Operation) ChangesState() bool {
	switch o {
	case OperationQueryOrder, OperationQuerySignUpBatch, OperationQueryIDCardImage:
		return false
	}
	return true
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

// NextStep is CONFIRM_ORDER_V2's next_step: the step a host confirmed a
// remit order with, which RemitOrder.Paid and Cancelled take.
type NextStep string

// Confirmation choices.
const (
	NextStepContinue NextStep = "CONTINUE"
	NextStepCancel   NextStep = "CANCEL"
)

// Code is a response code of appendix 3.1, an answer's or a
// notification's.
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
