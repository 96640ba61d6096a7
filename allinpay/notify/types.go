package notify

import (
	"slices"
	"strconv"
	"strings"
)

// TransType is a transaction type of appendix 1.8.2.
type TransType string

// Transaction types.
const (
	TransTypeWxpayScancode     TransType = "WXPAY_SCANCODE"
	TransTypeWxpayMicropay     TransType = "WXPAY_MICROPAY"
	TransTypeWxpayApp          TransType = "WXPAY_APP"
	TransTypeWxpayMinapp       TransType = "WXPAY_MINAPP"
	TransTypeWxpayBranchMP     TransType = "WXPAY_BRANCH_MP"
	TransTypeWxpayCancel       TransType = "WXPAY_CANCEL"
	TransTypeWxpayReturn       TransType = "WXPAY_RETURN"
	TransTypeAlipayScancode    TransType = "ALIPAY_SCANCODE"
	TransTypeAlipayMicropay    TransType = "ALIPAY_MICROPAY"
	TransTypeAlipayPCWeb       TransType = "ALIPAY_PCWEB"
	TransTypeAlipayH5          TransType = "ALIPAY_H5"
	TransTypeAlipayApp         TransType = "ALIPAY_APP"
	TransTypeAlipayCancel      TransType = "ALIPAY_CANCEL"
	TransTypeAlipayReturn      TransType = "ALIPAY_RETURN"
	TransTypeUnionpayScancode  TransType = "UNIONPAY_SCANCODE"
	TransTypeUnionpayMicropay  TransType = "UNIONPAY_MICROPAY"
	TransTypeUnionpayCancel    TransType = "UNIONPAY_CANCEL"
	TransTypeUnionpayReturn    TransType = "UNIONPAY_RETURN"
	TransTypePaynowScancode    TransType = "PAYNOW_SCANCODE"
	TransTypePaynowReturn      TransType = "PAYNOW_RETURN"
	TransTypePaynowCancel      TransType = "PAYNOW_CANCEL"
	TransTypeCloseOrder        TransType = "CLOSE_ORDER"
	TransTypeTransQuery        TransType = "TRANS_QUERY"
	TransTypeDownloadCheckBill TransType = "DOWNLOAD_CHECK_BILL"
)

// payTypes are the types the payment interface takes.
var payTypes = []TransType{TransTypeWxpayScancode, TransTypeWxpayMicropay, TransTypeWxpayApp, TransTypeWxpayMinapp, TransTypeWxpayBranchMP,
	TransTypeAlipayScancode, TransTypeAlipayMicropay, TransTypeAlipayPCWeb, TransTypeAlipayH5, TransTypeAlipayApp,
	TransTypeUnionpayScancode, TransTypeUnionpayMicropay, TransTypePaynowScancode}

// PaymentTypes returns the transaction types the payment interface
// (§1.5.2.1) takes, in the appendix's order: the types whose Kind is
// KindPayment.
func PaymentTypes() []TransType { return slices.Clone(payTypes) }

// ReturnType returns the refund type of a payment type's wallet.
func (t TransType) ReturnType() TransType { return t.wallet("RETURN") }

// CancelType returns the void type of a payment type's wallet.
func (t TransType) CancelType() TransType { return t.wallet("CANCEL") }

func (t TransType) wallet(op string) TransType {
	for _, w := range []string{"WXPAY", "ALIPAY", "UNIONPAY", "PAYNOW"} {
		if len(t) > len(w) && string(t[:len(w)+1]) == w+"_" {
			return TransType(w + "_" + op)
		}
	}
	return ""
}

// IsMicropay reports whether the customer presents a code (authCode needed).
func (t TransType) IsMicropay() bool {
	return t == TransTypeWxpayMicropay || t == TransTypeAlipayMicropay || t == TransTypeUnionpayMicropay
}

// Kind is what a transaction type does: a payment, a refund, a void or a
// close.
type Kind string

// Kinds.
const (
	KindPayment Kind = "payment"
	KindRefund  Kind = "refund"
	KindVoid    Kind = "void"
	KindClose   Kind = "close"
	KindOther   Kind = "other" // a transType this SDK does not know
)

// Kind returns what t does.
func (t TransType) Kind() Kind {
	switch {
	case t == TransTypeCloseOrder:
		return KindClose
	case strings.HasSuffix(string(t), "_RETURN") && t.ReturnType() == t:
		return KindRefund
	case strings.HasSuffix(string(t), "_CANCEL") && t.CancelType() == t:
		return KindVoid
	}
	for _, p := range payTypes {
		if t == p {
			return KindPayment
		}
	}
	return KindOther
}

// Currency is appendix 1.8.3.
type Currency string

// Currencies.
const (
	CurrencyCNY Currency = "CNY"
	CurrencyHKD Currency = "HKD"
	CurrencyUSD Currency = "USD"
	CurrencyCAD Currency = "CAD"
	CurrencySGD Currency = "SGD"
)

// Exponent is the number of minor-unit digits (2 for every supported
// currency).
func (c Currency) Exponent() int { return 2 }

// ResultCode is a business result code of §1.7.2. Every code of the
// spec's table is a constant below; Meaning classifies it. A code outside
// the table arrives as its text and means MeaningRefused.
type ResultCode string

// Result codes (§1.7.2), with the spec's explanation.
const (
	ResultCodeSuccess                     ResultCode = "0000" // succeed
	ResultCodeProcessing                  ResultCode = "P000" // Transaction is processing
	ResultCodeUnconfirmed                 ResultCode = "9997" // The transaction result is not confirmed
	ResultCodeIllegalParameters           ResultCode = "0001" // The request parameters are illegal
	ResultCodeMerchantIDMissing           ResultCode = "0002" // Merchant ID cannot be null
	ResultCodeOutTransNoMissing           ResultCode = "0003" // Merchant order number cannot be null
	ResultCodePhoneMissing                ResultCode = "0004" // The mobile phone number recorded by the bank cannot be null
	ResultCodeAmountMissing               ResultCode = "0005" // Transaction amount cannot be null
	ResultCodeCardNoMissing               ResultCode = "0006" // Card number cannot be null
	ResultCodeOrderNotExist               ResultCode = "0007" // Order doesn't exist
	ResultCodeTransactionAtRisk           ResultCode = "0008" // transaction at risk
	ResultCodeSignatureMissing            ResultCode = "0009" // Verifying signature field cannot be null
	ResultCodeMerchantNotExist            ResultCode = "0010" // Merchant information doesn't exist
	ResultCodeMerchantAbnormal            ResultCode = "0011" // Merchant status is abnormal
	ResultCodeSignatureFailure            ResultCode = "0012" // Failure in verifying signature
	ResultCodeKeyNotExist                 ResultCode = "0013" // Secret key information doesn't exist
	ResultCodeKeyIneffective              ResultCode = "0014" // Secret key has been ineffective
	ResultCodeProductNotExist             ResultCode = "0016" // Product information doesn't exist
	ResultCodeProductAbnormal             ResultCode = "0017" // Product information status is abnormal
	ResultCodeUnauthorized                ResultCode = "0018" // unauthorized transaction
	ResultCodeOrderCreationFailed         ResultCode = "0019" // failure in creating order
	ResultCodeOrderRecurrent              ResultCode = "0022" // the order is recurrent
	ResultCodeAmountOverLimit             ResultCode = "0023" // transaction amount exceeds the limit
	ResultCodeOrderToBeVoided             ResultCode = "0024" // order to be voided
	ResultCodeOriginalNotExist            ResultCode = "0025" // original transaction doesn't exist
	ResultCodeOriginalAbnormal            ResultCode = "0026" // The status of original transaction is abnormal
	ResultCodeIllegalAmount               ResultCode = "0027" // Transaction amount is illegal
	ResultCodeOriginalVoided              ResultCode = "0029" // original transaction has been voided
	ResultCodeOriginalVoidOrRefundStarted ResultCode = "0031" // Original transaction has initiated voiding or refunding
	ResultCodeNoVoidSupport               ResultCode = "0032" // Original transaction doesn't support voiding
	ResultCodeVoidProcessing              ResultCode = "0033" // The last voiding is processing
	ResultCodeRefundProcessing            ResultCode = "0034" // The last refunding is processing
	ResultCodeNotAllowedNow               ResultCode = "0035" // Transaction is not allowed during the period of time
	ResultCodeNoRefundSupport             ResultCode = "0036" // The transaction doesn't support refunding
	ResultCodePaidCannotClose             ResultCode = "0038" // Order has been paid and is not allowed to close
	ResultCodeOrderClosed                 ResultCode = "0039" // Order has been closed
	ResultCodeOrderAbnormal               ResultCode = "0040" // The order is abnormal and please contact the administrator
	ResultCodeAccessOrgWrong              ResultCode = "0045" // Access organization ID is wrong
	ResultCodeAccessOrgAbnormal           ResultCode = "0046" // The status of access organization ID is abnormal
	ResultCodeUnauthorizedTransaction     ResultCode = "0047" // Unauthorized transaction
	ResultCodeFileTooLarge                ResultCode = "0048" // The size of the files exceeds the limit, the maximum size is 5M
	ResultCodeOrgAbnormal                 ResultCode = "0049" // The organization status is abnormal
	ResultCodeTransactionProcessing       ResultCode = "0051" // The transaction is processing
	ResultCodeAmountMismatch              ResultCode = "0055" // Transaction amount is irrelevant to the one of original transaction
	ResultCodePartiallyRefunded           ResultCode = "0056" // The order has been partially refunded
	ResultCodeMissionExecuting            ResultCode = "0058" // The mission has been executing, and don't initiate repeatedly
	ResultCodeOrderPaid                   ResultCode = "0074" // The order has been paid
	ResultCodeQRCodeExpired               ResultCode = "0076" // The QR code has expired
	ResultCodeCardTypeUnsupported         ResultCode = "0077" // The card type is not supported
	ResultCodeAuthCodeWrong               ResultCode = "0078" // Parameters of authorization code are wrong
	ResultCodeAuthCodeVerifyFailed        ResultCode = "0079" // The result of verifying authorized code is wrong
	ResultCodeWechatPayIDWrong            ResultCode = "0080" // The Wechat Pay ID is wrong
	ResultCodeWechatAppIDNotExist         ResultCode = "0081" // Wechat APPID doesn't exist
	ResultCodeWechatMchIDNotExist         ResultCode = "0082" // Wechat MCHID doesn't exist
	ResultCodeWechatAppIDMismatch         ResultCode = "0083" // Wechat APPID doesn't match MCH_ID
	ResultCodeChannelLinkNotExist         ResultCode = "0084" // Information of channel link doesn't exist
	ResultCodeChannelTerminalSignedIn     ResultCode = "0085" // Channel terminal has signed in
	ResultCodeOrderLimit                  ResultCode = "3003" // amount limit of one order exceeded
	ResultCodeDayLimit                    ResultCode = "3004" // amount limit of one day exceeded
	ResultCodeBelowMinimum                ResultCode = "3009" // Lower than starting limit of transaction
	ResultCodeDayCountLimit               ResultCode = "3010" // The number of transaction in one day exceeds the limit
	ResultCodeProductLacksRate            ResultCode = "3200" // Product lacks rate
	ResultCodeOneT1Rate                   ResultCode = "3201" // Only one T1 rate is allowed for non-acquiring or quick product
	ResultCodeProductNotUsed              ResultCode = "3203" // The organization you belong to has not used the product
	ResultCodeRateAboveOne                ResultCode = "3205" // The product rate cannot be higher than 1
	ResultCodeRateBelowOrg                ResultCode = "3206" // The product rate is lower than the one of the organization you belong to
	ResultCodeMinimumBelowOrg             ResultCode = "3207" // the lowest amount of the product is lower than the one of the organization you belong to
	ResultCodeSystemKeyWrong              ResultCode = "3406" // The systematic secret key is wrong
	ResultCodeTimeFormatWrong             ResultCode = "9994" // The format of time inquiry is wrong
	ResultCodeSystemBusy                  ResultCode = "9996" // The system is busy
	ResultCodeFailed                      ResultCode = "9998" // Transaction fails
	ResultCodeUnknown                     ResultCode = "9999" // Unknown mistake, please contact the administrator
	ResultCodeOrderToBeVoidedR            ResultCode = "R000" // Order to be voided
)

// Meaning is what a result code tells the caller to do.
type Meaning int

// Meanings.
const (
	// MeaningRefused is a definite failure: nothing happened. 0033 and
	// 0034 are refusals too (the spec lists them under "Fail"): they say
	// an earlier void or refund of the same original transaction is still
	// processing, so this one was not taken; query that earlier one.
	MeaningRefused Meaning = iota
	// MeaningSuccess: the transaction succeeded (0000).
	MeaningSuccess
	// MeaningProcessing: not final yet (P000, 9997, 0051);
	// query the order, no sooner than 10 seconds later.
	MeaningProcessing
	// MeaningRetryLater: the platform is busy (9996); nothing happened,
	// the same request may be sent again later.
	MeaningRetryLater
	// MeaningOutcomeUnknown: the platform cannot say (9999, 0040); for a
	// payment, refund, void or close a Client call returns
	// allinpay.ErrOutcomeUnknown.
	MeaningOutcomeUnknown
	// MeaningQueryOrder: the order already exists or is paid (0022,
	// 0074); query it to learn its state.
	MeaningQueryOrder
)

var meaningNames = [...]string{"refused", "success", "processing", "retry later", "outcome unknown", "query the order"}

func (m Meaning) String() string {
	if m < 0 || int(m) >= len(meaningNames) {
		return "Meaning(" + strconv.Itoa(int(m)) + ")"
	}
	return meaningNames[m]
}

// Meaning classifies c as the spec's table does.
func (c ResultCode) Meaning() Meaning {
	switch c {
	case ResultCodeSuccess:
		return MeaningSuccess
	case ResultCodeProcessing, ResultCodeUnconfirmed, ResultCodeTransactionProcessing:
		return MeaningProcessing
	case ResultCodeSystemBusy:
		return MeaningRetryLater
	case ResultCodeUnknown, ResultCodeOrderAbnormal:
		return MeaningOutcomeUnknown
	case ResultCodeOrderRecurrent, ResultCodeOrderPaid:
		return MeaningQueryOrder
	}
	return MeaningRefused
}

// Processing reports whether the result is not final yet (query again, no
// more often than every 10 seconds).
func (c ResultCode) Processing() bool { return c.Meaning() == MeaningProcessing }
