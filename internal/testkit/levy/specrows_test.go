package levy_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
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
	resp, err := http.PostForm(s.URL+"/api/levy/v1", url.Values{"req": {string(req)}, "sign": {base64.StdEncoding.EncodeToString(m.Sum(nil))}})
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
		if len(q.RemitOrderList) != 1 || q.RemitOrderList[0].TaxAgentLocationID != c.location || q.TaskID != c.task || q.RemitOrderList[0].Amount != levy.Yuan(100, 0) {
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
