package levy_test

import (
	"bytes"
	"context"
	"crypto/hmac"
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

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// rawCall sends data as interface name to the fake, signed as a client
// would but without the SDK's validation (a wrong client), and returns
// the answer's code and message.
func rawCall(t *testing.T, s *levytest.Server, name string, data map[string]any) (code, msg string) {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"name": name, "client_key": s.ClientKey,
		"timestamp": time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04:05.000"), "data": data})
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write(req)
	path := "/api/levy/v1"
	if name == "SYNC_SIGN" || name == "UPLOAD_ID_CARD_IMAGE" || name == "QUERY_ID_CARD_IMAGE" {
		path = "/api/tax/v1"
	}
	resp, err := http.PostForm(s.URL+path, url.Values{"req": {string(req)}, "sign": {base64.StdEncoding.EncodeToString(m.Sum(nil))}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans struct{ Code, Message string }
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		t.Fatal(err)
	}
	return ans.Code, ans.Message
}

// TestLimitsAsTheSpecSetsThem (conformance rows 5, 7, 8): no limit the
// spec does not set, ID cards of 15 or 18 characters, a PDF header where
// PDF readers look for it.
func TestLimitsAsTheSpecSetsThem(t *testing.T) {
	t.Parallel()
	// §2.9 file: "只支持 PDF 格式的文件，需要转换成 base64 格式后进行传输" (no size).
	big := levy.FileFromBytes("v.pdf", []byte("%PDF-1.4\n"))
	big.Size = 10 * levy.MaxAgreementBytes
	if err := (&levy.AddBankVoucherRequest{OrderID: "RO1", FileName: "v.pdf", File: big}).Validate(); err != nil {
		t.Errorf("a voucher of %d bytes refused: %v", big.Size, err)
	}
	// §2.2 id_card "S 18": a length limit; first-generation cards have 15.
	for card, ok := range map[string]bool{"110101900307447": true, "110101199003074477": true, "1101019003074471": false, "11010119900307447": false} {
		err := (&levy.SignUpRequest{IDCard: card, Name: "李四", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}).Validate()
		if (err == nil) != ok {
			t.Errorf("id_card of %d characters: %v; want accepted %v", len(card), err, ok)
		}
	}
	// §2.8 "只可以上传 PDF 文件": a PDF's header within its first 1,024 bytes.
	_, c, _ := newFlow(t)
	upload := func(id string, pad int) error {
		body := append(bytes.Repeat([]byte{' '}, pad), []byte("%PDF-1.4\n%%EOF\n")...)
		_, err := c.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{RequestID: id, IDCard: "110101199003074477",
			Name: "李四", Cellphone: "13800138000", TaxAgentLocationID: "101", ContractID: id, ContractType: levy.ContractTypeSubstitutes,
			File: levy.FileFromBytes("k.pdf", body)})
		return err
	}
	if err := upload("U-500", 500); err != nil {
		t.Errorf("header at byte 500: %v", err)
	}
	if err := upload("U-1100", 1100); !errors.Is(err, levy.ErrFileType) {
		t.Errorf("header at byte 1100: %v; want ErrFileType", err)
	}
	// §2.10 names no image format: JPEG, PNG and BMP (decided, doc.go); a
	// GIF is refused before sending.
	gif := levy.FileFromBytes("a.gif", []byte("GIF89a...."))
	_, err := c.UploadIDCardImage(context.Background(), &levy.UploadIDCardImageRequest{RequestID: "I-gif", IDCardNo: "110101199003074477",
		RealName: "李四", FrontImage: gif, BackImage: gif})
	if !errors.Is(err, levy.ErrFileType) || errors.Is(err, levy.ErrOutcomeUnknown) {
		t.Errorf("GIF image: %v; want ErrFileType", err)
	}
}

// TestRemitCloseMeanings (conformance row 4): §2.5 "如果确认继续…出款状态变为
// PROCESS…缴税成功后再变为 CLOSE 状态"; "如果取消订单，出款状态变为 CLOSE";
// §3.3 "CLOSE 已关闭，客户已取消". The wire cannot tell the two CLOSEs
// apart; the step the host confirmed can.
func TestRemitCloseMeanings(t *testing.T) {
	t.Parallel()
	closed := levy.RemitOrder{RemitStatus: levy.RemitStatusClose}
	remit := levy.RemitOrder{RemitStatus: levy.RemitStatusRemit}
	process := levy.RemitOrder{RemitStatus: levy.RemitStatusProcess}
	if !closed.Paid(levy.NextStepContinue) || closed.Cancelled(levy.NextStepContinue) {
		t.Error("CLOSE after CONTINUE is tax paid")
	}
	if closed.Paid(levy.NextStepCancel) || !closed.Cancelled(levy.NextStepCancel) || !closed.Cancelled("") {
		t.Error("CLOSE after CANCEL, or never confirmed, is cancelled")
	}
	if !remit.Paid(levy.NextStepContinue) || process.Paid(levy.NextStepContinue) || process.Cancelled(levy.NextStepContinue) {
		t.Error("REMIT is paid, PROCESS neither paid nor cancelled")
	}
}

// TestEitherOrIsExactlyOne (conformance row 12, decided in doc.go): §2.3
// "credit_code, customer_id 二选一" is read as exactly one, by the client
// and the fake.
func TestEitherOrIsExactlyOne(t *testing.T) {
	t.Parallel()
	r := orderRequest("R-both")
	r.CustomerID = "C1"
	err := r.Validate()
	if err == nil || !strings.Contains(err.Error(), "credit_code|customer_id") {
		t.Errorf("both sent: %v; want credit_code|customer_id refused", err)
	}
	srv := newFake(t)
	code, msg := rawCall(t, srv, "CREATE_ORDER_V2", map[string]any{"request_id": "R-both", "id_card": "110101199003074477", "name": "李四",
		"tax_agent_parent_id": 12, "credit_code": "91110000MA01ABCD1X", "customer_id": "C1", "cellphone": "13800138000",
		"bankcard_no": "6222020200112233445", "profit": "100.00", "tax_mode": "GENERAL"})
	if code == "0" || !strings.Contains(msg, "二选一") {
		t.Errorf("fake, both sent: %s %q; want refused", code, msg)
	}
}

// TestAnswerNameIsTheRequests (conformance row 16): §1.1.2 "name 接口名称":
// a verified answer naming another interface is not this call's answer.
func TestAnswerNameIsTheRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, fixedTime)
	body, sig := signedOK(levy.OperationQueryIDCardImage, `{"request_id":"R1","status":"CLOSE"}`)
	mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
	if _, err := c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"}); !errors.Is(err, levy.ErrMalformedResponse) {
		t.Errorf("an answer named QUERY_ID_CARD_IMAGE to QUERY_ORDER_V2: %v; want ErrMalformedResponse", err)
	}
}

// TestConfirmDeadline (conformance row 18): §2.4 "在系统处理超过 72 小时还未确认
// 的代征订单后" the service closes it.
func TestConfirmDeadline(t *testing.T) {
	t.Parallel()
	r := &levy.CreateOrderResponse{AcceptTime: levy.Time{Time: fixedTime}}
	if got := r.ConfirmDeadline(); !got.Equal(fixedTime.Add(72 * time.Hour)) {
		t.Errorf("ConfirmDeadline = %v; want accept_time + 72 h", got)
	}
	if !(&levy.CreateOrderResponse{}).ConfirmDeadline().IsZero() {
		t.Error("no accept_time: want the zero time")
	}
}

// TestSizeLimitsDecided (conformance row 6, decided in doc.go): §2.8 "大小
// 不得超过 10MB", §2.10 R4 "不超过 1M", §2.12 R1 "15M", R2 "5M", read as
// MiB of the file before base64 (the larger reading).
func TestSizeLimitsDecided(t *testing.T) {
	t.Parallel()
	for name, got := range map[string]int64{"agreement": levy.MaxAgreementBytes, "ID image": levy.MaxIDImageBytes, "video": levy.MaxVideoBytes, "frame": levy.MaxFrameBytes} {
		want := map[string]int64{"agreement": 10 << 20, "ID image": 1 << 20, "video": 15 << 20, "frame": 5 << 20}[name]
		if got != want {
			t.Errorf("%s limit %d; want %d", name, got, want)
		}
	}
}

// TestIDTypesAsTheSpecSendsThem (conformance row 3): §2.7's tables type
// tax_agent_location_id and task_id I (an integer), and §2.4's sample
// (L319) sends `"tax_agent_location_id": ""`, a string. QUERY_ORDER_V2's
// answer decodes every form, through the one-pass path and the general
// one alike; an id that is not digits is a malformed answer.
func TestIDTypesAsTheSpecSendsThem(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		data     string
		location levy.ID
		task     levy.ID
	}{
		{`{"request_id":"R1","task_id":1234567890,"remit_order_list":[{"tax_agent_location_id":101,"amount":"100.00"}]}`, "101", "1234567890"},
		{`{"request_id":"R1","task_id":"1234567890","remit_order_list":[{"tax_agent_location_id":"101","amount":"100.00"}]}`, "101", "1234567890"},
		{`{"request_id":"R1","task_id":"","remit_order_list":[{"tax_agent_location_id":"","amount":"100.00"}]}`, "", ""},
		{`{"request_id":"R1","task_id":null,"remit_order_list":[{"tax_agent_location_id":null,"amount":"100.00"}]}`, "", ""},
		// an escape: not read in one pass, the same result
		{`{"request_id":"R1","task_id":"12\u0033","remit_order_list":[{"tax_agent_location_id":"10\u0031","amount":"100.00"}]}`, "101", "123"},
	} {
		c1, mt := newMockClient(t, fixedTime)
		body, sig := signedOK(levy.OperationQueryOrder, c.data)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
		q, err := c1.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"})
		if err != nil {
			t.Errorf("%s: %v", c.data, err)
			continue
		}
		if len(q.RemitOrderList) != 1 || q.RemitOrderList[0].TaxAgentLocationID != c.location || q.TaskID != c.task || q.RemitOrderList[0].Amount != levy.Yuan(100) {
			t.Errorf("%s: task_id %q, remit orders %+v; want task_id %q, one order at location %q of 100.00", c.data, q.TaskID, q.RemitOrderList, c.task, c.location)
		}
	}
	for _, data := range []string{
		`{"request_id":"R1","task_id":"12a"}`,
		`{"request_id":"R1","task_id":123456789012345678901}`,
		`{"request_id":"R1","remit_order_list":[{"tax_agent_location_id":"-1"}]}`,
	} {
		c1, mt := newMockClient(t, fixedTime)
		body, sig := signedOK(levy.OperationQueryOrder, data)
		mt.RegisterResponder(http.MethodPost, levy.TestBaseURL+"/api/levy/v1", signedResponder(200, body, sig))
		if _, err := c1.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"}); !errors.Is(err, levy.ErrMalformedResponse) {
			t.Errorf("%s: %v; want ErrMalformedResponse", data, err)
		}
	}
}

// specOrder is a CREATE_ORDER_V2 data the fake accepts, changed by mod.
func specOrder(id string, mod func(map[string]any)) map[string]any {
	d := map[string]any{"request_id": id, "id_card": "110101199003074477", "name": "李四", "tax_agent_parent_id": 12,
		"credit_code": "91110000MA01ABCD1X", "cellphone": "13800138000", "bankcard_no": "6222020200112233445", "profit": "100.00", "tax_mode": "GENERAL"}
	mod(d)
	return d
}

// TestFakeRefusesTheSpecsRows (review 2026-12-04, finding 5): each rule
// of the spec's tables that the fake did not enforce, sent by a wrong
// client (a raw signed request): the fake refuses it with 0002 and a
// message naming the field, and the SDK's client refuses the same input
// before sending (a *ValidationError naming the field, or ErrFileType for
// a file's content), or cannot express it (client nil, with the reason).
func TestFakeRefusesTheSpecsRows(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	ctx := context.Background()
	img := b64([]byte("\x89PNG\r\n\x1a\n...."))
	letters := strings.Repeat("A", 18)
	validation := func(field string, err error) error {
		if got := fields(err); len(got) != 1 || got[0] != field {
			return fmt.Errorf("fields %v (error %s); want %s", got, fmt.Sprint(err), field)
		}
		return nil
	}
	cases := []struct {
		rule   string // the spec's line
		op     string
		data   map[string]any
		field  string // what the fake's message names
		client func() error
	}{
		{"§2.3 L260 task_id N I 10", "CREATE_ORDER_V2", specOrder("R-task", func(d map[string]any) { d["task_id"] = 12345678901 }), "task_id",
			func() error {
				r := orderRequest("R-task")
				r.TaskID = "12345678901"
				return validation("task_id", r.Validate())
			}},
		// Limit2 is a bool, sent as "T" or not at all: no client can send "F".
		{"§2.2 L223 limit_2 二要素鉴权，是传入 T，不是不传即可", "SIGN_UP", map[string]any{"id_card": "110101199003074477", "name": "李四",
			"cellphone": "13800138000", "bankcard_no": "6222020200112233445", "limit_2": "F"}, "limit_2", nil},
		{"§2.3 L259 limit_2 N E (the flag of §2.2 L223)", "CREATE_ORDER_V2", specOrder("R-limit", func(d map[string]any) { d["limit_2"] = "F" }), "limit_2", nil},
		{"§2.3 L247 id_card Y S 18 纳税人身份证号", "CREATE_ORDER_V2", specOrder("R-card", func(d map[string]any) { d["id_card"] = letters }), "id_card",
			func() error {
				r := orderRequest("R-card")
				r.IDCard = letters
				return validation("id_card", r.Validate())
			}},
		{"§2.2 L219 id_card Y S 18 (17 digits and a letter not X)", "SIGN_UP", map[string]any{"id_card": "11010119900307447A", "name": "李四",
			"cellphone": "13800138000", "bankcard_no": "6222020200112233445"}, "id_card",
			func() error {
				return validation("id_card", (&levy.SignUpRequest{IDCard: "11010119900307447A", Name: "李四", Cellphone: "13800138000", BankcardNo: "6222020200112233445"}).Validate())
			}},
		{"§2.1 L192 id_card Y S 18 身份证号", "SYNC_SIGN", map[string]any{"request_id": "S-card", "id_card": letters, "real_name": "李四", "cellphone": "13800138000"}, "id_card",
			func() error {
				return validation("id_card", (&levy.SyncSignRequest{RequestID: "S-card", IDCard: letters, RealName: "李四", Cellphone: "13800138000"}).Validate())
			}},
		{"§2.6 L376 batch_details.id_card Y T 18 身份证号", "QUERY_SIGN_UP_BATCH", map[string]any{"batch_no": "B-card", "batch_details": []any{map[string]any{"id_card": letters}}},
			"batch_details.id_card", func() error {
				return validation("batch_details[0].id_card", (&levy.QuerySignUpBatchRequest{BatchNo: "B-card", BatchDetails: []levy.SignUpQuery{{IDCard: letters}}}).Validate())
			}},
		{"§2.6 L378 batch_details.tax_agent_parent_id N I 20", "QUERY_SIGN_UP_BATCH", map[string]any{"batch_no": "B-party",
			"batch_details": []any{map[string]any{"id_card": "110101199003074477", "tax_agent_parent_id": 0}}}, "tax_agent_parent_id",
			func() error {
				return validation("batch_details[0].tax_agent_parent_id", (&levy.QuerySignUpBatchRequest{BatchNo: "B-party",
					BatchDetails: []levy.SignUpQuery{{IDCard: "110101199003074477", TaxAgentParentID: "0"}}}).Validate())
			}},
		// BatchDetails is a slice: the client always sends a list.
		{"§2.6 L371 batch_details Y C 查询明细 (a list of details)", "QUERY_SIGN_UP_BATCH", map[string]any{"batch_no": "B-obj",
			"batch_details": map[string]any{"id_card": "110101199003074477"}}, "batch_details", nil},
		{"§2.10 L506 realName Y S 10 姓名", "UPLOAD_ID_CARD_IMAGE", map[string]any{"requestId": "I-name", "idCardNo": "110101199003074477",
			"realName": strings.Repeat("李", 11), "uploadWay": "DIRECT", "frontImage": img, "backImage": img}, "realName",
			func() error {
				f := levy.FileFromBytes("a.png", []byte("\x89PNG\r\n\x1a\n...."))
				return validation("realName", (&levy.UploadIDCardImageRequest{RequestID: "I-name", IDCardNo: "110101199003074477",
					RealName: strings.Repeat("李", 11), FrontImage: f, BackImage: f}).Validate())
			}},
		{"§2.12 L605 videoBase64: 视频支持 mp4、avi、flv 格式", "UPLOAD_FACEID_VIDEO_FRAME", map[string]any{"requestId": "V-fmt",
			"idCardNo": "110101199003074477", "videoBase64": b64([]byte("not a video at all"))}, "videoBase64",
			func() error {
				c, mt := newMockClient(t, fixedTime)
				_, err := c.UploadFaceIDVideoFrame(ctx, &levy.UploadFaceIDVideoFrameRequest{RequestID: "V-fmt", IDCardNo: "110101199003074477",
					Video: levy.FileFromBytes("v.mp4", []byte("not a video at all"))})
				if !errors.Is(err, levy.ErrFileType) || errors.Is(err, levy.ErrOutcomeUnknown) || mt.GetTotalCallCount() != 0 {
					return fmt.Errorf("error %s after %d requests; want ErrFileType before sending", fmt.Sprint(err), mt.GetTotalCallCount())
				}
				return nil
			}},
	}
	for _, tc := range cases {
		if code, msg := rawCall(t, srv, tc.op, tc.data); code != "0002" || !strings.Contains(msg, tc.field) {
			t.Errorf("%s: the fake answered %s %q; want 0002 naming %s", tc.rule, code, msg, tc.field)
		}
		if tc.client != nil {
			if err := tc.client(); err != nil {
				t.Errorf("%s: the client: %v", tc.rule, err)
			}
		}
	}
	// What the rules allow still passes: 10 digits, "T", an X check digit,
	// 10 characters, an MP4.
	for name, d := range map[string]map[string]any{
		"task_id of 10 digits": specOrder("R-ok1", func(d map[string]any) { d["task_id"] = 1234567890 }),
		`limit_2 "T"`:          specOrder("R-ok2", func(d map[string]any) { d["limit_2"] = "T" }),
		"id_card ending in X":  specOrder("R-ok3", func(d map[string]any) { d["id_card"] = "11010119900307001X" }),
	} {
		if code, msg := rawCall(t, srv, "CREATE_ORDER_V2", d); code != "0" {
			t.Errorf("%s: the fake answered %s %q; want 0", name, code, msg)
		}
	}
	if code, msg := rawCall(t, srv, "UPLOAD_ID_CARD_IMAGE", map[string]any{"requestId": "I-ok", "idCardNo": "110101199003074477",
		"realName": strings.Repeat("李", 10), "uploadWay": "DIRECT", "frontImage": img, "backImage": img}); code != "0" {
		t.Errorf("realName of 10: the fake answered %s %q; want 0", code, msg)
	}
	mp4 := append([]byte{0, 0, 0, 0x18}, "ftypisom...."...)
	if code, msg := rawCall(t, srv, "UPLOAD_FACEID_VIDEO_FRAME", map[string]any{"requestId": "V-ok", "idCardNo": "110101199003074477", "videoBase64": b64(mp4)}); code != "0" {
		t.Errorf("an MP4: the fake answered %s %q; want 0", code, msg)
	}
}
