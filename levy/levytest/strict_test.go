package levytest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

var cst = time.FixedZone("CST", 8*3600)

// call sends data as interface name, signed as a client would, and returns
// the answer's code and message: a wrong client, bypassing the SDK's own
// validation.
func call(t *testing.T, s *levytest.Server, path, name string, data map[string]any) (code, msg string, out map[string]any) {
	t.Helper()
	req, _ := json.Marshal(map[string]any{"name": name, "client_key": s.ClientKey,
		"timestamp": time.Now().In(cst).Format("2006-01-02T15:04:05.000"), "data": data})
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write(req)
	form := url.Values{"req": {string(req)}, "sign": {base64.StdEncoding.EncodeToString(m.Sum(nil))}}
	resp, err := http.PostForm(s.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans struct {
		Code, Message string
		Data          map[string]any
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		t.Fatal(err)
	}
	return ans.Code, ans.Message, ans.Data
}

func order(mod func(map[string]any)) map[string]any {
	d := map[string]any{"request_id": "R1", "id_card": "110101199003074477", "name": "李四", "tax_agent_parent_id": 12,
		"credit_code": "91110000MA01ABCD1X", "cellphone": "13800138000", "bankcard_no": "6222020200112233445",
		"profit": "100.00", "tax_mode": "GENERAL"}
	if mod != nil {
		mod(d)
	}
	return d
}

// TestFakeRefusesWhatTheServiceRefuses: each rule the fake enforces, with
// a wrong client that breaks it. The rule quoted is the spec's.
func TestFakeRefusesWhatTheServiceRefuses(t *testing.T) {
	t.Parallel()
	s, err := levytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const levy = "/api/levy/v1"
	cases := []struct {
		rule, path, name string
		data             map[string]any
	}{
		// §2.3 request_id S 32
		{"request_id of 40 characters", levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["request_id"] = strings.Repeat("R", 40) })},
		// §2.3 id_card S 18 (15 for first-generation cards)
		{`id_card "1"`, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["id_card"] = "1" })},
		// §2.3 tax_agent_parent_id Y I 20
		{"tax_agent_parent_id 0", levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["tax_agent_parent_id"] = 0 })},
		{"tax_agent_parent_id as text", levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["tax_agent_parent_id"] = "x" })},
		// §1.1.4 A: 单位元，精确到小数点后两位，使用字符串表示
		{`profit "1.5"`, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["profit"] = "1.5" })},
		{`profit "12"`, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["profit"] = "12" })},
		{"profit as a number", levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["profit"] = 12.34 })},
		// §2.3 name S 10
		{"name of 11 characters", levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["name"] = strings.Repeat("李", 11) })},
		// §2.9 file_name with the .pdf suffix; order_id of an existing order
		{"voucher x.txt", levy, "ADD_BANK_VOUCHER", map[string]any{"order_id": "RO1", "file_name": "x.txt", "file": "JVBERi0xLjQ="}},
		{"voucher for an unknown order", levy, "ADD_BANK_VOUCHER", map[string]any{"order_id": "RO404", "file_name": "x.pdf", "file": "JVBERi0xLjQ="}},
		// §2.10 uploadWay: DIRECT
		{`uploadWay "URL"`, "/api/tax/v1", "UPLOAD_ID_CARD_IMAGE", map[string]any{"requestId": "I1", "idCardNo": "110101199003074477", "realName": "张三",
			"uploadWay": "URL", "frontImage": "/9j/", "backImage": "/9j/"}},
	}
	// A real remit order, for the rules that need one.
	if code, msg, _ := call(t, s, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["request_id"] = "R-base" })); code != "0" {
		t.Fatalf("%s %s", code, msg)
	}
	_, _, q := call(t, s, levy, "QUERY_ORDER_V2", map[string]any{"request_id": "R-base"})
	remit := q["remit_order_list"].([]any)[0].(map[string]any)["order_id"].(string)
	cases = append(cases, struct {
		rule, path, name string
		data             map[string]any
	}{"arising_time not a timestamp", levy, "CONFIRM_ORDER_V2", map[string]any{"order_id": remit, "arising_time": "yesterday", "next_step": "CONTINUE"}})
	want := map[string]string{"request_id of 40 characters": "request_id", `id_card "1"`: "id_card", "tax_agent_parent_id 0": "tax_agent_parent_id",
		"tax_agent_parent_id as text": "tax_agent_parent_id", `profit "1.5"`: "profit", `profit "12"`: "profit", "profit as a number": "profit",
		"name of 11 characters": "name", "voucher x.txt": "file_name", "voucher for an unknown order": "订单不存在", `uploadWay "URL"`: "uploadWay",
		"arising_time not a timestamp": "arising_time"}
	for _, c := range cases {
		code, msg, _ := call(t, s, c.path, c.name, c.data)
		if code == "0" || !strings.Contains(msg, want[c.rule]) {
			t.Errorf("%s: answered %s %q; want a refusal naming %s", c.rule, code, msg, want[c.rule])
		}
	}
	// §2.8 contract_id 不可重复
	agreement := map[string]any{"request_id": "U1", "id_card": "110101199003074477", "name": "张三", "cellphone": "13800138000",
		"tax_agent_parent_id": 12, "contract_id": "K1", "contract_type": "EMPOWER_PROTOCOL", "file_data": "JVBERi0xLjQK"}
	if code, msg, _ := call(t, s, levy, "UPLOAD_TAXPAYER_AGREEMENT", agreement); code != "0" {
		t.Fatalf("first agreement refused: %s %s", code, msg)
	}
	agreement["request_id"] = "U2"
	if code, _, _ := call(t, s, levy, "UPLOAD_TAXPAYER_AGREEMENT", agreement); code == "0" {
		t.Error("duplicate contract_id accepted")
	}
	// 0001 is 系统失败 only: an unknown order is a business refusal.
	if code, _, _ := call(t, s, levy, "QUERY_ORDER_V2", map[string]any{"request_id": "R404"}); code != levytest.CodeRefused {
		t.Errorf("unknown order answered %s; want %s", code, levytest.CodeRefused)
	}
	// A 15-digit ID card is a valid card.
	if code, msg, _ := call(t, s, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["id_card"] = "110101900307447"; d["request_id"] = "R15" })); code != "0" {
		t.Errorf("15-digit ID card refused: %s %s", code, msg)
	}
}

// TestFakeSplitsOrders: an order without a location is split across the
// locations, one remit order each.
func TestFakeSplitsOrders(t *testing.T) {
	t.Parallel()
	s, err := levytest.NewServer(levytest.WithLocations(101, 102))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if code, msg, _ := call(t, s, "/api/levy/v1", "CREATE_ORDER_V2", order(nil)); code != "0" {
		t.Fatalf("%s %s", code, msg)
	}
	_, _, q := call(t, s, "/api/levy/v1", "QUERY_ORDER_V2", map[string]any{"request_id": "R1"})
	list, _ := q["remit_order_list"].([]any)
	if len(list) != 2 {
		t.Fatalf("remit orders = %v; want 2", q["remit_order_list"])
	}
	sum := 0.0
	for _, r := range list {
		a := r.(map[string]any)["amount"].(string)
		var f float64
		_ = json.Unmarshal([]byte(a), &f)
		sum += f
	}
	if sum != 100 {
		t.Errorf("split amounts sum to %v; want 100.00", sum)
	}
	if _, err := levytest.NewServer(levytest.WithLocations()); err == nil {
		t.Error("WithLocations() = nil error")
	}
	if _, err := levytest.NewServer(nil); err == nil {
		t.Error("NewServer(nil) = nil error")
	}
}

// TestFakeQuotaAndIdentity: 1009 when the taxpayer's quota is used up
// (§2.3 rule 2), given back by CANCEL (§2.5); 1010 when the name does not
// match the ID card (§2.3 rule 1).
func TestFakeQuotaAndIdentity(t *testing.T) {
	t.Parallel()
	s, err := levytest.NewServer(levytest.WithQuota(150_00), levytest.WithIdentity("110101199003074477", "李四"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const levy = "/api/levy/v1"
	if code, msg, _ := call(t, s, levy, "CREATE_ORDER_V2", order(nil)); code != "0" {
		t.Fatalf("first order: %s %s", code, msg)
	}
	if code, _, _ := call(t, s, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["request_id"] = "R2" })); code != "1009" {
		t.Errorf("order over the quota answered %s; want 1009", code)
	}
	_, _, q := call(t, s, levy, "QUERY_ORDER_V2", map[string]any{"request_id": "R1"})
	remit := q["remit_order_list"].([]any)[0].(map[string]any)["order_id"].(string)
	if code, msg, _ := call(t, s, levy, "CONFIRM_ORDER_V2", map[string]any{"order_id": remit, "arising_time": "2024-03-01T10:00:00.000", "next_step": "CANCEL"}); code != "0" {
		t.Fatalf("cancel: %s %s", code, msg)
	}
	if code, msg, _ := call(t, s, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["request_id"] = "R3" })); code != "0" {
		t.Errorf("order after a cancel answered %s %s; want the quota given back", code, msg)
	}
	if code, _, _ := call(t, s, levy, "CREATE_ORDER_V2", order(func(d map[string]any) { d["request_id"] = "R4"; d["name"] = "张三" })); code != "1010" {
		t.Errorf("wrong name answered %s; want 1010", code)
	}
	if _, err := levytest.NewServer(levytest.WithQuota(0)); err == nil {
		t.Error("WithQuota(0) = nil error")
	}
}

// TestFakeSigningPerParty: SIGN_UP signs with Olading or with the party
// given (§2.2 rule 3), and QUERY_SIGN_UP_BATCH answers per party (§2.6).
func TestFakeSigningPerParty(t *testing.T) {
	t.Parallel()
	s, err := levytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const levy, id = "/api/levy/v1", "110101199003074477"
	if code, msg, _ := call(t, s, levy, "SIGN_UP", map[string]any{"id_card": id, "name": "李四", "cellphone": "13800138000", "bankcard_no": "6222020200112233445"}); code != "0" {
		t.Fatal(code, msg)
	}
	_, _, q := call(t, s, levy, "QUERY_SIGN_UP_BATCH", map[string]any{"batch_no": "B1", "batch_details": []any{
		map[string]any{"id_card": id}, map[string]any{"id_card": id, "tax_agent_parent_id": 12}}})
	d := q["batch_details"].([]any)
	if d[0].(map[string]any)["status"] != "SIGN" || d[1].(map[string]any)["status"] != "UN_SIGN" || d[1].(map[string]any)["tax_agent_parent_id"] == nil {
		t.Errorf("batch = %v; want SIGN with Olading, UN_SIGN with party 12", d)
	}
}

// TestFakeRefusesBadEnvelopes: the envelope rules (§1.2 signature, the
// client key, the timestamp, the base path, a unique request_id).
func TestFakeRefusesBadEnvelopes(t *testing.T) {
	t.Parallel()
	s, err := levytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	post := func(path string, env map[string]any, secret string) string {
		req, _ := json.Marshal(env)
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(req)
		resp, err := http.PostForm(s.URL+path, url.Values{"req": {string(req)}, "sign": {base64.StdEncoding.EncodeToString(m.Sum(nil))}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ans struct{ Code string }
		_ = json.NewDecoder(resp.Body).Decode(&ans)
		return ans.Code
	}
	env := func(mod func(map[string]any)) map[string]any {
		e := map[string]any{"name": "QUERY_ORDER_V2", "client_key": s.ClientKey, "timestamp": time.Now().In(cst).Format("2006-01-02T15:04:05.000"),
			"data": map[string]any{"request_id": "R1"}}
		if mod != nil {
			mod(e)
		}
		return e
	}
	for name, code := range map[string]string{
		"wrong secret":     post("/api/levy/v1", env(nil), "another"),
		"wrong client key": post("/api/levy/v1", env(func(e map[string]any) { e["client_key"] = "other" }), s.Secret),
		"stale timestamp": post("/api/levy/v1", env(func(e map[string]any) {
			e["timestamp"] = time.Now().Add(-time.Hour).In(cst).Format("2006-01-02T15:04:05.000")
		}), s.Secret),
		"wrong base path": post("/api/tax/v1", env(nil), s.Secret),
	} {
		want := "0002"
		if name == "wrong secret" {
			want = "0003" // 验签失败
		}
		if code != want {
			t.Errorf("%s: answered %q; want %s", name, code, want)
		}
	}
	if code, _, _ := call(t, s, "/api/levy/v1", "CREATE_ORDER_V2", order(nil)); code != "0" {
		t.Fatal(code)
	}
	if code, _, _ := call(t, s, "/api/levy/v1", "CREATE_ORDER_V2", order(nil)); code == "0" {
		t.Error("duplicate request_id accepted")
	}
}
