package allinpay

import "github.com/bizapi-cn/go-sdk/allinpay/notify"

// TransType is notify.TransType; see there.
type TransType = notify.TransType

// Transaction types: see notify.
const (
	TransTypeWxpayScancode     TransType = notify.TransTypeWxpayScancode
	TransTypeWxpayMicropay     TransType = notify.TransTypeWxpayMicropay
	TransTypeWxpayApp          TransType = notify.TransTypeWxpayApp
	TransTypeWxpayMinapp       TransType = notify.TransTypeWxpayMinapp
	TransTypeWxpayBranchMP     TransType = notify.TransTypeWxpayBranchMP
	TransTypeWxpayCancel       TransType = notify.TransTypeWxpayCancel
	TransTypeWxpayReturn       TransType = notify.TransTypeWxpayReturn
	TransTypeAlipayScancode    TransType = notify.TransTypeAlipayScancode
	TransTypeAlipayMicropay    TransType = notify.TransTypeAlipayMicropay
	TransTypeAlipayPCWeb       TransType = notify.TransTypeAlipayPCWeb
	TransTypeAlipayH5          TransType = notify.TransTypeAlipayH5
	TransTypeAlipayApp         TransType = notify.TransTypeAlipayApp
	TransTypeAlipayCancel      TransType = notify.TransTypeAlipayCancel
	TransTypeAlipayReturn      TransType = notify.TransTypeAlipayReturn
	TransTypeUnionpayScancode  TransType = notify.TransTypeUnionpayScancode
	TransTypeUnionpayMicropay  TransType = notify.TransTypeUnionpayMicropay
	TransTypeUnionpayCancel    TransType = notify.TransTypeUnionpayCancel
	TransTypeUnionpayReturn    TransType = notify.TransTypeUnionpayReturn
	TransTypePaynowScancode    TransType = notify.TransTypePaynowScancode
	TransTypePaynowReturn      TransType = notify.TransTypePaynowReturn
	TransTypePaynowCancel      TransType = notify.TransTypePaynowCancel
	TransTypeCloseOrder        TransType = notify.TransTypeCloseOrder
	TransTypeTransQuery        TransType = notify.TransTypeTransQuery
	TransTypeDownloadCheckBill TransType = notify.TransTypeDownloadCheckBill
)

// Kind is notify.Kind; see there.
type Kind = notify.Kind

// Kinds: see notify.
const (
	KindPayment Kind = notify.KindPayment
	KindRefund  Kind = notify.KindRefund
	KindVoid    Kind = notify.KindVoid
	KindClose   Kind = notify.KindClose
	KindOther   Kind = notify.KindOther
)

// Currency is notify.Currency; see there.
type Currency = notify.Currency

// Currencies: see notify.
const (
	CurrencyCNY Currency = notify.CurrencyCNY
	CurrencyHKD Currency = notify.CurrencyHKD
	CurrencyUSD Currency = notify.CurrencyUSD
	CurrencyCAD Currency = notify.CurrencyCAD
	CurrencySGD Currency = notify.CurrencySGD
)

// ResultCode is notify.ResultCode; see there.
type ResultCode = notify.ResultCode

// Result codes (§1.7.2): see notify for the spec's explanation of each.
const (
	ResultCodeSuccess                     ResultCode = notify.ResultCodeSuccess
	ResultCodeProcessing                  ResultCode = notify.ResultCodeProcessing
	ResultCodeUnconfirmed                 ResultCode = notify.ResultCodeUnconfirmed
	ResultCodeIllegalParameters           ResultCode = notify.ResultCodeIllegalParameters
	ResultCodeMerchantIDMissing           ResultCode = notify.ResultCodeMerchantIDMissing
	ResultCodeOutTransNoMissing           ResultCode = notify.ResultCodeOutTransNoMissing
	ResultCodePhoneMissing                ResultCode = notify.ResultCodePhoneMissing
	ResultCodeAmountMissing               ResultCode = notify.ResultCodeAmountMissing
	ResultCodeCardNoMissing               ResultCode = notify.ResultCodeCardNoMissing
	ResultCodeOrderNotExist               ResultCode = notify.ResultCodeOrderNotExist
	ResultCodeTransactionAtRisk           ResultCode = notify.ResultCodeTransactionAtRisk
	ResultCodeSignatureMissing            ResultCode = notify.ResultCodeSignatureMissing
	ResultCodeMerchantNotExist            ResultCode = notify.ResultCodeMerchantNotExist
	ResultCodeMerchantAbnormal            ResultCode = notify.ResultCodeMerchantAbnormal
	ResultCodeSignatureFailure            ResultCode = notify.ResultCodeSignatureFailure
	ResultCodeKeyNotExist                 ResultCode = notify.ResultCodeKeyNotExist
	ResultCodeKeyIneffective              ResultCode = notify.ResultCodeKeyIneffective
	ResultCodeProductNotExist             ResultCode = notify.ResultCodeProductNotExist
	ResultCodeProductAbnormal             ResultCode = notify.ResultCodeProductAbnormal
	ResultCodeUnauthorized                ResultCode = notify.ResultCodeUnauthorized
	ResultCodeOrderCreationFailed         ResultCode = notify.ResultCodeOrderCreationFailed
	ResultCodeOrderRecurrent              ResultCode = notify.ResultCodeOrderRecurrent
	ResultCodeAmountOverLimit             ResultCode = notify.ResultCodeAmountOverLimit
	ResultCodeOrderToBeVoided             ResultCode = notify.ResultCodeOrderToBeVoided
	ResultCodeOriginalNotExist            ResultCode = notify.ResultCodeOriginalNotExist
	ResultCodeOriginalAbnormal            ResultCode = notify.ResultCodeOriginalAbnormal
	ResultCodeIllegalAmount               ResultCode = notify.ResultCodeIllegalAmount
	ResultCodeOriginalVoided              ResultCode = notify.ResultCodeOriginalVoided
	ResultCodeOriginalVoidOrRefundStarted ResultCode = notify.ResultCodeOriginalVoidOrRefundStarted
	ResultCodeNoVoidSupport               ResultCode = notify.ResultCodeNoVoidSupport
	ResultCodeVoidProcessing              ResultCode = notify.ResultCodeVoidProcessing
	ResultCodeRefundProcessing            ResultCode = notify.ResultCodeRefundProcessing
	ResultCodeNotAllowedNow               ResultCode = notify.ResultCodeNotAllowedNow
	ResultCodeNoRefundSupport             ResultCode = notify.ResultCodeNoRefundSupport
	ResultCodePaidCannotClose             ResultCode = notify.ResultCodePaidCannotClose
	ResultCodeOrderClosed                 ResultCode = notify.ResultCodeOrderClosed
	ResultCodeOrderAbnormal               ResultCode = notify.ResultCodeOrderAbnormal
	ResultCodeAccessOrgWrong              ResultCode = notify.ResultCodeAccessOrgWrong
	ResultCodeAccessOrgAbnormal           ResultCode = notify.ResultCodeAccessOrgAbnormal
	ResultCodeUnauthorizedTransaction     ResultCode = notify.ResultCodeUnauthorizedTransaction
	ResultCodeFileTooLarge                ResultCode = notify.ResultCodeFileTooLarge
	ResultCodeOrgAbnormal                 ResultCode = notify.ResultCodeOrgAbnormal
	ResultCodeTransactionProcessing       ResultCode = notify.ResultCodeTransactionProcessing
	ResultCodeAmountMismatch              ResultCode = notify.ResultCodeAmountMismatch
	ResultCodePartiallyRefunded           ResultCode = notify.ResultCodePartiallyRefunded
	ResultCodeMissionExecuting            ResultCode = notify.ResultCodeMissionExecuting
	ResultCodeOrderPaid                   ResultCode = notify.ResultCodeOrderPaid
	ResultCodeQRCodeExpired               ResultCode = notify.ResultCodeQRCodeExpired
	ResultCodeCardTypeUnsupported         ResultCode = notify.ResultCodeCardTypeUnsupported
	ResultCodeAuthCodeWrong               ResultCode = notify.ResultCodeAuthCodeWrong
	ResultCodeAuthCodeVerifyFailed        ResultCode = notify.ResultCodeAuthCodeVerifyFailed
	ResultCodeWechatPayIDWrong            ResultCode = notify.ResultCodeWechatPayIDWrong
	ResultCodeWechatAppIDNotExist         ResultCode = notify.ResultCodeWechatAppIDNotExist
	ResultCodeWechatMchIDNotExist         ResultCode = notify.ResultCodeWechatMchIDNotExist
	ResultCodeWechatAppIDMismatch         ResultCode = notify.ResultCodeWechatAppIDMismatch
	ResultCodeChannelLinkNotExist         ResultCode = notify.ResultCodeChannelLinkNotExist
	ResultCodeChannelTerminalSignedIn     ResultCode = notify.ResultCodeChannelTerminalSignedIn
	ResultCodeOrderLimit                  ResultCode = notify.ResultCodeOrderLimit
	ResultCodeDayLimit                    ResultCode = notify.ResultCodeDayLimit
	ResultCodeBelowMinimum                ResultCode = notify.ResultCodeBelowMinimum
	ResultCodeDayCountLimit               ResultCode = notify.ResultCodeDayCountLimit
	ResultCodeProductLacksRate            ResultCode = notify.ResultCodeProductLacksRate
	ResultCodeOneT1Rate                   ResultCode = notify.ResultCodeOneT1Rate
	ResultCodeProductNotUsed              ResultCode = notify.ResultCodeProductNotUsed
	ResultCodeRateAboveOne                ResultCode = notify.ResultCodeRateAboveOne
	ResultCodeRateBelowOrg                ResultCode = notify.ResultCodeRateBelowOrg
	ResultCodeMinimumBelowOrg             ResultCode = notify.ResultCodeMinimumBelowOrg
	ResultCodeSystemKeyWrong              ResultCode = notify.ResultCodeSystemKeyWrong
	ResultCodeTimeFormatWrong             ResultCode = notify.ResultCodeTimeFormatWrong
	ResultCodeSystemBusy                  ResultCode = notify.ResultCodeSystemBusy
	ResultCodeFailed                      ResultCode = notify.ResultCodeFailed
	ResultCodeUnknown                     ResultCode = notify.ResultCodeUnknown
	ResultCodeOrderToBeVoidedR            ResultCode = notify.ResultCodeOrderToBeVoidedR
)

// Meaning is notify.Meaning; see there.
type Meaning = notify.Meaning

// Meanings: see notify.
const (
	MeaningRefused        Meaning = notify.MeaningRefused
	MeaningSuccess        Meaning = notify.MeaningSuccess
	MeaningProcessing     Meaning = notify.MeaningProcessing
	MeaningRetryLater     Meaning = notify.MeaningRetryLater
	MeaningOutcomeUnknown Meaning = notify.MeaningOutcomeUnknown
	MeaningQueryOrder     Meaning = notify.MeaningQueryOrder
)

// payTypes are the types the payment interface takes.
var payTypes = notify.PaymentTypes()

// earlierPending reports 0033 and 0034: a refusal because an earlier void
// or refund of the same original transaction is still processing.
func earlierPending(c ResultCode) bool {
	return c == ResultCodeVoidProcessing || c == ResultCodeRefundProcessing
}

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
