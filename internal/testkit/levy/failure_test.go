package levy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// TestFakePushesFailureNotifications (issue 17, F9): the fake pushes the
// failures the spec has the service send, and the client's handler
// decodes each; a host that looks only at the code would take most of
// them for successes, the typed helpers say failed.
//
// §1.1.3: "code 错误码，0 表示成功，其他表示失败，具体请见附表"; §3.1: "1010
// 信息鉴权未通过"; §2.1 异步结果 status "包括已签约、未签约"; §3.5 UN_SIGN
// 未签约; §3.6 FAIL 上传失败; §3.8 IDENTIFY_FAIL 认证失败.
func TestFakePushesFailureNotifications(t *testing.T) {
	t.Parallel()
	const (
		known    = "110101199003074477" // registered as 李四: another name fails the real-name check
		rejected = "11010519491231002X" // the service's later checks fail
	)
	srv, c, n := newFlow(t, levytest.WithIdentity(known, "李四"), levytest.WithDeferredChecks(), levytest.WithRejected(rejected))
	ctx := context.Background()
	type want struct {
		code    levy.Code
		message string
	}
	check := func(what string, x *levy.Notification, w want, dataFailed bool) {
		t.Helper()
		if x.Code != w.code || (w.message != "" && x.Message != w.message) {
			t.Errorf("%s: code %s %q; want %s %q", what, x.Code, x.Message, w.code, w.message)
		}
		if !x.Failed() || x.Succeeded() {
			t.Errorf("%s: Failed %v Succeeded %v; want failed", what, x.Failed(), x.Succeeded())
		}
		if f, ok := x.Data.(interface{ Failed() bool }); !ok || f.Failed() != dataFailed {
			t.Errorf("%s: data %v; want Failed() = %v", what, x.Data, dataFailed)
		}
	}
	auth := want{levy.CodeAuthenticationFailed, "信息鉴权未通过"}

	// SYNC_SIGN, real-name check failed after acceptance: 1010, UN_SIGN.
	if _, err := c.SyncSign(ctx, &levy.SyncSignRequest{RequestID: "S-1", IDCard: known, RealName: "王五", Cellphone: "13800138000"}); err != nil {
		t.Fatal(err)
	}
	x := n.wait(t, levy.OperationSyncSign)
	check("SYNC_SIGN 1010", x, auth, true)
	if s := x.Data.(*levy.SignNotification); s.Signed() || s.Status != levy.SignStatusUnSign || s.RequestID != "S-1" {
		t.Errorf("SYNC_SIGN data %+v; want S-1 UN_SIGN", s)
	}

	// SIGN_UP, the same: 1010, UN_SIGN.
	if _, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: known, Name: "王五", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}); err != nil {
		t.Fatal(err)
	}
	x = n.wait(t, levy.OperationSignUp)
	check("SIGN_UP 1010", x, auth, true)
	if s := x.Data.(*levy.SignUpNotification); s.Signed() {
		t.Errorf("SIGN_UP data %v; want UN_SIGN", s)
	}

	// SIGN_UP refused later with code "0": a code-only host is misled.
	if _, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: rejected, Name: "赵六", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}); err != nil {
		t.Fatal(err)
	}
	check("SIGN_UP UN_SIGN", n.wait(t, levy.OperationSignUp), want{code: levy.CodeOK}, true)

	// CREATE_ORDER_V2, real-name check failed: 1010, closed without remit
	// orders (§3.2 case 1).
	o := orderRequest("R-1010")
	o.Name = "王五"
	if _, err := c.CreateOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	x = n.wait(t, levy.OperationCreateOrder)
	check("CREATE_ORDER_V2 1010", x, auth, true)
	if on := x.Data.(*levy.OrderNotification); on.Created() || on.FailReason == "" {
		t.Errorf("order data %+v; want closed with a fail_reason", on)
	}

	// UPLOAD_TAXPAYER_AGREEMENT: FAIL with code "0".
	if _, err := c.UploadTaxpayerAgreement(ctx, &levy.UploadTaxpayerAgreementRequest{RequestID: "U-1", IDCard: rejected, Name: "赵六",
		Cellphone: "13800138000", TaxAgentLocationID: "101", ContractID: "K-1", ContractType: levy.ContractTypeSubstitutes,
		File: mustFile(t, pdfFile(t, "k.pdf"))}); err != nil {
		t.Fatal(err)
	}
	x = n.wait(t, levy.OperationUploadTaxpayerAgreement)
	check("UPLOAD_TAXPAYER_AGREEMENT FAIL", x, want{code: levy.CodeOK}, true)
	if a := x.Data.(*levy.AgreementNotification); a.Uploaded() || a.Status != levy.AgreementStatusFail || a.ContractID != "K-1" {
		t.Errorf("agreement data %+v; want K-1 FAIL", a)
	}

	// UPLOAD_ID_CARD_IMAGE: IDENTIFY_FAIL with code "0".
	jpg := mustFile(t, jpegFile(t))
	if _, err := c.UploadIDCardImage(ctx, &levy.UploadIDCardImageRequest{RequestID: "I-1", IDCardNo: rejected, RealName: "赵六", FrontImage: jpg, BackImage: jpg}); err != nil {
		t.Fatal(err)
	}
	x = n.wait(t, levy.OperationUploadIDCardImage)
	check("UPLOAD_ID_CARD_IMAGE IDENTIFY_FAIL", x, want{code: levy.CodeOK}, true)
	if im := x.Data.(*levy.IDCardImageNotification); im.Identified() || im.FailReason == "" {
		t.Errorf("ID image data %+v; want IDENTIFY_FAIL with a reason", im)
	}
	srv.WaitNotifications()
}

// TestParseFailureNotifications (issue 17): every failure a notification
// can report, decoded by ParseNotification, and Failed/Succeeded on each;
// the successes for contrast. A status the appendix does not list
// ("FAIL" as a sign status) is never taken for success.
func TestParseFailureNotifications(t *testing.T) {
	t.Parallel()
	c, srv := noticeClient(t)
	cases := []struct {
		what       string
		name       levy.Operation
		code, msg  string
		data       any
		failed     bool
		dataFailed bool // the typed helper's answer
	}{
		{"SYNC_SIGN SIGN", levy.OperationSyncSign, "0", "成功", map[string]any{"request_id": "S1", "status": "SIGN"}, false, false},
		{"SYNC_SIGN UN_SIGN", levy.OperationSyncSign, "0", "成功", map[string]any{"request_id": "S1", "status": "UN_SIGN"}, true, true},
		{"SYNC_SIGN FAIL (not in §3.5)", levy.OperationSyncSign, "0", "成功", map[string]any{"request_id": "S1", "status": "FAIL"}, true, true},
		{"SIGN_UP UN_SIGN", levy.OperationSignUp, "0", "成功", map[string]any{"id_card": "110101199003074477", "status": "UN_SIGN"}, true, true},
		{"SIGN_UP 1010 SIGN", levy.OperationSignUp, "1010", "信息鉴权未通过", map[string]any{"id_card": "110101199003074477", "status": "SIGN"}, true, false},
		{"SIGN_UP SIGN", levy.OperationSignUp, "0", "成功", map[string]any{"id_card": "110101199003074477", "status": "SIGN"}, false, false},
		{"agreement FAIL", levy.OperationUploadTaxpayerAgreement, "0", "成功", map[string]any{"request_id": "U1", "status": "FAIL", "contract_id": "K1"}, true, true},
		{"agreement SUCCESS", levy.OperationUploadTaxpayerAgreement, "0", "成功", map[string]any{"request_id": "U1", "status": "SUCCESS", "contract_id": "K1"}, false, false},
		{"ID image IDENTIFY_FAIL", levy.OperationUploadIDCardImage, "0", "成功", map[string]any{"requestId": "I1", "status": "IDENTIFY_FAIL", "failReason": "模糊"}, true, true},
		{"ID image NULL", levy.OperationUploadIDCardImage, "0", "成功", map[string]any{"requestId": "I1", "status": "NULL"}, true, true},
		{"ID image IDENTIFY_SUCCESS", levy.OperationUploadIDCardImage, "0", "成功", map[string]any{"requestId": "I1", "status": "IDENTIFY_SUCCESS"}, false, false},
		{"order 1009 closed", levy.OperationCreateOrder, "1009", "可用额度不足", map[string]any{"request_id": "R1", "status": "CLOSE", "fail_reason": "可用额度不足"}, true, true},
	}
	for _, tc := range cases {
		x, err := parseNotice(context.Background(), c, "", srv.SignNotificationWithCode(string(tc.name), tc.code, tc.msg, tc.data))
		if err != nil {
			t.Errorf("%s: %v", tc.what, err)
			continue
		}
		if x.Code != levy.Code(tc.code) || x.Message != tc.msg || x.Failed() != tc.failed || x.Succeeded() == tc.failed {
			t.Errorf("%s: code %s %q Failed %v; want %s %q %v", tc.what, x.Code, x.Message, x.Failed(), tc.code, tc.msg, tc.failed)
		}
		if f, ok := x.Data.(interface{ Failed() bool }); !ok || f.Failed() != tc.dataFailed {
			t.Errorf("%s: data %v Failed; want %v", tc.what, x.Data, tc.dataFailed)
		}
	}
	// A failure with no data: Data is nil, Failed still says so.
	x, err := parseNotice(context.Background(), c, "", srv.SignNotificationWithCode(string(levy.OperationSignUp), "0001", "系统失败", nil))
	if err != nil || x.Data != nil || !x.Failed() {
		t.Errorf("0001 without data: %+v, %v; want Data nil and Failed", x, err)
	}
}

// TestFakeRequestIDsUnique (issue 17 item 5): every request id the spec
// has the merchant keep unique ("请求流水号，由商户保持唯一", "请求批次号, 由商户
// 保持唯一") is refused the second time, so a client that reuses one
// fails against the fake. A query repeated with the same data is
// answered again (a retry after a lost answer).
func TestFakeRequestIDsUnique(t *testing.T) {
	t.Parallel()
	_, c, _ := newFlow(t)
	ctx := context.Background()
	const id = "110101199003074477"
	jpg := mustFile(t, jpegFile(t))
	pdf := pdfFile(t, "k.pdf")
	agreement := func(contract string) error {
		_, err := c.UploadTaxpayerAgreement(ctx, &levy.UploadTaxpayerAgreementRequest{RequestID: "U-dup", IDCard: id, Name: "李四",
			Cellphone: "13800138000", TaxAgentLocationID: "101", ContractID: contract, ContractType: levy.ContractTypeSubstitutes, File: mustFile(t, pdf)})
		return err
	}
	batch := func(card string) error {
		_, err := c.QuerySignUpBatch(ctx, &levy.QuerySignUpBatchRequest{BatchNo: "B-dup", BatchDetails: []levy.SignUpQuery{{IDCard: card}}})
		return err
	}
	image := func(card string) error {
		_, err := c.QueryIDCardImage(ctx, &levy.QueryIDCardImageRequest{RequestID: "Q-dup", IDCardNo: card})
		return err
	}
	cases := []struct {
		field         string
		first, second func() error
	}{
		{"request_id", func() error {
			_, err := c.SyncSign(ctx, &levy.SyncSignRequest{RequestID: "S-dup", IDCard: id, RealName: "李四", Cellphone: "13800138000"})
			return err
		}, func() error {
			_, err := c.SyncSign(ctx, &levy.SyncSignRequest{RequestID: "S-dup", IDCard: "11010519491231002X", RealName: "赵六", Cellphone: "13800138000"})
			return err
		}},
		{"request_id", func() error { _, err := c.CreateOrder(ctx, orderRequest("R-dup")); return err },
			func() error { _, err := c.CreateOrder(ctx, orderRequest("R-dup")); return err }},
		{"request_id", func() error { return agreement("K-a") }, func() error { return agreement("K-b") }},
		{"batch_no", func() error { return batch(id) }, func() error { return batch("11010519491231002X") }},
		{"requestId", func() error {
			_, err := c.UploadIDCardImage(ctx, &levy.UploadIDCardImageRequest{RequestID: "I-dup", IDCardNo: id, RealName: "李四", FrontImage: jpg, BackImage: jpg})
			return err
		}, func() error {
			_, err := c.UploadIDCardImage(ctx, &levy.UploadIDCardImageRequest{RequestID: "I-dup", IDCardNo: id, RealName: "李四", FrontImage: jpg, BackImage: jpg})
			return err
		}},
		{"requestId", func() error { return image(id) }, func() error { return image("11010519491231002X") }},
		{"requestId", func() error {
			_, err := c.UploadFaceIDVideoFrame(ctx, &levy.UploadFaceIDVideoFrameRequest{RequestID: "F-dup", IDCardNo: id, Frame: jpg})
			return err
		}, func() error {
			_, err := c.UploadFaceIDVideoFrame(ctx, &levy.UploadFaceIDVideoFrameRequest{RequestID: "F-dup", IDCardNo: id, Frame: jpg})
			return err
		}},
	}
	for i, tc := range cases {
		if err := tc.first(); err != nil {
			t.Fatalf("case %d: first call: %v", i, err)
		}
		err := tc.second()
		var ae *levy.APIError
		if !errors.As(err, &ae) || ae.Code != levytest.CodeRefused || !strings.Contains(ae.Message, tc.field+" 重复") {
			t.Errorf("case %d (%s): a reused id answered %v; want %s naming %s", i, tc.field, err, levytest.CodeRefused, tc.field)
		}
	}
	// The same query again, the same data: answered.
	if err := image(id); err != nil {
		t.Errorf("QUERY_ID_CARD_IMAGE repeated with the same data: %v", err)
	}
	if err := batch(id); err != nil {
		t.Errorf("QUERY_SIGN_UP_BATCH repeated with the same data: %v", err)
	}
}
