package levytest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// required lists each interface's required data fields (seed §2).
var required = map[string][]string{
	"SYNC_SIGN":                 {"request_id", "id_card", "real_name", "cellphone"},
	"SIGN_UP":                   {"id_card", "name", "cellphone", "bankcard_no"},
	"CREATE_ORDER_V2":           {"request_id", "id_card", "name", "tax_agent_parent_id", "cellphone", "bankcard_no", "tax_mode"},
	"CONFIRM_ORDER_V2":          {"order_id", "arising_time", "next_step"},
	"QUERY_SIGN_UP_BATCH":       {"batch_no", "batch_details"},
	"QUERY_ORDER_V2":            {"request_id"},
	"UPLOAD_TAXPAYER_AGREEMENT": {"request_id", "id_card", "name", "cellphone", "contract_id", "contract_type", "file_data"},
	"ADD_BANK_VOUCHER":          {"order_id", "file_name", "file"},
	"UPLOAD_ID_CARD_IMAGE":      {"requestId", "idCardNo", "realName", "uploadWay", "frontImage", "backImage"},
	"QUERY_ID_CARD_IMAGE":       {"requestId", "idCardNo"},
	"UPLOAD_FACEID_VIDEO_FRAME": {"requestId", "idCardNo"},
}

// maxRunes are the length column of the spec's request tables (S n).
var maxRunes = map[string]map[string]int{
	"SYNC_SIGN":                 {"request_id": 32, "real_name": 10, "cellphone": 11},
	"SIGN_UP":                   {"name": 10, "cellphone": 20, "bankcard_no": 20, "credit_code": 20, "customer_id": 50},
	"CREATE_ORDER_V2":           {"request_id": 32, "name": 10, "credit_code": 20, "customer_id": 50, "cellphone": 20, "bankcard_no": 20, "remark": 100},
	"CONFIRM_ORDER_V2":          {"order_id": 32},
	"QUERY_SIGN_UP_BATCH":       {"batch_no": 32},
	"QUERY_ORDER_V2":            {"request_id": 32},
	"UPLOAD_TAXPAYER_AGREEMENT": {"request_id": 32, "name": 10, "cellphone": 20, "contract_id": 50},
	"ADD_BANK_VOUCHER":          {"order_id": 20, "file_name": 30},
	"UPLOAD_ID_CARD_IMAGE":      {"requestId": 32, "realName": 10},
	"QUERY_ID_CARD_IMAGE":       {"requestId": 32},
	"UPLOAD_FACEID_VIDEO_FRAME": {"requestId": 32},
}

// ids are the I fields (integers of at most 20 digits, here also > 0;
// task_id "I 10", §2.3), idCards the ID card fields, amounts the A fields
// (a string with exactly two decimals: "单位元，精确到小数点后两位，使用字符串表示，例如 "12.34"").
var (
	ids      = []string{"tax_agent_parent_id", "tax_agent_location_id", "agent_parent_id", "task_id"}
	idDigits = map[string]int{"task_id": 10}
	idCards  = []string{"id_card", "idCardNo"}
	amounts  = []string{"profit", "pay_amount"}
)

// badID returns the refusal of an I field's value v, or "".
func badID(k string, v any) string {
	n := idDigits[k]
	if n == 0 {
		n = 20
	}
	f, isNum := v.(float64)
	if !isNum || f <= 0 || f != math.Trunc(f) || len(strconv.FormatFloat(f, 'f', -1, 64)) > n {
		return k + " 不是 " + strconv.Itoa(n) + " 位以内的正整数"
	}
	return ""
}

// idCard reports a resident ID card number (S 18): 17 digits and a check
// digit or X (GB 11643), or the 15 digits of a first-generation card.
func idCard(s string) bool {
	switch len(s) {
	case 15:
		return allDigits(s)
	case 18:
		return allDigits(s[:17]) && (allDigits(s[17:]) || s[17] == 'X' || s[17] == 'x')
	}
	return false
}

// videoMagic is §2.12's "视频支持 mp4、avi、flv 格式", by the first bytes.
func videoMagic(b []byte) bool {
	return (len(b) >= 8 && string(b[4:8]) == "ftyp") || (len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "AVI ") ||
		bytes.HasPrefix(b, []byte("FLV"))
}

// CodeRefused is what the fake answers for a business refusal (an order
// that does not exist, a remit order in the wrong state, a duplicate
// request_id or contract_id): the spec's table has no such code, so the fake
// uses 0002 with the reason in message. 0001 (系统失败) is kept for a
// system failure.
const CodeRefused = "0002"

// strict checks the value rules of the tables: lengths, ids, ID cards and
// amounts. It returns the refusal message, or "".
func strict(name string, d map[string]any) string {
	for k, n := range maxRunes[name] {
		if utf8.RuneCountInString(str(d, k)) > n {
			return k + " 超过长度 " + strconv.Itoa(n)
		}
	}
	for _, k := range ids {
		if v, ok := d[k]; ok {
			if m := badID(k, v); m != "" {
				return m
			}
		}
	}
	for _, k := range idCards {
		if _, ok := d[k]; ok && !idCard(str(d, k)) {
			return k + " 不是身份证号"
		}
	}
	// limit_2: "二要素鉴权，是传入 T，不是不传即可" (§2.2).
	if v, ok := d["limit_2"]; ok && v != "T" {
		return "limit_2 只能传入 T"
	}
	// batch_details: a list of 查询明细 (§2.6), each an object.
	if v, ok := d["batch_details"]; ok {
		list, isList := v.([]any)
		if !isList {
			return "batch_details 不是列表"
		}
		for _, it := range list {
			m, isObj := it.(map[string]any)
			if !isObj {
				return "batch_details 的明细不是对象"
			}
			if !idCard(str(m, "id_card")) {
				return "batch_details.id_card 不是身份证号"
			}
			if v, ok := m["tax_agent_parent_id"]; ok {
				if msg := badID("tax_agent_parent_id", v); msg != "" {
					return "batch_details." + msg
				}
			}
		}
	}
	for _, k := range amounts {
		v, ok := d[k]
		if !ok {
			continue
		}
		sv, isStr := v.(string)
		w, f, dot := strings.Cut(sv, ".")
		if !isStr || !dot || len(f) != 2 || w == "" || !allDigits(w) || !allDigits(f) {
			return k + " 金额格式错误"
		}
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func str(d map[string]any, k string) string {
	switch v := d[k].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// fen parses a yuan string with at most two decimals.
func fen(s string) (int64, bool) {
	w, f, _ := strings.Cut(s, ".")
	if len(f) > 2 {
		return 0, false
	}
	for len(f) < 2 {
		f += "0"
	}
	n, err := strconv.ParseInt(w+f, 10, 64)
	return n, err == nil && n > 0
}

func yuan(n int64) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }

// file checks a base64 upload against a size limit and magic bytes.
func file(d map[string]any, k string, max int, magic ...[]byte) string {
	b, err := base64.StdEncoding.DecodeString(str(d, k))
	if err != nil || len(b) == 0 {
		return k + " 不是 base64"
	}
	if len(b) > max {
		return k + " 超过大小限制"
	}
	for _, m := range magic {
		if bytes.HasPrefix(b, m) || (string(m) == "%PDF-" && bytes.Contains(b[:min(len(b), 1024)], m)) {
			return ""
		}
	}
	if len(magic) > 0 {
		return k + " 文件格式不支持"
	}
	return ""
}

const ts = "2006-01-02T15:04:05.000"

// handle runs one verified request: its answer code, message and data, and
// an optional notice to push after answering.
func (s *Server) handle(_ context.Context, name string, d map[string]any) (code, msg string, out any, notice func()) {
	for _, k := range required[name] {
		if v, ok := d[k]; !ok || v == nil || v == "" {
			return "0002", "参数不完整: " + k, nil, nil
		}
	}
	if m := strict(name, d); m != "" {
		return "0002", m, nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// "请求流水号，由商户保持唯一" / "请求批次号, 由商户保持唯一": an id is
	// taken by the first accepted call of an interface. A query repeated
	// with the same data (a retry after a lost answer) is answered again;
	// a call that changes state is refused whatever its data.
	var takeKey, fingerprint string
	if k := uniqueID[name]; k != "" {
		takeKey = name + "|" + str(d, k)
		b, _ := json.Marshal(d) // map keys sorted: the same data, the same text
		fingerprint = string(b)
		if prev, ok := s.taken[takeKey]; ok && (changesState(name) || prev != fingerprint) {
			return CodeRefused, k + " 重复", nil, nil
		}
	}
	code, msg, out, notice = s.dispatch(name, d)
	if code == "0" && takeKey != "" {
		s.taken[takeKey] = fingerprint
	}
	return code, msg, out, notice
}

// uniqueID names each interface's request id, which the merchant keeps
// unique. QUERY_ORDER_V2's request_id is the order's, looked up, not a new
// one.
var uniqueID = map[string]string{
	"SYNC_SIGN": "request_id", "CREATE_ORDER_V2": "request_id", "UPLOAD_TAXPAYER_AGREEMENT": "request_id",
	"QUERY_SIGN_UP_BATCH": "batch_no", "UPLOAD_ID_CARD_IMAGE": "requestId", "QUERY_ID_CARD_IMAGE": "requestId",
	"UPLOAD_FACEID_VIDEO_FRAME": "requestId",
}

func changesState(name string) bool {
	return name != "QUERY_SIGN_UP_BATCH" && name != "QUERY_ID_CARD_IMAGE"
}

// dispatch runs one checked request, with s.mu held.
func (s *Server) dispatch(name string, d map[string]any) (code, msg string, out any, notice func()) {
	now := s.now()
	// 1010 信息鉴权未通过: "纳税人信息会做实名认证" (§2.2, §2.3 rule 1);
	// under WithDeferredChecks SYNC_SIGN, SIGN_UP and CREATE_ORDER_V2 are
	// accepted and notified with code 1010.
	authFailed := false
	if id := str(d, "id_card"); id != "" {
		person := str(d, "name")
		if person == "" {
			person = str(d, "real_name")
		}
		if want, ok := s.identities[id]; ok && person != "" && person != want {
			if !s.deferred || (name != "SYNC_SIGN" && name != "SIGN_UP" && name != "CREATE_ORDER_V2") {
				return "1010", "信息鉴权未通过", nil, nil
			}
			authFailed = true
		}
	}
	switch name {
	case "SYNC_SIGN":
		id, rid := str(d, "id_card"), str(d, "request_id")
		if authFailed {
			return "0", "成功", map[string]any{"request_id": rid}, func() {
				s.pushCode(name, "1010", "信息鉴权未通过", map[string]any{"request_id": rid, "status": "UN_SIGN"})
			}
		}
		if s.rejected[id] {
			return "0", "成功", map[string]any{"request_id": rid}, nil // R4: not signed within 24 h, no notification
		}
		s.synced[id] = true // the service agreement, apart from SIGN_UP's authorisation
		return "0", "成功", map[string]any{"request_id": rid}, func() { s.push(name, map[string]any{"request_id": rid, "status": "SIGN"}) }
	case "SIGN_UP":
		id := str(d, "id_card")
		if str(d, "tax_agent_parent_id") != "" && str(d, "credit_code") == "" {
			return "0002", "参数不完整: credit_code", nil, nil
		}
		// Signing state per party: with Olading ("") or with the qualified
		// party tax_agent_parent_id (rule 3).
		key := id + "|" + str(d, "tax_agent_parent_id")
		if s.signed[key] {
			return "0", "成功", map[string]any{"id_card": id, "status": "SIGN"}, nil // rule 2: no notification
		}
		if authFailed {
			return "0", "成功", map[string]any{"id_card": id, "status": "ACCEPT"},
				func() {
					s.pushCode(name, "1010", "信息鉴权未通过", map[string]any{"id_card": id, "status": "UN_SIGN"})
				}
		}
		if s.rejected[id] {
			return "0", "成功", map[string]any{"id_card": id, "status": "ACCEPT"},
				func() { s.push(name, map[string]any{"id_card": id, "status": "UN_SIGN"}) }
		}
		s.signed[key] = true
		return "0", "成功", map[string]any{"id_card": id, "status": "ACCEPT"},
			func() { s.push(name, map[string]any{"id_card": id, "status": "SIGN"}) }
	case "QUERY_SIGN_UP_BATCH":
		list, _ := d["batch_details"].([]any)
		if len(list) > 500 {
			return "0002", "batch_details 超过 500 条", nil, nil
		}
		var details []map[string]any
		for _, it := range list {
			m, _ := it.(map[string]any)
			st := "UN_SIGN"
			if s.signed[str(m, "id_card")+"|"+str(m, "tax_agent_parent_id")] {
				st = "SIGN"
			}
			detail := map[string]any{"id_card": str(m, "id_card"), "status": st}
			if v, ok := m["tax_agent_parent_id"]; ok {
				detail["tax_agent_parent_id"] = v // returned only for a party's agreement
			}
			details = append(details, detail)
		}
		return "0", "成功", map[string]any{"batch_no": str(d, "batch_no"), "batch_details": details}, nil
	case "CREATE_ORDER_V2":
		return s.createOrder(d, now, authFailed)
	case "QUERY_ORDER_V2":
		o := s.orders[str(d, "request_id")]
		if o == nil {
			return CodeRefused, "订单不存在", nil, nil
		}
		return "0", "成功", o.view(), nil
	case "CONFIRM_ORDER_V2":
		o := s.remits[str(d, "order_id")]
		if o == nil {
			return CodeRefused, "订单不存在", nil, nil
		}
		if _, err := time.ParseInLocation(ts, str(d, "arising_time"), cst); err != nil {
			return "0002", "arising_time 格式错误", nil, nil
		}
		for _, r := range o.Remits {
			if r.OrderID != str(d, "order_id") {
				continue
			}
			if r.Status != "ACCEPT" {
				return CodeRefused, "出款状态为 " + r.Status + "，不能确认", nil, nil
			}
			switch str(d, "next_step") {
			case "CONTINUE":
				r.Status = "PROCESS" // §2.5: "出款状态变为 PROCESS，将进入缴税流程且不可撤销"
			case "CANCEL":
				r.Status = "CLOSE"
				if s.limit > 0 {
					s.used[o.IDCard] -= r.Amount // "恢复被占用的缴税额度" (§2.5)
				}
			default:
				return "0002", "next_step 取值错误", nil, nil
			}
			o.ArisingTime, _ = time.ParseInLocation(ts, str(d, "arising_time"), cst)
		}
		return "0", "成功", map[string]any{"order_id": str(d, "order_id")}, nil
	case "UPLOAD_TAXPAYER_AGREEMENT":
		ct := str(d, "contract_type")
		switch {
		case ct != "EMPOWER_PROTOCOL" && ct != "SUBSTITUTES_PROTOCOL":
			return "0002", "contract_type 取值错误", nil, nil
		case ct == "EMPOWER_PROTOCOL" && str(d, "tax_agent_parent_id") == "":
			return "0002", "参数不完整: tax_agent_parent_id", nil, nil
		case ct == "SUBSTITUTES_PROTOCOL" && str(d, "tax_agent_location_id") == "":
			return "0002", "参数不完整: tax_agent_location_id", nil, nil
		}
		if m := file(d, "file_data", 10<<20, []byte("%PDF-")); m != "" {
			return "0002", m, nil, nil
		}
		if s.contracts[str(d, "contract_id")] {
			return CodeRefused, "contract_id 重复", nil, nil
		}
		s.contracts[str(d, "contract_id")] = true
		s.seq++
		res := map[string]any{"request_id": str(d, "request_id"), "contract_id": str(d, "contract_id"), "file_id": fmt.Sprintf("F%08d", s.seq)}
		ack := map[string]any{"status": "ACCEPT"}
		done := map[string]any{"status": "SUCCESS"}
		for k, v := range res {
			ack[k], done[k] = v, v
		}
		if s.rejected[str(d, "id_card")] {
			done["status"] = "FAIL" // §3.6 上传失败: no file in the system
			delete(done, "file_id")
		}
		return "0", "成功", ack, func() { s.push(name, done) }
	case "ADD_BANK_VOUCHER":
		if !strings.HasSuffix(strings.ToLower(str(d, "file_name")), ".pdf") {
			return "0002", "file_name 须以 .pdf 结尾", nil, nil
		}
		if s.remits[str(d, "order_id")] == nil {
			return CodeRefused, "订单不存在", nil, nil
		}
		if m := file(d, "file", math.MaxInt, []byte("%PDF-")); m != "" {
			return "0002", m, nil, nil
		}
		return "0", "成功", map[string]any{"order_id": str(d, "order_id"), "status": "SUCCESS"}, nil
	case "UPLOAD_ID_CARD_IMAGE":
		if str(d, "uploadWay") != "DIRECT" {
			return "0002", "uploadWay 仅支持 DIRECT", nil, nil
		}
		for _, k := range []string{"frontImage", "backImage"} {
			if m := file(d, k, 1<<20); m != "" {
				return "0002", m, nil, nil
			}
		}
		result := map[string]any{"requestId": str(d, "requestId"), "status": "IDENTIFY_SUCCESS"}
		if s.rejected[str(d, "idCardNo")] {
			result["status"], result["failReason"] = "IDENTIFY_FAIL", "证件照片无法识别"
		}
		s.idImages[str(d, "idCardNo")] = result["status"].(string)
		return "0", "成功", map[string]any{"requestId": str(d, "requestId"), "status": "ACCEPT"},
			func() { s.push(name, result) }
	case "QUERY_ID_CARD_IMAGE":
		st := s.idImages[str(d, "idCardNo")]
		if st == "" {
			st = "UN_IDENTIFY"
		}
		return "0", "成功", map[string]any{"requestId": str(d, "requestId"), "status": st}, nil
	case "UPLOAD_FACEID_VIDEO_FRAME":
		switch {
		case str(d, "videoBase64") != "":
			if m := file(d, "videoBase64", 15<<20); m != "" {
				return "0002", m, nil, nil
			}
			if b, _ := base64.StdEncoding.DecodeString(str(d, "videoBase64")); !videoMagic(b) {
				return "0002", "videoBase64 文件格式不支持: 视频支持 mp4、avi、flv 格式", nil, nil
			}
		case str(d, "frameBase64") != "":
			if m := file(d, "frameBase64", 5<<20, []byte{0xFF, 0xD8, 0xFF}); m != "" {
				return "0002", m, nil, nil
			}
		default:
			return "0002", "参数不完整: videoBase64", nil, nil
		}
		return "0", "成功", map[string]any{"requestId": str(d, "requestId"), "status": "SUCCESS"}, nil
	}
	return "0002", "未知接口 " + name, nil, nil
}

// createOrder accepts an order; the notice moves it to CLOSE with one remit
// order in ACCEPT (6% service fee), which then waits for confirmation.
func (s *Server) createOrder(d map[string]any, now time.Time, authFailed bool) (string, string, any, func()) {
	rid := str(d, "request_id")
	if s.orders[rid] != nil {
		return CodeRefused, "request_id 重复", nil, nil
	}
	if (str(d, "credit_code") == "") == (str(d, "customer_id") == "") {
		return "0002", "credit_code 与 customer_id 二选一", nil, nil
	}
	profit, payAmount := str(d, "profit"), str(d, "pay_amount")
	if (profit == "") == (payAmount == "") {
		return "0002", "profit 与 pay_amount 二选一", nil, nil
	}
	var amount, actual int64

	if profit != "" {
		n, ok := fen(profit)
		if !ok {
			return "0002", "profit 格式错误", nil, nil
		}
		amount, actual = n, n+int64(math.Round(float64(n)*0.06))
	} else {
		n, ok := fen(payAmount)
		if !ok {
			return "0002", "pay_amount 格式错误", nil, nil
		}
		actual, amount = n, int64(math.Round(float64(n)/1.06))
	}
	if tm := str(d, "tax_mode"); tm != "GENERAL" && tm != "SPECIAL" {
		return "0002", "tax_mode 取值错误", nil, nil
	}
	// 1009 可用额度不足: "受理成功会占用纳税人的可用纳税额度" (§2.3 rule 2).
	if s.limit > 0 && !authFailed {
		if s.used[str(d, "id_card")]+amount > s.limit {
			return "1009", "可用额度不足", nil, nil
		}
		s.used[str(d, "id_card")] += amount
	}
	locs := s.locations
	if loc, _ := strconv.ParseInt(str(d, "tax_agent_location_id"), 10, 64); loc > 0 {
		locs = []int64{loc}
	}
	o := &order{RequestID: rid, IDCard: str(d, "id_card"), Name: str(d, "name"), CreditCode: str(d, "credit_code"),
		CustomerID: str(d, "customer_id"), Cellphone: str(d, "cellphone"), BankcardNo: str(d, "bankcard_no"),
		TaxMode: str(d, "tax_mode"), Status: "ACCEPT", AcceptTime: now}
	// Split across the locations: equal shares, the remainder on the first.
	n := int64(len(locs))
	for i, loc := range locs {
		a, t := amount/n, actual/n
		if i == 0 {
			a, t = amount-a*(n-1), actual-t*(n-1)
		}
		s.seq++
		r := &remit{OrderID: fmt.Sprintf("RO%010d", s.seq), Status: "ACCEPT", LocationID: loc, Amount: a,
			Fee: t - a, Actual: t, SumFee: t - a, accepted: now}
		o.Remits = append(o.Remits, r)
		s.remits[r.OrderID] = o
	}
	o.TaskID, _ = strconv.ParseInt(str(d, "task_id"), 10, 64)
	s.orders[rid] = o
	rejected := s.rejected[o.IDCard]
	return "0", "成功", map[string]any{"request_id": rid, "accept_time": now.In(cst).Format(ts)}, func() {
		s.mu.Lock()
		o.Status = "CLOSE" // §3.2 case 2: the internal remit orders are created, the merchant may pay
		code, msg := "0", "成功"
		if rejected || authFailed {
			// §3.2 case 4 (客户信息查询失败) or case 1 (校验未通过): closed
			// without remit orders.
			o.FailReason = "客户信息查询失败"
			if authFailed {
				o.FailReason, code, msg = "信息鉴权未通过", "1010", "信息鉴权未通过"
			}
			for _, r := range o.Remits {
				delete(s.remits, r.OrderID)
			}
			o.Remits = nil
		}
		view := o.view()
		s.mu.Unlock()
		s.pushCode("CREATE_ORDER_V2", code, msg, map[string]any{"request_id": rid, "status": view["status"], "remit_order_list": view["remit_order_list"], "fail_reason": o.FailReason})
	}
}

func (o *order) view() map[string]any {
	var list []map[string]any
	for _, r := range o.Remits {
		list = append(list, map[string]any{"order_id": r.OrderID, "tax_agent_location_id": r.LocationID,
			"amount": yuan(r.Amount), "fee": yuan(r.Fee), "actual_amount": yuan(r.Actual),
			"compensate_fee": yuan(r.Compensate), "sum_fee": yuan(r.SumFee), "remit_status": r.Status})
	}
	v := map[string]any{"request_id": o.RequestID, "id_card": o.IDCard, "name": o.Name, "credit_code": o.CreditCode,
		"customer_id": o.CustomerID, "remit_order_list": list, "tax_mode": o.TaxMode, "accept_time": o.AcceptTime.In(cst).Format(ts),
		"cellphone": o.Cellphone, "bankcard_no": o.BankcardNo, "status": o.Status, "fail_reason": o.FailReason, "task_id": o.TaskID}
	if !o.ArisingTime.IsZero() {
		v["arising_time"] = o.ArisingTime.In(cst).Format(ts)
	} else {
		v["arising_time"] = ""
	}
	return v
}
