// Package benchdata holds the inputs and hand-written floors that the
// benchmarks of several modules share, so that each figure is measured on
// the same data: the internal module's own benchmarks and the cross-module
// suite in the bench module. Nothing here is used outside benchmarks.
package benchdata

import "strconv"

// PayRequest is a 25-field allinpay-style request, the shape the SDK signs.
type PayRequest struct {
	AccessCode         string `kv:"accessCode"`
	Appenv             string `kv:"appenv"`
	AuthCode           string `kv:"authCode"`
	Currency           string `kv:"currency"`
	ExpireTime         string `kv:"expireTime"`
	Extend1            string `kv:"extend1"`
	Extend2            string `kv:"extend2"`
	Extend3            string `kv:"extend3"`
	GoodsDetail        string `kv:"goodsDetail"`
	GoodsSubject       string `kv:"goodsSubject"`
	LimitPay           string `kv:"limitPay"`
	MchNo              string `kv:"mchNo"`
	NotifyURL          string `kv:"notifyUrl"`
	OpenID             string `kv:"openId"`
	OutTransNo         string `kv:"outTransNo"`
	PaymentInstitution string `kv:"paymentInstitution"`
	ReferURL           string `kv:"referUrl"`
	RequestNo          string `kv:"requestNo"`
	ReturnURL          string `kv:"returnUrl"`
	SignType           string `kv:"signType"`
	StoreID            string `kv:"storeId"`
	SubAppID           string `kv:"subAppid"`
	TerminalIP         string `kv:"terminalIp"`
	TransAmount        int64  `kv:"transAmount"`
	TransType          string `kv:"transType"`
	Version            string `kv:"version"`
	Signature          string `kv:"signature"`
}

// NewPayRequest returns a PayRequest with every field set.
func NewPayRequest() *PayRequest {
	return &PayRequest{
		AccessCode: "20000000", Appenv: "system=iOS,version=16.1", AuthCode: "134567890123456789",
		Currency: "HKD", ExpireTime: "30", Extend1: "e1", Extend2: "e2", Extend3: "e3",
		GoodsDetail: "童装 kids clothing", GoodsSubject: "order 1", LimitPay: "no_credit",
		MchNo: "6666666600003", NotifyURL: "https://m.example.com/notify", OpenID: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
		OutTransNo: "20180626171856517", PaymentInstitution: "ALIPAYCN", ReferURL: "https://m.example.com",
		RequestNo: "20180626171856517", ReturnURL: "https://m.example.com/return", SignType: "RSA2",
		StoreID: "S001", SubAppID: "wx1234567890", TerminalIP: "10.0.0.1", TransAmount: 12345,
		TransType: "WXPAY_BRANCH_MP", Version: "V1.0", Signature: "unused",
	}
}

// AppendFloor is the hand-written canonical appender: the fields already in
// key order, no reflection. It is the floor kv.AppendCanonical is held to.
func AppendFloor(dst []byte, r *PayRequest) []byte {
	add := func(k, v string) {
		if v == "" {
			return
		}
		if len(dst) > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = append(dst, v...)
	}
	add("accessCode", r.AccessCode)
	add("appenv", r.Appenv)
	add("authCode", r.AuthCode)
	add("currency", r.Currency)
	add("expireTime", r.ExpireTime)
	add("extend1", r.Extend1)
	add("extend2", r.Extend2)
	add("extend3", r.Extend3)
	add("goodsDetail", r.GoodsDetail)
	add("goodsSubject", r.GoodsSubject)
	add("limitPay", r.LimitPay)
	add("mchNo", r.MchNo)
	add("notifyUrl", r.NotifyURL)
	add("openId", r.OpenID)
	add("outTransNo", r.OutTransNo)
	add("paymentInstitution", r.PaymentInstitution)
	add("referUrl", r.ReferURL)
	add("requestNo", r.RequestNo)
	add("returnUrl", r.ReturnURL)
	add("signType", r.SignType)
	add("storeId", r.StoreID)
	add("subAppid", r.SubAppID)
	add("terminalIp", r.TerminalIP)
	dst = append(dst, "&transAmount="...)
	dst = strconv.AppendInt(dst, r.TransAmount, 10)
	add("transType", r.TransType)
	add("version", r.Version)
	return dst
}
