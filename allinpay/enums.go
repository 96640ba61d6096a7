package allinpay

import "github.com/bizapi-cn/go-sdk/allinpay/notify"

// TransType is notify.TransType; see there.
type TransType = notify.TransType

// Transaction types: see notify.
const (
	TransTypeWxpayScancode     = notify.TransTypeWxpayScancode
	TransTypeWxpayMicropay     = notify.TransTypeWxpayMicropay
	TransTypeWxpayApp          = notify.TransTypeWxpayApp
	TransTypeWxpayMinapp       = notify.TransTypeWxpayMinapp
	TransTypeWxpayBranchMP     = notify.TransTypeWxpayBranchMP
	TransTypeWxpayCancel       = notify.TransTypeWxpayCancel
	TransTypeWxpayReturn       = notify.TransTypeWxpayReturn
	TransTypeAlipayScancode    = notify.TransTypeAlipayScancode
	TransTypeAlipayMicropay    = notify.TransTypeAlipayMicropay
	TransTypeAlipayPCWeb       = notify.TransTypeAlipayPCWeb
	TransTypeAlipayH5          = notify.TransTypeAlipayH5
	TransTypeAlipayApp         = notify.TransTypeAlipayApp
	TransTypeAlipayCancel      = notify.TransTypeAlipayCancel
	TransTypeAlipayReturn      = notify.TransTypeAlipayReturn
	TransTypeUnionpayScancode  = notify.TransTypeUnionpayScancode
	TransTypeUnionpayMicropay  = notify.TransTypeUnionpayMicropay
	TransTypeUnionpayCancel    = notify.TransTypeUnionpayCancel
	TransTypeUnionpayReturn    = notify.TransTypeUnionpayReturn
	TransTypePaynowScancode    = notify.TransTypePaynowScancode
	TransTypePaynowReturn      = notify.TransTypePaynowReturn
	TransTypePaynowCancel      = notify.TransTypePaynowCancel
	TransTypeCloseOrder        = notify.TransTypeCloseOrder
	TransTypeTransQuery        = notify.TransTypeTransQuery
	TransTypeDownloadCheckBill = notify.TransTypeDownloadCheckBill
)

// Kind is notify.Kind; see there.
type Kind = notify.Kind

// Kinds: see notify.
const (
	KindPayment = notify.KindPayment
	KindRefund  = notify.KindRefund
	KindVoid    = notify.KindVoid
	KindClose   = notify.KindClose
	KindOther   = notify.KindOther
)

// Currency is notify.Currency; see there.
type Currency = notify.Currency

// Currencies: see notify.
const (
	CurrencyCNY = notify.CurrencyCNY
	CurrencyHKD = notify.CurrencyHKD
	CurrencyUSD = notify.CurrencyUSD
	CurrencyCAD = notify.CurrencyCAD
	CurrencySGD = notify.CurrencySGD
)

// ResultCode is notify.ResultCode; see there.
type ResultCode = notify.ResultCode

// Result codes (§1.7.2): see notify for the spec's explanation of each.
const (
	ResultCodeSuccess                     = notify.ResultCodeSuccess
	ResultCodeProcessing                  = notify.ResultCodeProcessing
	ResultCodeUnconfirmed                 = notify.ResultCodeUnconfirmed
	ResultCodeIllegalParameters           = notify.ResultCodeIllegalParameters
	ResultCodeMerchantIDMissing           = notify.ResultCodeMerchantIDMissing
	ResultCodeOutTransNoMissing           = notify.ResultCodeOutTransNoMissing
	ResultCodePhoneMissing                = notify.ResultCodePhoneMissing
	ResultCodeAmountMissing               = notify.ResultCodeAmountMissing
	ResultCodeCardNoMissing               = notify.ResultCodeCardNoMissing
	ResultCodeOrderNotExist               = notify.ResultCodeOrderNotExist
	ResultCodeTransactionAtRisk           = notify.ResultCodeTransactionAtRisk
	ResultCodeSignatureMissing            = notify.ResultCodeSignatureMissing
	ResultCodeMerchantNotExist            = notify.ResultCodeMerchantNotExist
	ResultCodeMerchantAbnormal            = notify.ResultCodeMerchantAbnormal
	ResultCodeSignatureFailure            = notify.ResultCodeSignatureFailure
	ResultCodeKeyNotExist                 = notify.ResultCodeKeyNotExist
	ResultCodeKeyIneffective              = notify.ResultCodeKeyIneffective
	ResultCodeProductNotExist             = notify.ResultCodeProductNotExist
	ResultCodeProductAbnormal             = notify.ResultCodeProductAbnormal
	ResultCodeUnauthorized                = notify.ResultCodeUnauthorized
	ResultCodeOrderCreationFailed         = notify.ResultCodeOrderCreationFailed
	ResultCodeOrderRecurrent              = notify.ResultCodeOrderRecurrent
	ResultCodeAmountOverLimit             = notify.ResultCodeAmountOverLimit
	ResultCodeOrderToBeVoided             = notify.ResultCodeOrderToBeVoided
	ResultCodeOriginalNotExist            = notify.ResultCodeOriginalNotExist
	ResultCodeOriginalAbnormal            = notify.ResultCodeOriginalAbnormal
	ResultCodeIllegalAmount               = notify.ResultCodeIllegalAmount
	ResultCodeOriginalVoided              = notify.ResultCodeOriginalVoided
	ResultCodeOriginalVoidOrRefundStarted = notify.ResultCodeOriginalVoidOrRefundStarted
	ResultCodeNoVoidSupport               = notify.ResultCodeNoVoidSupport
	ResultCodeVoidProcessing              = notify.ResultCodeVoidProcessing
	ResultCodeRefundProcessing            = notify.ResultCodeRefundProcessing
	ResultCodeNotAllowedNow               = notify.ResultCodeNotAllowedNow
	ResultCodeNoRefundSupport             = notify.ResultCodeNoRefundSupport
	ResultCodePaidCannotClose             = notify.ResultCodePaidCannotClose
	ResultCodeOrderClosed                 = notify.ResultCodeOrderClosed
	ResultCodeOrderAbnormal               = notify.ResultCodeOrderAbnormal
	ResultCodeAccessOrgWrong              = notify.ResultCodeAccessOrgWrong
	ResultCodeAccessOrgAbnormal           = notify.ResultCodeAccessOrgAbnormal
	ResultCodeUnauthorizedTransaction     = notify.ResultCodeUnauthorizedTransaction
	ResultCodeFileTooLarge                = notify.ResultCodeFileTooLarge
	ResultCodeOrgAbnormal                 = notify.ResultCodeOrgAbnormal
	ResultCodeTransactionProcessing       = notify.ResultCodeTransactionProcessing
	ResultCodeAmountMismatch              = notify.ResultCodeAmountMismatch
	ResultCodePartiallyRefunded           = notify.ResultCodePartiallyRefunded
	ResultCodeMissionExecuting            = notify.ResultCodeMissionExecuting
	ResultCodeOrderPaid                   = notify.ResultCodeOrderPaid
	ResultCodeQRCodeExpired               = notify.ResultCodeQRCodeExpired
	ResultCodeCardTypeUnsupported         = notify.ResultCodeCardTypeUnsupported
	ResultCodeAuthCodeWrong               = notify.ResultCodeAuthCodeWrong
	ResultCodeAuthCodeVerifyFailed        = notify.ResultCodeAuthCodeVerifyFailed
	ResultCodeWechatPayIDWrong            = notify.ResultCodeWechatPayIDWrong
	ResultCodeWechatAppIDNotExist         = notify.ResultCodeWechatAppIDNotExist
	ResultCodeWechatMchIDNotExist         = notify.ResultCodeWechatMchIDNotExist
	ResultCodeWechatAppIDMismatch         = notify.ResultCodeWechatAppIDMismatch
	ResultCodeChannelLinkNotExist         = notify.ResultCodeChannelLinkNotExist
	ResultCodeChannelTerminalSignedIn     = notify.ResultCodeChannelTerminalSignedIn
	ResultCodeOrderLimit                  = notify.ResultCodeOrderLimit
	ResultCodeDayLimit                    = notify.ResultCodeDayLimit
	ResultCodeBelowMinimum                = notify.ResultCodeBelowMinimum
	ResultCodeDayCountLimit               = notify.ResultCodeDayCountLimit
	ResultCodeProductLacksRate            = notify.ResultCodeProductLacksRate
	ResultCodeOneT1Rate                   = notify.ResultCodeOneT1Rate
	ResultCodeProductNotUsed              = notify.ResultCodeProductNotUsed
	ResultCodeRateAboveOne                = notify.ResultCodeRateAboveOne
	ResultCodeRateBelowOrg                = notify.ResultCodeRateBelowOrg
	ResultCodeMinimumBelowOrg             = notify.ResultCodeMinimumBelowOrg
	ResultCodeSystemKeyWrong              = notify.ResultCodeSystemKeyWrong
	ResultCodeTimeFormatWrong             = notify.ResultCodeTimeFormatWrong
	ResultCodeSystemBusy                  = notify.ResultCodeSystemBusy
	ResultCodeFailed                      = notify.ResultCodeFailed
	ResultCodeUnknown                     = notify.ResultCodeUnknown
	ResultCodeOrderToBeVoidedR            = notify.ResultCodeOrderToBeVoidedR
)

// Meaning is notify.Meaning; see there.
type Meaning = notify.Meaning

// Meanings: see notify.
const (
	MeaningRefused        = notify.MeaningRefused
	MeaningSuccess        = notify.MeaningSuccess
	MeaningProcessing     = notify.MeaningProcessing
	MeaningRetryLater     = notify.MeaningRetryLater
	MeaningOutcomeUnknown = notify.MeaningOutcomeUnknown
	MeaningQueryOrder     = notify.MeaningQueryOrder
)

// payTypes are the types the payment interface takes.
var payTypes = notify.PaymentTypes()

// advice is what the error text of an *APIError of meaning m adds.
func advice(m Meaning) string {
	switch m {
	case MeaningProcessing:
		return "processing: query the order, no sooner than 10 s"
	case MeaningRetryLater:
		return "system busy: retry later"
	case MeaningOutcomeUnknown:
		return "outcome unknown: query the order"
	case MeaningQueryOrder:
		return "the order exists: query it"
	}
	return ""
}

// ReturnCode is the communication status of §1.7.1.
type ReturnCode string

// ReturnCodeSuccess is the returnCode of a message that was communicated;
// every other code is a failure.
const ReturnCodeSuccess ReturnCode = "0000"
