// Package allinpaytest is an in-process fake of the Allinpay OATS
// gateway, like net/http/httptest: it verifies the merchant's signatures,
// checks the header fields, the merchant and the transType each interface
// takes, signs its answers with its own platform key, keeps orders (P000
// until a simulated scan, immediate success for MICROPAY, which needs an
// authCode), enforces refund ≤ paid (refunds idempotent by their
// outTransNo), same-day voids of the same wallet, closing only unpaid
// orders and unique outTransNo (0022, or 0074 for a paid one), stores
// refunds and voids (queryable, notified), pushes signed notifications
// with retries until SUCCESS, serves reconciliation files from the next
// day on (refund and void rows, several currencies, a quoted merchant name),
// and injects faults. It answers only result codes of the spec's table.
// Its keys are the project's public test keys.
package allinpaytest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

var cst = time.FixedZone("CST", 8*3600)

// FaultKind names an injected failure.
type FaultKind int

// Faults, applied to the next Count requests.
const (
	FaultDelay FaultKind = iota + 1 // the numbering of the shared fault kinds
	FaultStatus500
	FaultDropConnection
	FaultBadSignature
	FaultDuplicateNotify
	FaultProcessThenDrop
	FaultTruncated // process, then send half of the answer
	// FaultResultCode answers Fault.ResultCode, signed, as the platform
	// does when the code's condition holds: 9996 (busy) before processing;
	// 9999, 9997 and 0051 after it (the platform may have acted).
	FaultResultCode
)

// Fault is an injected failure.
type Fault struct {
	Kind       FaultKind
	Count      int
	Delay      time.Duration
	ResultCode allinpay.ResultCode // FaultResultCode
}

// Server is the fake gateway.
type Server struct {
	*httptest.Server
	// MerchantPrivateKey and PlatformPublicKey are the PEM keys a client
	// needs (WithKeys).
	MerchantPrivateKey, PlatformPublicKey []byte
	AccessCode, MchNo                     string

	platform    *rsa.PrivateKey
	merchantPub *rsa.PublicKey
	mu          sync.Mutex
	clock       func() time.Time
	orders      map[string]*Order
	faults      fault.Queue
	calls       map[allinpay.TransType]int
	codes       []allinpay.ResultCode // FaultResultCode's, in order
	seq         int
	pushes      sync.WaitGroup
	delivered   map[string]int
}

// OrderStatus is the fake's state of an order.
type OrderStatus string

// Order states.
const (
	OrderStatusPending OrderStatus = "pending"
	OrderStatusPaid    OrderStatus = "paid"
	OrderStatusVoided  OrderStatus = "voided"
	OrderStatusClosed  OrderStatus = "closed"
)

// Order is the fake's view of a transaction: a payment, or a refund or
// void of one (OriOutTransNo set), each stored under its own outTransNo,
// queryable and notified.
type Order struct {
	OutTransNo, OriOutTransNo, NotifyURL, TransNo string
	TransType                                     allinpay.TransType
	Currency                                      allinpay.Currency
	Status                                        OrderStatus
	Amount, Refunded                              allinpay.Amount
	Created, PaidAt                               time.Time
}

// resultCode is what a query of o answers (only codes of §1.7.2).
func (o *Order) resultCode() allinpay.ResultCode {
	switch o.Status {
	case OrderStatusPaid:
		return allinpay.ResultCodeSuccess
	case OrderStatusVoided:
		return allinpay.ResultCodeOriginalVoided
	case OrderStatusClosed:
		return allinpay.ResultCodeOrderClosed
	}
	return allinpay.ResultCodeProcessing
}

// ServerOption configures a Server.
type ServerOption func(*Server) error

// WithClock sets the fake's clock.
func WithClock(now func() time.Time) ServerOption {
	return func(s *Server) error {
		if now == nil {
			return fmt.Errorf("allinpaytest: WithClock(nil)")
		}
		s.clock = now
		return nil
	}
}

// NewServer starts a fake gateway on 127.0.0.1.
func NewServer(opts ...ServerOption) (*Server, error) {
	// The test keys are embedded in internal/testvectors: they are there in
	// -trimpath and vendored builds too.
	read := func(n string) []byte { return testvectors.MustRead("keys/" + n) }
	mp := read("merchant_rsa_private_pkcs1.pem")
	mpub := read("merchant_rsa_public.pem")
	pp := read("platform_rsa_private_pkcs1.pem")
	ppub := read("platform_rsa_public.pem")
	s := &Server{MerchantPrivateKey: mp, PlatformPublicKey: ppub, AccessCode: "20000000", MchNo: "6666666600003",
		clock: time.Now, orders: map[string]*Order{}, calls: map[allinpay.TransType]int{}, delivered: map[string]int{}}
	var err error
	if s.platform, err = keys.ParseRSAPrivateKey(pp); err != nil {
		return nil, err
	}
	if s.merchantPub, err = keys.ParseRSAPublicKey(mpub); err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("allinpaytest: nil ServerOption")
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// Close stops the server (waiting for the requests in flight), then waits
// for the pushes they started.
func (s *Server) Close() {
	// The HTTP server first (no new handler starts), then every handler
	// still running, hijacked ones included, and the pushes they started.
	s.Server.Close()
	s.pushes.Wait()
}

// The kinds share the numbering of the project's fault injector.
var _ = [1]struct{}{}[int(FaultDelay)-fault.KindDelay]

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	if f.Kind == FaultResultCode {
		s.mu.Lock()
		for range max(f.Count, 1) {
			s.codes = append(s.codes, f.ResultCode)
		}
		s.mu.Unlock()
	}
	s.faults.Add(fault.Fault{Kind: int(f.Kind), Count: f.Count, Delay: f.Delay})
}

// Calls returns how many requests of transType reached the server.
func (s *Server) Calls(transType allinpay.TransType) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[transType]
}

// Delivered returns how many notifications for outTransNo were answered
// SUCCESS.
func (s *Server) Delivered(outTransNo string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered[outTransNo]
}

// WaitNotifications waits for every push so far.
func (s *Server) WaitNotifications() { s.pushes.Wait() }

// Order returns a copy of an order.
func (s *Server) Order(outTransNo string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[outTransNo]
	if !ok {
		return Order{}, false
	}
	return *o, true
}

func (s *Server) sign(f map[string]string) string {
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, s.platform, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig)
}

// SignNotification returns the form body of a signed notification, for
// tests of a receiver. The header fields f leaves out (requestNo, version,
// accessCode, signType, mchNo) are the fake's; an empty value in f is
// sent empty (outside the signature, as absent). Each call makes a new
// requestNo unless f sets one, and the idempotency key covers every signed
// field: to redeliver one notification, send the same body again.
func (s *Server) SignNotification(f map[string]string) []byte {
	cp := map[string]string{"requestNo": fmt.Sprintf("N%d", time.Now().UnixNano()), "version": "V1.0", "accessCode": s.AccessCode,
		"signType": "RSA2", "mchNo": s.MchNo}
	for k, v := range f {
		cp[k] = v
	}
	cp["signature"] = s.sign(cp)
	form := url.Values{}
	for k, v := range cp {
		form.Set(k, v)
	}
	return []byte(form.Encode())
}

func (s *Server) notification(o *Order) map[string]string {
	f := map[string]string{"requestNo": fmt.Sprintf("N%d", time.Now().UnixNano()), "version": "V1.0", "accessCode": s.AccessCode,
		"transType": string(o.TransType), "signType": "RSA2", "mchNo": s.MchNo, "outTransNo": o.OutTransNo,
		"transAmount": strconv.FormatInt(int64(o.Amount), 10), "currency": string(o.Currency), "resultCode": string(o.resultCode()), "resultMsg": "transact successfully",
		"transNo": o.TransNo, "bankTradeNo": "BT" + o.TransNo, "bankUserId": "user-" + o.OutTransNo}
	if !o.PaidAt.IsZero() {
		f["payTime"] = o.PaidAt.In(cst).Format("20060102150405")
	}
	return f
}

// push sends a notification with retries (5 attempts) until SUCCESS.
func (s *Server) push(o *Order) {
	if o.NotifyURL == "" {
		return
	}
	body := s.SignNotification(s.notification(o))
	copies := 1
	if s.faults.Has(int(FaultDuplicateNotify)) {
		copies = 2
	}
	for range copies {
		s.pushes.Add(1)
		go func() {
			defer s.pushes.Done()
			for attempt := 0; attempt < 5; attempt++ {
				if attempt > 0 {
					time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
				}
				resp, err := http.Post(o.NotifyURL, "application/x-www-form-urlencoded", bytes.NewReader(body))
				if err != nil {
					continue
				}
				var b [16]byte
				n, _ := resp.Body.Read(b[:])
				resp.Body.Close()
				if string(b[:n]) == "SUCCESS" {
					s.mu.Lock()
					s.delivered[o.OutTransNo]++
					s.mu.Unlock()
					return
				}
			}
		}()
	}
}

// SimulatePay makes the customer pay a pending order (scan, confirm) and
// pushes its notification.
func (s *Server) SimulatePay(outTransNo string) error {
	s.mu.Lock()
	o := s.orders[outTransNo]
	if o == nil || o.Status != OrderStatusPending {
		s.mu.Unlock()
		return fmt.Errorf("allinpaytest: order %s is not pending", outTransNo)
	}
	o.Status, o.PaidAt = OrderStatusPaid, s.clock()
	cp := *o
	s.mu.Unlock()
	s.push(&cp)
	return nil
}

func (s *Server) takeFault() (Fault, bool) {
	f, ok := s.faults.Take(func(k int) bool { return FaultKind(k) == FaultDuplicateNotify })
	return Fault{Kind: FaultKind(f.Kind), Count: f.Count, Delay: f.Delay}, ok
}

// headerFields are the fields every request carries (§1.5.1).
var headerFields = []string{"requestNo", "version", "accessCode", "transType", "signType", "mchNo"}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// A handler counts as a push in flight: one that drops its connection
	// (hijacked, so httptest's Close no longer waits for it) may still push
	// a notification, and Close must wait for that too.
	s.pushes.Add(1)
	defer s.pushes.Done()
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	f := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) != 1 {
			s.reply(w, map[string]string{"returnCode": "0001", "returnMsg": "duplicate field " + k}, false)
			return
		}
		f[k] = v[0]
	}
	s.mu.Lock()
	s.calls[allinpay.TransType(f["transType"])]++
	s.mu.Unlock()
	flt, has := s.takeFault()
	if has && fault.Before(w, r, fault.Fault{Kind: int(flt.Kind), Delay: flt.Delay}) {
		return
	}
	sig, err := base64.StdEncoding.DecodeString(f["signature"])
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	if err != nil || rsa.VerifyPKCS1v15(s.merchantPub, crypto.SHA256, sum[:], sig) != nil {
		s.reply(w, map[string]string{"returnCode": "0012", "returnMsg": "Failure in verifying signature"}, false)
		return
	}
	out := map[string]string{"requestNo": f["requestNo"], "version": f["version"], "accessCode": f["accessCode"], "transType": f["transType"],
		"signType": "RSA2", "mchNo": f["mchNo"], "outTransNo": f["outTransNo"], "returnCode": "0000", "returnMsg": "succeed"}
	if code, msg := s.checkHeader(r.URL.Path, f); code != "" {
		result(out, code, msg)
		s.reply(w, out, false)
		return
	}
	var code allinpay.ResultCode
	if has && flt.Kind == FaultResultCode {
		s.mu.Lock()
		if len(s.codes) > 0 {
			code, s.codes = s.codes[0], s.codes[1:]
		}
		s.mu.Unlock()
		if code.Meaning() == allinpay.MeaningRetryLater {
			result(out, code, "The system is busy")
			s.reply(w, out, false)
			return
		}
	}
	var after func()
	if r.URL.Path == "/gateway/download/downloadbill" {
		s.bill(f, out)
	} else {
		after = s.transact(f, out)
	}
	if code != "" {
		for _, k := range []string{"codeUrl", "payInfo", "payTime", "transNo", "transAmount", "currency", "billData"} {
			delete(out, k)
		}
		result(out, code, "injected")
	}
	switch {
	case has && flt.Kind == FaultProcessThenDrop:
		fault.Drop(w)
	case has && flt.Kind == FaultTruncated:
		rec := httptest.NewRecorder()
		s.reply(rec, out, false)
		fault.Truncate(w, rec)
	default:
		s.reply(w, out, has && flt.Kind == FaultBadSignature)
	}
	if after != nil {
		after()
	}
}

// checkHeader applies the rules of §1.5.1 and the appendix every request
// meets: the header fields, this fake's merchant, and a transType the path
// takes. It returns a result code of §1.7.2 when one is broken.
func (s *Server) checkHeader(path string, f map[string]string) (allinpay.ResultCode, string) {
	bill := path == "/gateway/download/downloadbill"
	for _, k := range headerFields {
		if f[k] == "" && !(bill && k == "mchNo") { // §1.5.3.1's request has no mchNo
			return allinpay.ResultCodeIllegalParameters, k + " is required"
		}
	}
	switch {
	case f["signType"] != "RSA2":
		return allinpay.ResultCodeIllegalParameters, "signType must be RSA2"
	case f["accessCode"] != s.AccessCode:
		return allinpay.ResultCodeAccessOrgWrong, "Access organization ID is wrong."
	case f["mchNo"] != s.MchNo && !(bill && f["mchNo"] == ""):
		return allinpay.ResultCodeMerchantNotExist, "Merchant information doesn't exist."
	case len(f["requestNo"]) > 32:
		return allinpay.ResultCodeIllegalParameters, "requestNo exceeds 32"
	}
	t := allinpay.TransType(f["transType"])
	if path == "/gateway/download/downloadbill" {
		if t != allinpay.TransTypeDownloadCheckBill {
			return allinpay.ResultCodeIllegalParameters, "transType is not DOWNLOAD_CHECK_BILL"
		}
		if _, err := time.Parse("20060102", f["billDate"]); err != nil || len(f["billDate"]) != 8 {
			return allinpay.ResultCodeIllegalParameters, "billDate must be N8 (yyyyMMdd)"
		}
		return "", ""
	}
	if path != "/gateway/pay/consumeTrans" {
		return allinpay.ResultCodeIllegalParameters, "unknown interface"
	}
	switch {
	case t == allinpay.TransTypeTransQuery, t == allinpay.TransTypeCloseOrder, isPay(t),
		strings.HasSuffix(string(t), "_RETURN") && t.ReturnType() == t,
		strings.HasSuffix(string(t), "_CANCEL") && t.CancelType() == t:
	default:
		return allinpay.ResultCodeIllegalParameters, "transType is not one of consumeTrans"
	}
	if t != allinpay.TransTypeTransQuery && f["outTransNo"] == "" {
		return allinpay.ResultCodeOutTransNoMissing, "Merchant order number cannot be null"
	}
	if len(f["outTransNo"]) > 32 || len(f["oriOutTransNo"]) > 32 {
		return allinpay.ResultCodeIllegalParameters, "outTransNo exceeds 32"
	}
	if t != allinpay.TransTypeTransQuery && f["notifyUrl"] == "" {
		// notifyUrl is M for payments, refunds, voids and closes.
		return allinpay.ResultCodeIllegalParameters, "notifyUrl is required"
	}
	if c := f["currency"]; c != "" && !knownCurrency(allinpay.Currency(c)) {
		return allinpay.ResultCodeIllegalParameters, "currency is not one of §1.8.3"
	}
	// §1.5.1.2 classes, as the allinpay package doc reads them: requestNo
	// and a payment's outTransNo are AN (letters, digits, '_', '-'); no
	// field holds a control character.
	if !isAN(f["requestNo"]) || isPay(t) && !isAN(f["outTransNo"]) {
		return allinpay.ResultCodeIllegalParameters, "requestNo and outTransNo are AN"
	}
	// A refund's, void's and close's outTransNo and every oriOutTransNo
	// are AS 32: printable ASCII without space, '&' or '=', as the
	// allinpay package doc reads the class (mchNo is the merchant's own
	// number: any other is 0010).
	for _, k := range [...]string{"outTransNo", "oriOutTransNo"} {
		if v := f[k]; v != "" && !isAS(v) {
			return allinpay.ResultCodeIllegalParameters, k + " is AS"
		}
	}
	for k, v := range f {
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return allinpay.ResultCodeIllegalParameters, k + " holds a control character"
		}
	}
	for k, max := range fieldMax {
		if n := gbkBytes(f[k]); n > max {
			return allinpay.ResultCodeIllegalParameters, fmt.Sprintf("%s is %d bytes, at most %d", k, n, max)
		}
	}
	for _, k := range []string{"transAmount", "tipsAmount"} {
		if len(f[k]) > 12 { // N12
			return allinpay.ResultCodeIllegalParameters, k + " exceeds N12"
		}
	}
	return "", ""
}

// fieldMax are the request lengths of §1.5.2.x in bytes (a Chinese
// character as 2, §1.5.1.3); the lengths the seed cuts are read as the
// allinpay package doc says.
var fieldMax = map[string]int{"version": 6, "accessCode": 20, "transType": 20, "signType": 8, "mchNo": 30, "currency": 10,
	"notifyUrl": 256, "storeId": 20, "limitPay": 20, "authCode": 128, "openId": 256, "terminalIp": 256, "subAppid": 32,
	"goodsSubject": 128, "goodsDetail": 1000, "returnUrl": 256, "referUrl": 256, "paymentInstitution": 8, "supplier": 128,
	"appenv": 512, "tradeInformation": 600, "refundReson": 256, "expireTime": 10, "billDate": 8}

func isAN(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func isAS(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '&' || c == '=' {
			return false
		}
	}
	return true
}

func gbkBytes(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x80 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

func knownCurrency(c allinpay.Currency) bool {
	switch c {
	case allinpay.CurrencyCNY, allinpay.CurrencyHKD, allinpay.CurrencyUSD, allinpay.CurrencyCAD, allinpay.CurrencySGD:
		return true
	}
	return false
}

func isPay(t allinpay.TransType) bool {
	switch t {
	case allinpay.TransTypeWxpayScancode, allinpay.TransTypeWxpayMicropay, allinpay.TransTypeWxpayApp, allinpay.TransTypeWxpayMinapp, allinpay.TransTypeWxpayBranchMP,
		allinpay.TransTypeAlipayScancode, allinpay.TransTypeAlipayMicropay, allinpay.TransTypeAlipayPCWeb, allinpay.TransTypeAlipayH5, allinpay.TransTypeAlipayApp,
		allinpay.TransTypeUnionpayScancode, allinpay.TransTypeUnionpayMicropay, allinpay.TransTypePaynowScancode:
		return true
	}
	return false
}

func (s *Server) reply(w http.ResponseWriter, f map[string]string, badSign bool) {
	if f["returnCode"] == "0000" {
		f["signature"] = s.sign(f)
		if badSign {
			f["resultMsg"] += " (tampered)"
		}
	}
	b, _ := json.Marshal(f)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(b)
}

func result(out map[string]string, code allinpay.ResultCode, msg string) {
	out["resultCode"], out["resultMsg"] = string(code), msg
}

// transact runs one consumeTrans request; it may return a push to run
// after answering.
func (s *Server) transact(f, out map[string]string) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := allinpay.TransType(f["transType"])
	now := s.clock()
	switch {
	case t == allinpay.TransTypeTransQuery:
		o := s.orders[f["oriOutTransNo"]]
		if o == nil {
			result(out, allinpay.ResultCodeOrderNotExist, "Order doesn't exist")
			return nil
		}
		out["outTransNo"] = o.OutTransNo
		out["transAmount"], out["currency"], out["transNo"] = strconv.FormatInt(int64(o.Amount), 10), string(o.Currency), o.TransNo
		if !o.PaidAt.IsZero() {
			out["payTime"] = o.PaidAt.In(cst).Format("20060102150405")
		}
		result(out, o.resultCode(), "queried")
	case strings.HasSuffix(string(t), "_RETURN"):
		o := s.orders[f["oriOutTransNo"]]
		amt, _ := allinpay.ParseAmount(f["transAmount"])
		if rf := s.orders[f["outTransNo"]]; rf != nil {
			// The same refund number again: the same refund, not a second one.
			if rf.TransType != t || rf.OriOutTransNo != f["oriOutTransNo"] || rf.Amount != amt {
				result(out, allinpay.ResultCodeOrderRecurrent, "the order is recurrent")
				return nil
			}
			out["transAmount"], out["transNo"] = f["transAmount"], rf.TransNo
			result(out, allinpay.ResultCodeSuccess, "transact successfully")
			return nil
		}
		switch {
		case o == nil:
			result(out, allinpay.ResultCodeOriginalNotExist, "original transaction doesn't exist.")
		case !isPay(o.TransType):
			// A refund or a void is no payment to refund (§1.5.2.3: "the
			// total amount of refunding cannot exceed the total amount of
			// original transaction").
			result(out, allinpay.ResultCodeNoRefundSupport, "The transaction doesn't support refunding.")
		case o.Status != OrderStatusPaid:
			result(out, allinpay.ResultCodeOriginalAbnormal, "The status of original transaction is abnormal")
		case allinpay.TransType(t) != o.TransType.ReturnType():
			result(out, allinpay.ResultCodeIllegalParameters, "transType does not match the original's wallet")
		case allinpay.Currency(f["currency"]) != o.Currency:
			result(out, allinpay.ResultCodeIllegalParameters, "currency does not match the original's")
		case amt <= 0 || o.Refunded+amt > o.Amount:
			result(out, allinpay.ResultCodeIllegalAmount, "Transaction amount is illegal")
		default:
			o.Refunded += amt
			s.seq++
			rf := &Order{OutTransNo: f["outTransNo"], OriOutTransNo: o.OutTransNo, NotifyURL: f["notifyUrl"], TransNo: fmt.Sprintf("RF%08d", s.seq),
				TransType: t, Currency: o.Currency, Status: OrderStatusPaid, Amount: amt, Created: now, PaidAt: now}
			s.orders[rf.OutTransNo] = rf
			out["transAmount"], out["transNo"] = f["transAmount"], rf.TransNo
			result(out, allinpay.ResultCodeSuccess, "transact successfully")
			cp := *rf
			return func() { s.push(&cp) }
		}
	case strings.HasSuffix(string(t), "_CANCEL"):
		o := s.orders[f["oriOutTransNo"]]
		if v := s.orders[f["outTransNo"]]; v != nil {
			if v.TransType != t || v.OriOutTransNo != f["oriOutTransNo"] {
				result(out, allinpay.ResultCodeOrderRecurrent, "the order is recurrent")
			} else {
				result(out, allinpay.ResultCodeSuccess, "transact successfully")
			}
			return nil
		}
		switch {
		case o == nil:
			result(out, allinpay.ResultCodeOriginalNotExist, "original transaction doesn't exist.")
		case !isPay(o.TransType):
			result(out, allinpay.ResultCodeNoVoidSupport, "Original transaction doesn't support voiding.")
		case o.Status == OrderStatusVoided:
			result(out, allinpay.ResultCodeOriginalVoided, "original transaction has been voided.")
		case o.Refunded > 0:
			result(out, allinpay.ResultCodeOriginalVoidOrRefundStarted, "Original transaction has initiated voiding or refunding.")
		case o.Status != OrderStatusPaid:
			result(out, allinpay.ResultCodeOriginalAbnormal, "The status of original transaction is abnormal")
		case o.PaidAt.In(cst).Format("20060102") != now.In(cst).Format("20060102"):
			result(out, allinpay.ResultCodeNoVoidSupport, "Original transaction doesn't support voiding.")
		case o.TransType.CancelType() != t:
			result(out, allinpay.ResultCodeIllegalParameters, "transType does not match the original's wallet")
		default:
			o.Status = OrderStatusVoided
			s.seq++
			v := &Order{OutTransNo: f["outTransNo"], OriOutTransNo: o.OutTransNo, NotifyURL: f["notifyUrl"], TransNo: fmt.Sprintf("VD%08d", s.seq),
				TransType: t, Currency: o.Currency, Status: OrderStatusPaid, Amount: o.Amount, Created: now, PaidAt: now}
			s.orders[v.OutTransNo] = v
			result(out, allinpay.ResultCodeSuccess, "transact successfully")
			cp := *v
			return func() { s.push(&cp) }
		}
	case t == allinpay.TransTypeCloseOrder:
		o := s.orders[f["oriOutTransNo"]]
		switch {
		case o == nil:
			result(out, allinpay.ResultCodeOriginalNotExist, "original transaction doesn't exist.")
		case o.Status == OrderStatusClosed:
			result(out, allinpay.ResultCodeOrderClosed, "Order has been closed.")
		case !strings.HasPrefix(string(o.TransType), "WXPAY_") && !strings.HasPrefix(string(o.TransType), "ALIPAY_"):
			// §1.5.2.5: "close transaction by QR code payment of Wechat and Alipay".
			result(out, allinpay.ResultCodeUnauthorized, "unauthorized transaction")
		case o.Status != OrderStatusPending:
			result(out, allinpay.ResultCodePaidCannotClose, "Order has been paid and is not allowed to close.")
		default:
			o.Status = OrderStatusClosed
			result(out, allinpay.ResultCodeSuccess, "transact successfully")
		}
	default:
		if o := s.orders[f["outTransNo"]]; o != nil {
			if o.Status == OrderStatusPaid && o.TransType == t {
				result(out, allinpay.ResultCodeOrderPaid, "The order has been paid.")
			} else {
				result(out, allinpay.ResultCodeOrderRecurrent, "the order is recurrent")
			}
			return nil
		}
		amt, err := allinpay.ParseAmount(f["transAmount"])
		tips, terr := allinpay.ParseAmount(f["tipsAmount"])
		if err != nil || terr != nil || amt <= 0 || tips < 0 || tips > amt || f["currency"] == "" || f["notifyUrl"] == "" {
			result(out, allinpay.ResultCodeIllegalParameters, "The request parameters are illegal")
			return nil
		}
		if t.IsMicropay() && f["authCode"] == "" {
			result(out, allinpay.ResultCodeAuthCodeWrong, "Parameters of authorization code are wrong.")
			return nil
		}
		if msg := productRule(t, f); msg != "" {
			result(out, allinpay.ResultCodeIllegalParameters, msg)
			return nil
		}
		s.seq++
		o := &Order{OutTransNo: f["outTransNo"], TransType: t, Currency: allinpay.Currency(f["currency"]), NotifyURL: f["notifyUrl"], Amount: amt,
			Created: now, TransNo: fmt.Sprintf("T%08d", s.seq), Status: OrderStatusPending}
		s.orders[o.OutTransNo] = o
		out["transNo"] = o.TransNo
		if t.IsMicropay() {
			o.Status, o.PaidAt = OrderStatusPaid, now
			out["payTime"] = now.In(cst).Format("20060102150405")
			result(out, allinpay.ResultCodeSuccess, "transact successfully")
			cp := *o
			return func() { s.push(&cp) }
		}
		if strings.HasSuffix(string(t), "_SCANCODE") {
			out["codeUrl"] = "https://qr.example.invalid/" + o.TransNo
		} else {
			out["payInfo"] = `{"tradeNo":"` + o.TransNo + `"}`
		}
		result(out, allinpay.ResultCodeProcessing, "Transaction is processing")
	}
	return nil
}

// productRule applies §1.5.2.1's per-product conditions; it returns what
// is missing, or "".
func productRule(t allinpay.TransType, f map[string]string) string {
	need := func(keys ...string) string {
		for _, k := range keys {
			if f[k] == "" {
				return k + " is required for " + string(t)
			}
		}
		return ""
	}
	switch t {
	case allinpay.TransTypeWxpayBranchMP:
		// "openId ... required when payment is made by Wechat Official
		// Account"; terminalIp likewise; subAppid for an official account.
		return need("openId", "terminalIp", "subAppid")
	case allinpay.TransTypeWxpayApp:
		return need("terminalIp") // "required when ... Wechat official account or Wechat APP"
	case allinpay.TransTypeAlipayPCWeb, allinpay.TransTypeAlipayH5, allinpay.TransTypeAlipayApp:
		if m := need("referUrl", "paymentInstitution"); m != "" {
			return m
		}
		if pi := f["paymentInstitution"]; pi != "ALIPAYHK" && pi != "ALIPAYCN" {
			return "paymentInstitution: It supports ALIPAYHK and ALIPAYCN only."
		}
		if t != allinpay.TransTypeAlipayPCWeb {
			if m := need("returnUrl"); m != "" { // "required when ... Alipay APP or H5"
				return m
			}
		}
		if t == allinpay.TransTypeAlipayApp {
			if m := need("appenv"); m != "" {
				return m
			}
		}
		if f["paymentInstitution"] == "ALIPAYCN" {
			return need("tradeInformation") // "It is required when wallet type is ALIPAYCN"
		}
	}
	return ""
}

// bill writes the reconciliation file of billDate: every payment, refund
// and void of that day (in UTC+8), refund and void rows with negative
// amounts, the merchant name quoted (it holds a comma), amounts with two
// decimals, and a summary line of the net amounts in the settlement
// currency (HKD, or the one currency of the rows). A day not over yet is
// refused (§1.5.3.1: "in the next day").
func (s *Server) bill(f, out map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	day := f["billDate"]
	if day >= s.clock().In(cst).Format("20060102") {
		result(out, allinpay.ResultCodeNotAllowedNow, "Transaction is not allowed during the period of time.")
		return
	}
	var rows []*Order
	currencies := map[allinpay.Currency]bool{}
	for _, o := range s.orders {
		if !o.PaidAt.IsZero() && o.PaidAt.In(cst).Format("20060102") == day {
			rows = append(rows, o)
			currencies[o.Currency] = true
		}
	}
	summary := allinpay.CurrencyHKD
	if len(currencies) == 1 {
		for c := range currencies {
			summary = c
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].OutTransNo < rows[j].OutTransNo })
	var b strings.Builder
	var pay, fee, total allinpay.Amount
	for _, o := range rows {
		amt, fe := o.Amount, o.Amount*6/1000
		if o.TransType.Kind() != allinpay.KindPayment {
			amt, fe = -amt, 0
		}
		if o.Currency == summary {
			pay, fee, total = pay+amt, fee+fe, total+amt
		}
		fmt.Fprintf(&b, "%s,%s,\"Test Merchant, Hong Kong\",T01,%s,%s,,,,,%s,%s,%s,0.00,%s,%s,%s,%s,0.00,1.0000,%s,\r\n",
			day, s.MchNo, o.TransNo, o.TransType, o.PaidAt.In(cst).Format("2006-01-02 15:04:05"), o.Currency, amt, o.Currency,
			amt-fe, fe, amt, o.OriOutTransNo)
	}
	fmt.Fprintf(&b, "Summary,%s,%s,%s,%s,%s,%d,%s,0.00\r\n", day, summary, pay, fee, pay-fee, len(rows), total)
	out["billData"] = base64.StdEncoding.EncodeToString([]byte(b.String()))
	result(out, allinpay.ResultCodeSuccess, "transact successfully")
}
