package allinpay

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

// ResultCode is a business result code of §1.7.2.
type ResultCode string

// Result codes a caller branches on (the full table is in the seed; any
// other code arrives as its text).
const (
	ResultSuccess               ResultCode = "0000"
	ResultProcessing            ResultCode = "P000"
	ResultUnconfirmed           ResultCode = "9997"
	ResultIllegalParameters     ResultCode = "0001"
	ResultOrderNotExist         ResultCode = "0007"
	ResultSignatureFailure      ResultCode = "0012"
	ResultOrderRecurrent        ResultCode = "0022"
	ResultAmountOverLimit       ResultCode = "0023"
	ResultOriginalNotExist      ResultCode = "0025"
	ResultOriginalAbnormal      ResultCode = "0026"
	ResultIllegalAmount         ResultCode = "0027"
	ResultOriginalVoided        ResultCode = "0029"
	ResultNoVoidSupport         ResultCode = "0032"
	ResultNoRefundSupport       ResultCode = "0036"
	ResultPaidCannotClose       ResultCode = "0038"
	ResultOrderClosed           ResultCode = "0039"
	ResultTransactionProcessing ResultCode = "0051"
	ResultAmountMismatch        ResultCode = "0055"
	ResultOrderPaid             ResultCode = "0074"
	ResultQRCodeExpired         ResultCode = "0076"
	ResultSystemBusy            ResultCode = "9996"
	ResultFailed                ResultCode = "9998"
	ResultUnknown               ResultCode = "9999"
)

// Processing reports whether the result is not final yet (query again, no
// more often than every 10 seconds).
func (c ResultCode) Processing() bool { return c == ResultProcessing || c == ResultUnconfirmed }

// ReturnCodeOK is the returnCode of a message that was communicated.
const ReturnCodeOK = "0000"
