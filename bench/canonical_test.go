package bench

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testkit/benchdata"
	"github.com/go-pay/gopay"
)

// gopayCanonical builds the same string the way go-pay/gopay users do: a
// BodyMap filled field by field, then EncodeAliPaySignParams.
func gopayCanonical(r *benchdata.PayRequest) string {
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
	r := benchdata.NewPayRequest()
	sdk, err := kv.AppendCanonical(nil, r, "signature")
	if err != nil {
		t.Fatal(err)
	}
	if floor := benchdata.AppendFloor(nil, r); string(floor) != string(sdk) {
		t.Errorf("floor =\n%s\nsdk =\n%s", floor, sdk)
	}
	if gp := gopayCanonical(r); gp != string(sdk) {
		t.Errorf("gopay =\n%s\nsdk =\n%s", gp, sdk)
	}
}

func BenchmarkCanonical(b *testing.B) {
	r := benchdata.NewPayRequest()
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf = benchdata.AppendFloor(buf[:0], r)
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
	b.Run("sdk-fresh-buffer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := kv.AppendCanonical(nil, r, "signature"); err != nil {
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
