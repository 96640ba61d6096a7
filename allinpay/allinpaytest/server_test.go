package allinpaytest_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// post signs f with the merchant key, as a client would (right or wrong),
// and returns the fake's answer.
func post(t *testing.T, s *allinpaytest.Server, path string, f map[string]string) map[string]string {
	t.Helper()
	k, err := keys.ParseRSAPrivateKey(s.MerchantPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	form := url.Values{"signature": {base64.StdEncoding.EncodeToString(sig)}}
	for k, v := range f {
		form.Set(k, v)
	}
	resp, err := http.PostForm(s.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const consume, download = "/gateway/pay/consumeTrans", "/gateway/download/downloadbill"

func header(s *allinpaytest.Server, t allinpay.TransType) map[string]string {
	return map[string]string{"requestNo": "R" + time.Now().Format("150405000000000"), "version": "V1.0", "accessCode": s.AccessCode,
		"transType": string(t), "signType": "RSA2", "mchNo": s.MchNo}
}

func payment(s *allinpaytest.Server, t allinpay.TransType, no string) map[string]string {
	f := header(s, t)
	f["outTransNo"], f["transAmount"], f["currency"], f["notifyUrl"] = no, "100", "HKD", "https://m.example.com/n"
	return f
}

// TestServerRules: each rule the fake enforces (spec §1.5.1 header fields,
// the merchant, transType per interface, §1.5.2.1 authCode for MICROPAY,
// §1.5.3.1 bills from the next day) fails a client that breaks it.
func TestServerRules(t *testing.T) {
	t.Parallel()
	s, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for name, c := range map[string]struct {
		path string
		edit func(f map[string]string)
		want allinpay.ResultCode
	}{
		"no requestNo":                 {consume, func(f map[string]string) { delete(f, "requestNo") }, allinpay.ResultCodeIllegalParameters},
		"no version":                   {consume, func(f map[string]string) { delete(f, "version") }, allinpay.ResultCodeIllegalParameters},
		"no signType":                  {consume, func(f map[string]string) { delete(f, "signType") }, allinpay.ResultCodeIllegalParameters},
		"signType RSA":                 {consume, func(f map[string]string) { f["signType"] = "RSA" }, allinpay.ResultCodeIllegalParameters},
		"another accessCode":           {consume, func(f map[string]string) { f["accessCode"] = "29999999" }, allinpay.ResultCodeAccessOrgWrong},
		"another mchNo":                {consume, func(f map[string]string) { f["mchNo"] = "1" }, allinpay.ResultCodeMerchantNotExist},
		"no outTransNo":                {consume, func(f map[string]string) { delete(f, "outTransNo") }, allinpay.ResultCodeOutTransNoMissing},
		"unknown transType":            {consume, func(f map[string]string) { f["transType"] = "WXPAY_SOMETHING" }, allinpay.ResultCodeIllegalParameters},
		"bill type to consumeTrans":    {consume, func(f map[string]string) { f["transType"] = "DOWNLOAD_CHECK_BILL" }, allinpay.ResultCodeIllegalParameters},
		"payment type to downloadbill": {download, func(map[string]string) {}, allinpay.ResultCodeIllegalParameters},
		"MICROPAY without authCode":    {consume, func(f map[string]string) { f["transType"] = "WXPAY_MICROPAY" }, allinpay.ResultCodeAuthCodeWrong},
		"requestNo longer than 32":     {consume, func(f map[string]string) { f["requestNo"] = strings.Repeat("1", 33) }, allinpay.ResultCodeIllegalParameters},
		"outTransNo longer than 32":    {consume, func(f map[string]string) { f["outTransNo"] = strings.Repeat("1", 33) }, allinpay.ResultCodeIllegalParameters},
		"no notifyUrl":                 {consume, func(f map[string]string) { delete(f, "notifyUrl") }, allinpay.ResultCodeIllegalParameters},
		"currency XYZ":                 {consume, func(f map[string]string) { f["currency"] = "XYZ" }, allinpay.ResultCodeIllegalParameters},
		"tips over the amount":         {consume, func(f map[string]string) { f["tipsAmount"] = "101" }, allinpay.ResultCodeIllegalParameters},
		// §1.5.2.1's lengths: "storeId Store number C ... AN 20",
		// "transAmount ... N12", "authCode ... ANSx1…" (read 128).
		"storeId of 21":     {consume, func(f map[string]string) { f["storeId"] = strings.Repeat("1", 21) }, allinpay.ResultCodeIllegalParameters},
		"transAmount of 13": {consume, func(f map[string]string) { f["transAmount"] = "1000000000000" }, allinpay.ResultCodeIllegalParameters},
		"authCode of 129": {consume, func(f map[string]string) {
			f["transType"], f["authCode"] = "WXPAY_MICROPAY", strings.Repeat("1", 129)
		}, allinpay.ResultCodeIllegalParameters},
		// §1.5.2.1 "outTransNo ... ANx 32", "requestNo ... ANx32".
		"outTransNo with a space":     {consume, func(f map[string]string) { f["outTransNo"] = "O 1" }, allinpay.ResultCodeIllegalParameters},
		"requestNo with a dot":        {consume, func(f map[string]string) { f["requestNo"] = "R.1" }, allinpay.ResultCodeIllegalParameters},
		"goodsSubject with a newline": {consume, func(f map[string]string) { f["goodsSubject"] = "a\nb" }, allinpay.ResultCodeIllegalParameters},
		// §1.5.2.1's per-product rows.
		"BRANCH_MP without openId": {consume, func(f map[string]string) {
			f["transType"], f["terminalIp"], f["subAppid"] = "WXPAY_BRANCH_MP", "10.0.0.1", "wx1"
		}, allinpay.ResultCodeIllegalParameters},
		"WXPAY_APP without terminalIp": {consume, func(f map[string]string) { f["transType"] = "WXPAY_APP" }, allinpay.ResultCodeIllegalParameters},
		"ALIPAY_H5 without referUrl": {consume, func(f map[string]string) {
			f["transType"], f["paymentInstitution"], f["returnUrl"] = "ALIPAY_H5", "ALIPAYHK", "https://m.example/r"
		}, allinpay.ResultCodeIllegalParameters},
		"ALIPAY_PCWEB paymentInstitution ALIPAYXX": {consume, func(f map[string]string) {
			f["transType"], f["paymentInstitution"], f["referUrl"] = "ALIPAY_PCWEB", "ALIPAYXX", "https://m.example/"
		}, allinpay.ResultCodeIllegalParameters},
		"ALIPAY_APP without appenv": {consume, func(f map[string]string) {
			f["transType"], f["paymentInstitution"], f["referUrl"], f["returnUrl"] = "ALIPAY_APP", "ALIPAYHK", "https://m.example/", "https://m.example/r"
		}, allinpay.ResultCodeIllegalParameters},
		"ALIPAYCN without tradeInformation": {consume, func(f map[string]string) {
			f["transType"], f["paymentInstitution"], f["referUrl"] = "ALIPAY_PCWEB", "ALIPAYCN", "https://m.example/"
		}, allinpay.ResultCodeIllegalParameters},
	} {
		n++ // a short, distinct outTransNo, so that no case fails by its length
		f := payment(s, allinpay.TransTypeWxpayScancode, fmt.Sprintf("O-%d", n))
		c.edit(f)
		got := post(t, s, c.path, f)
		if got["resultCode"] != string(c.want) {
			t.Errorf("%s: answered %v; want resultCode %s", name, got, c.want)
		}
		t.Logf("%s: %s", name, got["resultMsg"])
		// The same request without the break passes (each case shows one rule).
		if c.want != allinpay.ResultCodeOutTransNoMissing && c.path == consume {
			n++
			ok := payment(s, allinpay.TransTypeWxpayScancode, fmt.Sprintf("O-%d", n))
			if got := post(t, s, consume, ok); got["resultCode"] != string(allinpay.ResultCodeProcessing) {
				t.Fatalf("the unbroken request: %v", got)
			}
		}
	}
	bill := header(s, allinpay.TransTypeDownloadCheckBill)
	bill["billDate"] = time.Now().In(time.FixedZone("CST", 8*3600)).Format("20060102")
	if got := post(t, s, download, bill); got["resultCode"] != string(allinpay.ResultCodeNotAllowedNow) {
		t.Errorf("today's bill: %v; want it refused until tomorrow", got)
	}
	// §1.5.3.1: "billDate ... M ... N8"; the request table has no mchNo.
	bill["billDate"] = "garbage!"
	if got := post(t, s, download, bill); got["resultCode"] != string(allinpay.ResultCodeIllegalParameters) {
		t.Errorf("billDate garbage!: %v; want 0001", got)
	}
	bill["billDate"] = time.Now().AddDate(0, 0, -2).In(time.FixedZone("CST", 8*3600)).Format("20060102")
	delete(bill, "mchNo")
	if got := post(t, s, download, bill); got["resultCode"] != string(allinpay.ResultCodeSuccess) {
		t.Errorf("a bill request as the table lists it (no mchNo): %v; want 0000", got)
	}
	bill["mchNo"] = "1"
	if got := post(t, s, download, bill); got["resultCode"] != string(allinpay.ResultCodeMerchantNotExist) {
		t.Errorf("a bill request with another mchNo: %v; want refused", got)
	}
}

// TestServerRefunds: a refund sent twice under one outTransNo refunds
// once; a refund of another wallet's type is refused; a voided order is
// queried as 0029 (a code of the spec's table, not an invented one).
func TestServerRefunds(t *testing.T) {
	t.Parallel()
	s, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := payment(s, allinpay.TransTypeAlipayMicropay, "P-1")
	p["authCode"] = "280000000000000000"
	if got := post(t, s, consume, p); got["resultCode"] != "0000" {
		t.Fatal(got)
	}
	refund := func(no string, typ allinpay.TransType) map[string]string {
		f := header(s, typ)
		f["outTransNo"], f["oriOutTransNo"], f["transAmount"], f["currency"], f["notifyUrl"] = no, "P-1", "40", "HKD", "https://m.example.com/n"
		return post(t, s, consume, f)
	}
	a, b := refund("RF-1", allinpay.TransTypeAlipayReturn), refund("RF-1", allinpay.TransTypeAlipayReturn)
	if a["resultCode"] != "0000" || b["resultCode"] != "0000" || a["transNo"] != b["transNo"] {
		t.Errorf("same refund twice: %v then %v; want one refund answered twice", a, b)
	}
	if o, _ := s.Order("P-1"); o.Refunded != 40 {
		t.Errorf("refunded %v; want 40 (once)", o.Refunded)
	}
	if got := refund("RF-2", allinpay.TransTypeWxpayReturn); got["resultCode"] != string(allinpay.ResultCodeIllegalParameters) {
		t.Errorf("WXPAY_RETURN of an Alipay payment: %v", got)
	}
	rc := header(s, allinpay.TransTypeAlipayReturn)
	rc["outTransNo"], rc["oriOutTransNo"], rc["transAmount"], rc["currency"], rc["notifyUrl"] = "RF-3", "P-1", "1", "USD", "https://m.example.com/n"
	if got := post(t, s, consume, rc); got["resultCode"] != string(allinpay.ResultCodeIllegalParameters) {
		t.Errorf("a USD refund of an HKD payment: %v", got)
	}
	// A refund is no payment: refunding or voiding it would refund the
	// original twice over (§1.5.2.3: "the total amount of refunding cannot
	// exceed the total amount of original transaction").
	rr := header(s, allinpay.TransTypeAlipayReturn)
	rr["outTransNo"], rr["oriOutTransNo"], rr["transAmount"], rr["currency"], rr["notifyUrl"] = "RF-4", "RF-1", "40", "HKD", "https://m.example.com/n"
	if got := post(t, s, consume, rr); got["resultCode"] != string(allinpay.ResultCodeNoRefundSupport) {
		t.Errorf("a refund of a refund: %v; want 0036", got)
	}
	rv := header(s, allinpay.TransTypeAlipayCancel)
	rv["outTransNo"], rv["oriOutTransNo"], rv["notifyUrl"] = "V-4", "RF-1", "https://m.example.com/n"
	if got := post(t, s, consume, rv); got["resultCode"] != string(allinpay.ResultCodeNoVoidSupport) {
		t.Errorf("a void of a refund: %v; want 0032", got)
	}
	if o, _ := s.Order("P-1"); o.Refunded != 40 {
		t.Errorf("refunded %v; want 40", o.Refunded)
	}
	// AS (§1.5.2.3: "outTransNo ... AS 32", "oriOutTransNo ... AS 32"):
	// no space, '&' or '='.
	for _, k := range []string{"outTransNo", "oriOutTransNo"} {
		bad := header(s, allinpay.TransTypeAlipayReturn)
		bad["outTransNo"], bad["oriOutTransNo"], bad["transAmount"], bad["currency"], bad["notifyUrl"] = "RF-5", "P-1", "1", "HKD", "https://m.example.com/n"
		bad[k] += " x"
		if got := post(t, s, consume, bad); got["resultCode"] != string(allinpay.ResultCodeIllegalParameters) {
			t.Errorf("a refund whose %s holds a space: %v; want 0001", k, got)
		}
	}
	qr := header(s, allinpay.TransTypeTransQuery)
	qr["oriOutTransNo"] = "RF-1"
	if got := post(t, s, consume, qr); got["resultCode"] != "0000" || got["transAmount"] != "40" {
		t.Errorf("query of the refund: %v; want it stored", got)
	}
	p2 := payment(s, allinpay.TransTypeAlipayMicropay, "P-2")
	p2["authCode"] = "280000000000000000"
	post(t, s, consume, p2)
	wv := header(s, allinpay.TransTypeWxpayCancel)
	wv["outTransNo"], wv["oriOutTransNo"], wv["notifyUrl"] = "V-0", "P-2", "https://m.example.com/n"
	if got := post(t, s, consume, wv); got["resultCode"] != string(allinpay.ResultCodeIllegalParameters) {
		t.Errorf("WXPAY_CANCEL of an Alipay payment: %v", got)
	}
	v := header(s, allinpay.TransTypeAlipayCancel)
	v["outTransNo"], v["oriOutTransNo"], v["notifyUrl"] = "V-1", "P-2", "https://m.example.com/n"
	if got := post(t, s, consume, v); got["resultCode"] != "0000" {
		t.Fatal(got)
	}
	// A void after a partial refund: 0031 (§1.7.2).
	v1 := header(s, allinpay.TransTypeAlipayCancel)
	v1["outTransNo"], v1["oriOutTransNo"], v1["notifyUrl"] = "V-9", "P-1", "https://m.example.com/n"
	if got := post(t, s, consume, v1); got["resultCode"] != string(allinpay.ResultCodeOriginalVoidOrRefundStarted) {
		t.Errorf("void after a refund: %v; want 0031", got)
	}
	// Closing a UnionPay order: §1.5.2.5 closes WeChat and Alipay orders.
	post(t, s, consume, payment(s, allinpay.TransTypeUnionpayScancode, "U-9"))
	cl := header(s, allinpay.TransTypeCloseOrder)
	cl["outTransNo"], cl["oriOutTransNo"], cl["notifyUrl"] = "C-9", "U-9", "https://m.example.com/n"
	if got := post(t, s, consume, cl); got["resultCode"] != string(allinpay.ResultCodeUnauthorized) {
		t.Errorf("closing a UnionPay order: %v", got)
	}
	q := header(s, allinpay.TransTypeTransQuery)
	q["oriOutTransNo"] = "P-2"
	if got := post(t, s, consume, q); got["resultCode"] != string(allinpay.ResultCodeOriginalVoided) {
		t.Errorf("query of a voided order: %v; want 0029", got)
	}
}

// TestServerResultCodes: an injected 9996 leaves nothing done (the same
// request succeeds later); an injected 9999 is answered after the payment
// was taken, so a client that read it as a refusal would pay twice.
func TestServerResultCodes(t *testing.T) {
	t.Parallel()
	s, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultResultCode, ResultCode: allinpay.ResultCodeSystemBusy, Count: 1})
	if got := post(t, s, consume, payment(s, allinpay.TransTypeWxpayScancode, "B-1")); got["resultCode"] != "9996" {
		t.Fatal(got)
	}
	if _, ok := s.Order("B-1"); ok {
		t.Error("9996 created the order")
	}
	s.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultResultCode, ResultCode: allinpay.ResultCodeUnknown, Count: 1})
	if got := post(t, s, consume, payment(s, allinpay.TransTypeWxpayScancode, "U-1")); got["resultCode"] != "9999" {
		t.Fatal(got)
	}
	if _, ok := s.Order("U-1"); !ok {
		t.Error("9999 did not take the payment")
	}
	c, err := allinpay.NewClient(allinpay.WithMerchant(s.AccessCode, s.MchNo), allinpay.WithKeys(s.MerchantPrivateKey, s.PlatformPublicKey), allinpay.WithBaseURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	s.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultResultCode, ResultCode: allinpay.ResultCodeUnknown, Count: 1})
	_, err = c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: "U-2", TransAmount: 1,
		Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example.com/n"})
	if !errors.Is(err, allinpay.ErrOutcomeUnknown) {
		t.Errorf("the client read 9999 as %v; want ErrOutcomeUnknown", err)
	}
}
