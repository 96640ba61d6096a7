package bench

import (
	"strconv"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/go-pay/gopay"
)

// payRequest is a 25-field allinpay-style request, the shape the SDK signs.
type payRequest struct {
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

func newPayRequest() *payRequest {
	return &payRequest{
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

// appendFloor is the hand-written canonical appender: the fields already in
// key order, no reflection. It is the floor kv.AppendCanonical is held to.
func appendFloor(dst []byte, r *payRequest) []byte {
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

// gopayCanonical builds the same string the way go-pay/gopay users do: a
// BodyMap filled field by field, then EncodeAliPaySignParams.
func gopayCanonical(r *payRequest) string {
	bm := make(gopay.BodyMap)
	bm.Set("accessCode", r.AccessCode).Set("appenv", r.Appenv).Set("authCode", r.AuthCode).
		Set("currency", r.Currency).Set("expireTime", r.ExpireTime).Set("extend1", r.Extend1).
		Set("extend2", r.Extend2).Set("extend3", r.Extend3).Set("goodsDetail", r.GoodsDetail).
		Set("goodsSubject", r.GoodsSubject).Set("limitPay", r.LimitPay).Set("mchNo", r.MchNo).
		Set("notifyUrl", r.NotifyURL).Set("openId", r.OpenID).Set("outTransNo", r.OutTransNo).
		Set("paymentInstitution", r.PaymentInstitution).Set("referUrl", r.ReferURL).
		Set("requestNo", r.RequestNo).Set("returnUrl", r.ReturnURL).Set("signType", r.SignType).
		Set("storeId", r.StoreID).Set("subAppid", r.SubAppID).Set("terminalIp", r.TerminalIP).
		Set("transAmount", r.TransAmount).Set("transType", r.TransType).Set("version", r.Version)
	return bm.EncodeAliPaySignParams()
}

// TestCanonicalAgree makes sure the three benchmarked paths build the same
// bytes, so the benchmark compares like with like.
func TestCanonicalAgree(t *testing.T) {
	r := newPayRequest()
	sdk, err := kv.AppendCanonical(nil, r, "signature")
	if err != nil {
		t.Fatal(err)
	}
	if floor := appendFloor(nil, r); string(floor) != string(sdk) {
		t.Errorf("floor =\n%s\nsdk =\n%s", floor, sdk)
	}
	if gp := gopayCanonical(r); gp != string(sdk) {
		t.Errorf("gopay =\n%s\nsdk =\n%s", gp, sdk)
	}
}

func BenchmarkCanonical(b *testing.B) {
	r := newPayRequest()
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf = appendFloor(buf[:0], r)
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = kv.AppendCanonical(buf[:0], r, "signature"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gopay", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = gopayCanonical(r)
		}
	})
}
