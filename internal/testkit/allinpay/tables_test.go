package allinpay_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/jarcoal/httpmock"
)

// fieldsOf returns the wire names a *ValidationError names.
func fieldsOf(err error) []string {
	var ve *allinpay.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func names(err error, field string) bool {
	for _, f := range fieldsOf(err) {
		if f == field {
			return true
		}
	}
	return false
}

// TestPayTableClassesAndLengths: every row of §1.5.2.1's request table
// with a length or a class, each case quoting its row. A value just inside
// passes, one just outside (or of the wrong class) names the field.
func TestPayTableClassesAndLengths(t *testing.T) {
	t.Parallel()
	base := func() *allinpay.PayRequest {
		return &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayH5, OutTransNo: "O1", TransAmount: 100, Currency: allinpay.CurrencyHKD,
			NotifyURL: "https://m.example/n", ReferURL: "https://m.example/", ReturnURL: "https://m.example/r", PaymentInstitution: "ALIPAYHK"}
	}
	for _, c := range []struct {
		row   string // the table's row
		field string
		set   func(r *allinpay.PayRequest, v string)
		ok    []string
		bad   []string
	}{
		{"requestNo Request swift number M ... ANx32", "requestNo", func(r *allinpay.PayRequest, v string) { r.RequestNo = v },
			[]string{strings.Repeat("R", 32), "REQ-1_a"}, []string{strings.Repeat("R", 33), "REQ 1", "REQ.1", "请求"}},
		{"outTransNo Merchant transaction number M ANx 32", "outTransNo", func(r *allinpay.PayRequest, v string) { r.OutTransNo = v },
			[]string{strings.Repeat("9", 32), "20240101_0001-A"}, []string{strings.Repeat("9", 33), "O/1", "O&x=1", "订单"}},
		{"notifyUrl Asynchronous notification url M ANSx2 (AS256 in §1.5.2.3-5)", "notifyUrl", func(r *allinpay.PayRequest, v string) { r.NotifyURL = v },
			[]string{"https://m.example/n?a=1&b=2", "https://m.example/" + strings.Repeat("p", 256-18)}, []string{"https://m.example/" + strings.Repeat("p", 256-17), "https://m.example/\n"}},
		{"storeId Store number C Store number in the system AN 20", "storeId", func(r *allinpay.PayRequest, v string) { r.StoreID = v },
			[]string{strings.Repeat("1", 20)}, []string{strings.Repeat("1", 21), "store 1"}},
		{"limitPay Payment limit C ... AN 20", "limitPay", func(r *allinpay.PayRequest, v string) { r.LimitPay = v },
			[]string{"no_credit", "creditCard"}, []string{strings.Repeat("n", 21), "no credit"}},
		{"authCode Authorizat C ... ANSx1 (read 128)", "authCode", func(r *allinpay.PayRequest, v string) { r.AuthCode = v },
			[]string{"134567890123456789", strings.Repeat("1", 128)}, []string{strings.Repeat("1", 129), "1345\x00"}},
		{"expireTime Valid time of the order C ... N 10", "expireTime", func(r *allinpay.PayRequest, v string) {
			if v == "big" {
				r.ExpireTime = 10_000_000_000
			} else if v == "neg" {
				r.ExpireTime = -1
			} else {
				r.ExpireTime = 30
			}
		}, []string{"30"}, []string{"big", "neg"}},
		{"openId Wechat C ... ANx25 (read 256)", "openId", func(r *allinpay.PayRequest, v string) { r.OpenID = v },
			[]string{"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", strings.Repeat("o", 256)}, []string{strings.Repeat("o", 257), "o u"}},
		{"terminalIp Terminal C ... ANSx2 (read 256)", "terminalIp", func(r *allinpay.PayRequest, v string) { r.TerminalIP = v },
			[]string{"10.0.0.1", "2001:db8::ff00:42:8329"}, []string{strings.Repeat("1", 257), "10.0.0.1\r\n"}},
		{"subAppid Wechat sub M ... AN 32", "subAppid", func(r *allinpay.PayRequest, v string) { r.SubAppID = v },
			[]string{"wx" + strings.Repeat("0", 30)}, []string{"wx" + strings.Repeat("0", 31), "wx 1"}},
		{"goodsDetail Goods detail C ... ANx10 (read 1000; the row's example \"kids clothing\" is text)", "goodsDetail", func(r *allinpay.PayRequest, v string) { r.GoodsDetail = v },
			[]string{"kids clothing", strings.Repeat("童", 500)}, []string{strings.Repeat("童", 501), "a\tb"}},
		{"returnUrl Return url after payment C ... ANSx 2 (read 256)", "returnUrl", func(r *allinpay.PayRequest, v string) { r.ReturnURL = v },
			[]string{"https://www.allinpay.com/test.html"}, []string{"https://m.example/" + strings.Repeat("p", 256-17)}},
		{"referUrl Merchant website url C ... ANSx 2 (read 256)", "referUrl", func(r *allinpay.PayRequest, v string) { r.ReferURL = v },
			[]string{"https://www.allinpay.com/test.html"}, []string{"https://m.example/" + strings.Repeat("p", 256-17)}},
		{"supplier Supplier's name ... C ... ANSx 1 (read 128)", "supplier", func(r *allinpay.PayRequest, v string) { r.Supplier = v },
			[]string{"ABC Co., Ltd", strings.Repeat("商", 64)}, []string{strings.Repeat("商", 65), "ABC\x7f"}},
		{"appenv APP Operation environment C ... ANSx5 (read 512)", "appenv", func(r *allinpay.PayRequest, v string) { r.Appenv = v },
			[]string{"system=android^version=3.0.1.2", strings.Repeat("a", 512)}, []string{strings.Repeat("a", 513)}},
	} {
		for _, v := range c.ok {
			r := base()
			c.set(r, v)
			if err := r.Validate(); names(err, c.field) {
				t.Errorf("%s: %q refused: %v", c.row, v, err)
			}
		}
		for _, v := range c.bad {
			r := base()
			c.set(r, v)
			if err := r.Validate(); !names(err, c.field) {
				t.Errorf("%s: %q accepted (%v)", c.row, v, err)
			}
		}
	}
}

// TestPayTradeInformationLength: "tradeInformation Transaction
// Information C ... ANSx6" (read 600): the marshalled JSON is measured; the
// row's own example (about 100 bytes) fits.
func TestPayTradeInformationLength(t *testing.T) {
	t.Parallel()
	r := &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayPCWeb, OutTransNo: "O1", TransAmount: 100, Currency: allinpay.CurrencyCNY,
		NotifyURL: "https://m.example/n", ReferURL: "https://m.example/", PaymentInstitution: "ALIPAYCN",
		TradeInformation: &allinpay.TradeInformation{BusinessType: "1", HotelName: "test-01", CheckInTime: "2018-10-20", CheckOutTime: "2018-10-22"}}
	if err := r.Validate(); err != nil {
		t.Fatalf("the row's example: %v", err)
	}
	r.TradeInformation.HotelName = strings.Repeat("h", 600)
	if err := r.Validate(); !names(err, "tradeInformation") {
		t.Errorf("a 700-byte tradeInformation: %v", err)
	}
}

// TestOrderTablesClasses: §1.5.2.2-5 "oriOutTransNo ... AS 32",
// "outTransNo ... AS32", "refundReson Refunde reason C ... AS 256",
// "notifyUrl ... AS256", "requestNo ... ANx32".
func TestOrderTablesClasses(t *testing.T) {
	t.Parallel()
	ok := &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, OutTransNo: "R/1.x", OriOutTransNo: "O1", TransAmount: 1,
		Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example/n?a=1&b=2", RefundReason: "客户退货, 尺码不合"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("AS identifiers and a text reason: %v", err)
	}
	for field, edit := range map[string]func(r *allinpay.RefundRequest){
		"outTransNo":    func(r *allinpay.RefundRequest) { r.OutTransNo = "R 1" },
		"oriOutTransNo": func(r *allinpay.RefundRequest) { r.OriOutTransNo = "O1&transType=X" },
		"refundReson":   func(r *allinpay.RefundRequest) { r.RefundReason = strings.Repeat("退", 129) },
		"requestNo":     func(r *allinpay.RefundRequest) { r.RequestNo = "REQ=1" },
		"transAmount":   func(r *allinpay.RefundRequest) { r.TransAmount = 1_000_000_000_000 }, // "transAmount Refund amount M ... N12"
	} {
		r := *ok
		edit(&r)
		if err := r.Validate(); !names(err, field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	v := &allinpay.VoidRequest{TransType: allinpay.TransTypeAlipayCancel, OutTransNo: "V\x01", OriOutTransNo: "O1", NotifyURL: "https://m.example/n"}
	if err := v.Validate(); !names(err, "outTransNo") {
		t.Errorf("void outTransNo with a control character: %v", err)
	}
	cl := &allinpay.CloseOrderRequest{OutTransNo: "C1", OriOutTransNo: strings.Repeat("O", 33), NotifyURL: "https://m.example/n"}
	if err := cl.Validate(); !names(err, "oriOutTransNo") {
		t.Errorf("close oriOutTransNo of 33: %v", err)
	}
	_, err := (&allinpay.Client{}).QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "O 1"})
	if !names(err, "oriOutTransNo") {
		t.Errorf("query oriOutTransNo with a space: %v", err)
	}
}

// TestRequestNoClassEveryCall: "requestNo Request swift number M ...
// ANx32" in every table: a WithRequestNoFunc value outside AN is refused
// before sending, for each operation.
func TestRequestNoClassEveryCall(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ 1")
	mt.RegisterNoResponder(httpmock.NewStringResponder(500, "must not be called"))
	ctx := context.Background()
	_, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "O1"})
	if !names(err, "requestNo") {
		t.Errorf("query: %v", err)
	}
	_, err = c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: time.Now().AddDate(0, 0, -2)})
	if !names(err, "requestNo") {
		t.Errorf("bill: %v", err)
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestBillRequestFields: §1.5.3.1's request table is "requestNo, version,
// accessCode, transType, signType, signature, billDate": exactly those are
// sent (no mchNo).
func TestBillRequestFields(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ1")
	var sent []string
	mt.RegisterResponder(http.MethodPost, allinpay.TestBaseURL+"/gateway/download/downloadbill", func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		for k := range r.PostForm {
			sent = append(sent, k)
		}
		return httpmock.NewStringResponse(500, "stop"), nil
	})
	_, _ = c.DownloadBill(context.Background(), &allinpay.DownloadBillRequest{BillDate: time.Now().AddDate(0, 0, -2)})
	want := map[string]bool{"requestNo": true, "version": true, "accessCode": true, "transType": true, "signType": true, "signature": true, "billDate": true}
	if len(sent) != len(want) {
		t.Errorf("sent %v; want the table's %d fields", sent, len(want))
	}
	for _, k := range sent {
		if !want[k] {
			t.Errorf("sent %q, which §1.5.3.1's request table lacks", k)
		}
	}
}

// TestBillExtraDecimals: detail column 13 "Payment amount as per ISO
// currency decimal"; a fee of three decimals (0.006 HKD) does not abort
// the file: the row is kept, its text reported in ExtraDecimals, the
// Amount rounded, and the checks run on the exact value. The summary may
// state the exact or the rounded sum.
func TestBillExtraDecimals(t *testing.T) {
	t.Parallel()
	row := "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,1.00,0.00,HKD,0.994,0.006,1.00,0.00,1.0000,,"
	for name, c := range map[string]struct {
		summary string
		err     error
	}{
		"exact summary":   {"Summary,20240101,HKD,2.00,0.012,1.988,2,2.00,0.00", io.EOF},
		"rounded summary": {"Summary,20240101,HKD,2.00,0.01,1.99,2,2.00,0.00", io.EOF},
		"wrong summary":   {"Summary,20240101,HKD,2.00,0.02,1.98,2,2.00,0.00", allinpay.ErrBillMismatch},
	} {
		br := allinpay.NewBillReader(strings.NewReader(row + "\n" + row + "\n" + c.summary + "\n"))
		r, err := br.Next()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r.Fee != 1 || r.SettleAmount != 99 || r.ExtraDecimals["Fee"] != "0.006" || r.ExtraDecimals["SettleAmount"] != "0.994" || len(r.ExtraDecimals) != 2 {
			t.Errorf("%s: fee %s settle %s extra %v", name, r.Fee, r.SettleAmount, r.ExtraDecimals)
		}
		if _, err := br.Next(); err != nil {
			t.Fatalf("%s: second row: %v", name, err)
		}
		if _, err := br.Next(); !errors.Is(err, c.err) {
			t.Errorf("%s: end %v; want %v", name, err, c.err)
		}
		if br.ExtraDecimalRows() != 2 {
			t.Errorf("%s: ExtraDecimalRows = %d", name, br.ExtraDecimalRows())
		}
	}
	// The exact value is what the row's own arithmetic uses.
	bad := strings.Replace(row, "0.994", "0.995", 1)
	if _, err := allinpay.NewBillReader(strings.NewReader(bad + "\nSummary,20240101,HKD,1.00,0.006,0.995,1,1.00,0.00\n")).Next(); !errors.Is(err, allinpay.ErrBillMismatch) {
		t.Errorf("settle 0.995 = 1.00 - 0.006: %v", err)
	}
	// Past six decimals the text is not an amount.
	seven := strings.Replace(row, "0.006", "0.0060001", 1)
	if _, err := allinpay.NewBillReader(strings.NewReader(seven + "\nSummary,20240101,HKD,1.00,0.006,0.994,1,1.00,0.00\n")).Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("seven decimals: %v", err)
	}
}

// TestConfigurationTables: the header rows every table repeats and the
// key rule. "accessCode Access M access code is 8-digit number ... AN 20"
// (the signing sample's is 12 digits, so 20 letters or digits), "mchNo
// Merchant number M ... AS30", "version Version number M Interface V1.0
// ANSx6", and §1.4.2 "the length of secret key is 2048".
func TestConfigurationTables(t *testing.T) {
	t.Parallel()
	mp, pp, _, _ := vectorKeys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallPriv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)})
	der, _ := x509.MarshalPKIXPublicKey(&small.PublicKey)
	smallPub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	base := func(extra ...allinpay.Option) error {
		_, err := allinpay.NewClient(append([]allinpay.Option{allinpay.WithMerchant("200000000318", "6666666600003"), allinpay.WithKeys(mp, pp),
			allinpay.WithBaseURL(allinpay.TestBaseURL)}, extra...)...)
		return err
	}
	if err := base(allinpay.WithVersion("V1.0")); err != nil {
		t.Fatalf("the sample's accessCode and version: %v", err)
	}
	for name, o := range map[string]allinpay.Option{
		"accessCode of 21":      allinpay.WithMerchant(strings.Repeat("2", 21), "6666666600003"),
		"accessCode with space": allinpay.WithMerchant("2000 0000", "6666666600003"),
		"mchNo of 31":           allinpay.WithMerchant("20000000", strings.Repeat("6", 31)),
		"mchNo with '&'":        allinpay.WithMerchant("20000000", "666&a=1"),
		"version of 7":          allinpay.WithVersion("V1.0.00"),
		"version with space":    allinpay.WithVersion("V 1.0"),
		"1024-bit private key":  allinpay.WithPrivateKey(smallPriv),
		"1024-bit platform key": allinpay.WithPlatformPublicKeys(smallPub),
	} {
		if err := base(o); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// TestNewOutTransNoIsAN: §1.3 "set the first several numbers as date";
// the generated number is a valid "outTransNo ... ANx 32".
func TestNewOutTransNoIsAN(t *testing.T) {
	t.Parallel()
	no := allinpay.NewOutTransNo()
	r := &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: no, TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://m.example/n"}
	if err := r.Validate(); err != nil {
		t.Errorf("NewOutTransNo %q: %v", no, err)
	}
}

// TestVoidBankTradeNo: §1.5.2.4's response "bankTradeNo Bank transaction
// C ... AS32" is typed in VoidResponse.
func TestVoidBankTradeNo(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, "REQ1")
	answerWith(t, mt, func(form map[string]string) map[string]string {
		return echo(form, map[string]string{"resultCode": "0000", "resultMsg": "ok", "bankTradeNo": "4200001234"})
	}, nil)
	v, err := c.Void(context.Background(), &allinpay.VoidRequest{TransType: allinpay.TransTypeWxpayCancel, OutTransNo: "V1", OriOutTransNo: "O1", NotifyURL: "https://m.example/n"})
	if err != nil || v.BankTradeNo != "4200001234" {
		t.Errorf("Void = %+v, %v; want BankTradeNo 4200001234", v, err)
	}
}

// TestBusinessTypeSeparator: §1.5.1.2 "VARx ... '|' is used as division
// in data element"; several business types are "1|4", and the spaces of
// the seed's garbled example ("1 2 3 4 5") are refused rather than sent.
func TestBusinessTypeSeparator(t *testing.T) {
	t.Parallel()
	r := &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayPCWeb, OutTransNo: "O1", TransAmount: 100, Currency: allinpay.CurrencyCNY,
		NotifyURL: "https://m.example/n", ReferURL: "https://m.example/", PaymentInstitution: "ALIPAYCN",
		TradeInformation: &allinpay.TradeInformation{BusinessType: "4|5", GoodsInfo: "pencil^2|eraser^5", TotalQuantity: "7", OtherBusinessType: "Airport pick up service"}}
	if err := r.Validate(); err != nil {
		t.Errorf("4|5: %v", err)
	}
	r.TradeInformation.BusinessType = "4 5"
	if err := r.Validate(); !names(err, "tradeInformation.business_type") {
		t.Errorf("4 5: %v", err)
	}
}

// TestBankCodes: appendix §1.8.1 lists 19 bank codes, ICBC to BOJ.
func TestBankCodes(t *testing.T) {
	t.Parallel()
	got := []allinpay.BankCode{allinpay.BankCodeICBC, allinpay.BankCodeABC, allinpay.BankCodeBOC, allinpay.BankCodeCCB, allinpay.BankCodeCMB,
		allinpay.BankCodeBOCM, allinpay.BankCodeCMBC, allinpay.BankCodeCNCB, allinpay.BankCodeCEBB, allinpay.BankCodeCIB, allinpay.BankCodeBOB,
		allinpay.BankCodeGDB, allinpay.BankCodeHXB, allinpay.BankCodePSBC, allinpay.BankCodeSPDB, allinpay.BankCodePAB, allinpay.BankCodeBOS,
		allinpay.BankCodeBOHC, allinpay.BankCodeBOJ}
	want := "ICBC ABC BOC CCB CMB BOCM CMBC CNCB CEBB CIB BOB GDB HXB PSBC SPDB PAB BOS BOHC BOJ"
	var s []string
	for _, b := range got {
		s = append(s, string(b))
	}
	if strings.Join(s, " ") != want {
		t.Errorf("bank codes %v; want %s", s, want)
	}
}
