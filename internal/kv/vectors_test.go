package kv_test

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// vectorRequest mirrors the allinpay vector fields as a typed struct: every
// field is a string, as in the vectors, where "0" is a present value.
type vectorRequest struct {
	RequestNo          string `kv:"requestNo"`
	Version            string `kv:"version"`
	AccessCode         string `kv:"accessCode"`
	TransType          string `kv:"transType"`
	SignType           string `kv:"signType"`
	MchNo              string `kv:"mchNo"`
	OutTransNo         string `kv:"outTransNo"`
	OriOutTransNo      string `kv:"oriOutTransNo"`
	TransAmount        string `kv:"transAmount"`
	TipsAmount         string `kv:"tipsAmount"`
	Currency           string `kv:"currency"`
	NotifyURL          string `kv:"notifyUrl"`
	StoreID            string `kv:"storeId"`
	LimitPay           string `kv:"limitPay"`
	ExpireTime         string `kv:"expireTime"`
	PaymentInstitution string `kv:"paymentInstitution"`
	ReturnURL          string `kv:"returnUrl"`
	ReferURL           string `kv:"referUrl"`
	GoodsDetail        string `kv:"goodsDetail"`
	TradeInformation   string `kv:"tradeInformation"`
	Signature          string `kv:"signature"`
}

func fromMap(m map[string]string) vectorRequest {
	return vectorRequest{
		RequestNo: m["requestNo"], Version: m["version"], AccessCode: m["accessCode"],
		TransType: m["transType"], SignType: m["signType"], MchNo: m["mchNo"],
		OutTransNo: m["outTransNo"], OriOutTransNo: m["oriOutTransNo"], TransAmount: m["transAmount"],
		TipsAmount: m["tipsAmount"], Currency: m["currency"], NotifyURL: m["notifyUrl"],
		StoreID: m["storeId"], LimitPay: m["limitPay"], ExpireTime: m["expireTime"],
		PaymentInstitution: m["paymentInstitution"], ReturnURL: m["returnUrl"], ReferURL: m["referUrl"],
		GoodsDetail: m["goodsDetail"], TradeInformation: m["tradeInformation"],
		Signature: "must-not-appear",
	}
}

func TestAllinpayCanonicalVectors(t *testing.T) {
	t.Parallel()
	var v testvectors.Allinpay
	if err := testvectors.Load("allinpay_rsa2.json", &v); err != nil {
		t.Fatal(err)
	}
	for i, r := range v.Requests {
		if len(r.Fields) > 20 {
			t.Fatalf("request %d has fields the test struct lacks", i)
		}
		got, err := kv.AppendCanonical(nil, fromMap(r.Fields), "signature")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != r.Canonical {
			t.Errorf("request %d: AppendCanonical =\n%s\nwant\n%s", i, got, r.Canonical)
		}
		m := map[string]string{"signature": "x"}
		for k, val := range r.Fields {
			m[k] = val
		}
		if got := kv.CanonicalMap(m, "signature"); string(got) != r.Canonical {
			t.Errorf("request %d: CanonicalMap =\n%s\nwant\n%s", i, got, r.Canonical)
		}
	}
	fields, err := kv.FieldsFromJSON(v.Response.JSON)
	if err != nil {
		t.Fatal(err)
	}
	if fields["newFieldFromUpgrade"] != "x" || fields["transAmount"] != "1" {
		t.Errorf("FieldsFromJSON lost fields: %v", fields)
	}
	if got := kv.CanonicalMap(fields, "signature"); string(got) != v.Response.Canonical {
		t.Errorf("response canonical =\n%s\nwant\n%s", got, v.Response.Canonical)
	}
}
