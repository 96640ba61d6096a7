// Package allinpaytest is an in-process fake of the Allinpay OATS
// gateway, like net/http/httptest: it verifies the merchant's signatures,
// signs its answers with its own platform key, keeps orders (P000 until a
// simulated scan, immediate success for MICROPAY), enforces refund ≤ paid,
// same-day voids, closing only unpaid orders and unique outTransNo, pushes
// signed notifications with retries until SUCCESS, serves generated
// reconciliation files, and injects faults. Its keys are the project's
// public test keys.
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
	FaultDelay FaultKind = iota + fault.KindDelay
	FaultStatus500
	FaultDropConnection
	FaultBadSignature
	FaultDuplicateNotify
	FaultProcessThenDrop
	FaultTruncated // process, then send half of the answer
)

// Fault is an injected failure.
type Fault struct {
	Kind  FaultKind
	Count int
	Delay time.Duration
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
	calls       map[string]int
	seq         int
	pushes      sync.WaitGroup
	delivered   map[string]int
}

// Order is the fake's view of an order.
type Order struct {
	OutTransNo, TransType, Currency, NotifyURL, TransNo, ResultCode string
	Amount, Refunded                                                int64
	Created, PaidAt                                                 time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the fake's clock.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// NewServer starts a fake gateway on 127.0.0.1.
func NewServer(opts ...Option) (*Server, error) {
	// The test keys are embedded in internal/testvectors: they are there in
	// -trimpath and vendored builds too.
	read := func(n string) []byte { return testvectors.MustRead("keys/" + n) }
	mp := read("merchant_rsa_private_pkcs1.pem")
	mpub := read("merchant_rsa_public.pem")
	pp := read("platform_rsa_private_pkcs1.pem")
	ppub := read("platform_rsa_public.pem")
	s := &Server{MerchantPrivateKey: mp, PlatformPublicKey: ppub, AccessCode: "20000000", MchNo: "6666666600003",
		clock: time.Now, orders: map[string]*Order{}, calls: map[string]int{}, delivered: map[string]int{}}
	var err error
	if s.platform, err = keys.ParseRSAPrivateKey(pp); err != nil {
		return nil, err
	}
	if s.merchantPub, err = keys.ParseRSAPublicKey(mpub); err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(s)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// Close waits for pending pushes and stops the server.
func (s *Server) Close() { s.pushes.Wait(); s.Server.Close() }

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	s.faults.Add(fault.Fault{Kind: int(f.Kind), Count: f.Count, Delay: f.Delay})
}

// Calls returns how many requests of transType reached the server.
func (s *Server) Calls(transType string) int {
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
// tests of a receiver.
func (s *Server) SignNotification(f map[string]string) []byte {
	cp := map[string]string{}
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
		"transType": o.TransType, "signType": "RSA2", "mchNo": s.MchNo, "outTransNo": o.OutTransNo,
		"transAmount": strconv.FormatInt(o.Amount, 10), "currency": o.Currency, "resultCode": o.ResultCode, "resultMsg": "transact successfully",
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
	if o == nil || o.ResultCode != "P000" {
		s.mu.Unlock()
		return fmt.Errorf("allinpaytest: order %s is not pending", outTransNo)
	}
	o.ResultCode, o.PaidAt = "0000", s.clock()
	cp := *o
	s.mu.Unlock()
	s.push(&cp)
	return nil
}

func (s *Server) takeFault() (Fault, bool) {
	f, ok := s.faults.Take(func(k int) bool { return FaultKind(k) == FaultDuplicateNotify })
	return Fault{Kind: FaultKind(f.Kind), Count: f.Count, Delay: f.Delay}, ok
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
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
	s.calls[f["transType"]]++
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
	var after func()
	if r.URL.Path == "/gateway/download/downloadbill" {
		s.bill(f, out)
	} else {
		after = s.transact(f, out)
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

func result(out map[string]string, code, msg string) {
	out["resultCode"], out["resultMsg"] = code, msg
}

// transact runs one consumeTrans request; it may return a push to run
// after answering.
func (s *Server) transact(f, out map[string]string) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := f["transType"]
	now := s.clock()
	switch {
	case t == "TRANS_QUERY":
		o := s.orders[f["oriOutTransNo"]]
		if o == nil {
			result(out, "0007", "Order doesn't exist")
			return nil
		}
		out["outTransNo"] = o.OutTransNo
		out["transAmount"], out["currency"], out["transNo"] = strconv.FormatInt(o.Amount, 10), o.Currency, o.TransNo
		if !o.PaidAt.IsZero() {
			out["payTime"] = o.PaidAt.In(cst).Format("20060102150405")
		}
		result(out, o.ResultCode, "queried")
	case strings.HasSuffix(t, "_RETURN"):
		o := s.orders[f["oriOutTransNo"]]
		amt, _ := strconv.ParseInt(f["transAmount"], 10, 64)
		switch {
		case o == nil:
			result(out, "0025", "original transaction doesn't exist.")
		case o.ResultCode != "0000":
			result(out, "0026", "The status of original transaction is abnormal")
		case amt <= 0 || o.Refunded+amt > o.Amount:
			result(out, "0027", "Transaction amount is illegal")
		default:
			o.Refunded += amt
			s.seq++
			out["transAmount"], out["transNo"] = f["transAmount"], fmt.Sprintf("RF%08d", s.seq)
			result(out, "0000", "transact successfully")
		}
	case strings.HasSuffix(t, "_CANCEL"):
		o := s.orders[f["oriOutTransNo"]]
		switch {
		case o == nil:
			result(out, "0025", "original transaction doesn't exist.")
		case o.ResultCode != "0000" || o.Refunded > 0:
			result(out, "0026", "The status of original transaction is abnormal")
		case o.PaidAt.In(cst).Format("20060102") != now.In(cst).Format("20060102"):
			result(out, "0032", "Original transaction doesn't support voiding.")
		default:
			o.ResultCode = "VOID"
			result(out, "0000", "transact successfully")
		}
	case t == "CLOSE_ORDER":
		o := s.orders[f["oriOutTransNo"]]
		switch {
		case o == nil:
			result(out, "0025", "original transaction doesn't exist.")
		case o.ResultCode == "CLOSED":
			result(out, "0039", "Order has been closed.")
		case o.ResultCode != "P000":
			result(out, "0038", "Order has been paid and is not allowed to close.")
		default:
			o.ResultCode = "CLOSED"
			result(out, "0000", "transact successfully")
		}
	default:
		if s.orders[f["outTransNo"]] != nil {
			result(out, "0022", "the order is recurrent")
			return nil
		}
		amt, err := strconv.ParseInt(f["transAmount"], 10, 64)
		if err != nil || amt <= 0 || f["currency"] == "" || f["notifyUrl"] == "" {
			result(out, "0001", "The request parameters are illegal")
			return nil
		}
		s.seq++
		o := &Order{OutTransNo: f["outTransNo"], TransType: t, Currency: f["currency"], NotifyURL: f["notifyUrl"], Amount: amt,
			Created: now, TransNo: fmt.Sprintf("T%08d", s.seq), ResultCode: "P000"}
		s.orders[o.OutTransNo] = o
		out["transNo"] = o.TransNo
		if strings.HasSuffix(t, "_MICROPAY") {
			o.ResultCode, o.PaidAt = "0000", now
			out["payTime"] = now.In(cst).Format("20060102150405")
			result(out, "0000", "transact successfully")
			cp := *o
			return func() { s.push(&cp) }
		}
		if strings.HasSuffix(t, "_SCANCODE") {
			out["codeUrl"] = "https://qr.example.invalid/" + o.TransNo
		} else {
			out["payInfo"] = `{"tradeNo":"` + o.TransNo + `"}`
		}
		result(out, "P000", "Transaction is processing")
	}
	return nil
}

// bill writes the reconciliation file of billDate: paid orders of that
// day (in UTC+8), amounts with two decimals, and the summary line.
func (s *Server) bill(f, out map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	day := f["billDate"]
	var rows []*Order
	for _, o := range s.orders {
		if !o.PaidAt.IsZero() && o.PaidAt.In(cst).Format("20060102") == day {
			rows = append(rows, o)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].OutTransNo < rows[j].OutTransNo })
	var b strings.Builder
	var pay, fee, total int64
	for _, o := range rows {
		fe := o.Amount * 6 / 1000
		pay, fee, total = pay+o.Amount, fee+fe, total+o.Amount
		fmt.Fprintf(&b, "%s,%s,Test Merchant,T01,%s,%s,,,,,%s,%s,%s,0.00,%s,%s,%s,%s,0.00,1.0000,,\r\n",
			day, s.MchNo, o.TransNo, o.TransType, o.PaidAt.In(cst).Format("2006-01-02 15:04:05"), o.Currency, dec(o.Amount), o.Currency,
			dec(o.Amount-fe), dec(fe), dec(o.Amount))
	}
	fmt.Fprintf(&b, "Summary,%s,HKD,%s,%s,%s,%d,%s,0.00\r\n", day, dec(pay), dec(fee), dec(pay-fee), len(rows), dec(total))
	out["billData"] = base64.StdEncoding.EncodeToString([]byte(b.String()))
	result(out, "0000", "transact successfully")
}

func dec(n int64) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }
