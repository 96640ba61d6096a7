// Package levytest is an in-process fake of the Olading levy API, like
// net/http/httptest: it speaks the real wire format with its own client key
// and secret, verifies signatures, timestamps (±5 minutes) and base paths,
// and enforces the spec's tables: required fields, lengths, integer ids
// (task_id of at most 10 digits), two-decimal amounts, ID cards of 17
// digits and a digit or X (or the 15 digits of a first-generation card),
// limit_2 "T" only, batch_details a list, unique request_id and
// contract_id, file types (a liveness video mp4, avi or flv) and suffixes,
// DIRECT as the only uploadWay (0002, 0003; CodeRefused for business
// refusals), quotas (1009, WithQuota)
// and real-name checks (1010, WithIdentity; notified with code 1010 under
// WithDeferredChecks). Every request id is taken once per interface
// (request_id, requestId, batch_no: "由商户保持唯一"); a query repeated
// with the same data is answered again. An order does not need a SIGN_UP
// first: the spec ties CREATE_ORDER_V2 to the real-name check and the
// quota (§2.3 rules 1 and 2), not to a signed authorisation. It keeps state: taxpayers,
// orders ACCEPT → CLOSE once their remit orders exist, remit orders ACCEPT
// → PROCESS → REMIT or ACCEPT → CLOSE, the 72-hour auto-close on its clock
// (Advance). It splits an order across the locations of WithLocations,
// signs its answers, pushes signed notifications to a URL with retries
// (CREATE_ORDER_V2, SIGN_UP, SYNC_SIGN, UPLOAD_TAXPAYER_AGREEMENT,
// UPLOAD_ID_CARD_IMAGE, one CLOSE_ORDER_NOTICE per remit order), and
// injects faults.
package levytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/fault"
)

// Defaults of a new Server.
const (
	DefaultClientKey = "levytest-client-key"
	DefaultSecret    = "levytest-secret-0123456789"
)

var cst = time.FixedZone("CST", 8*3600)

// Fault is an injected failure for the next Count calls (of any interface).
type Fault struct {
	Kind  FaultKind
	Count int
	Delay time.Duration // for FaultDelay
}

// FaultKind names a failure.
type FaultKind int

// Faults.
const (
	FaultDelay                 FaultKind = iota + 1 // answer after Delay (the values are internal/fault's kinds)
	FaultStatus500                                  // HTTP 500, unsigned
	FaultDropConnection                             // close the connection without an answer, after reading the request
	FaultBadSignature                               // a wrong Api-Sign
	FaultDuplicateNotification                      // push every notification twice, concurrently
	FaultProcessThenDrop                            // process the request, then drop the connection (ambiguous outcome)
	FaultTruncated                                  // process the request, then send half of the answer
)

// Server is a fake levy provider. Use its URL as the client's base URL.
type Server struct {
	*httptest.Server
	ClientKey, Secret string

	mu         sync.Mutex
	offset     time.Duration
	clock      func() time.Time
	notifyURL  string
	faults     fault.Queue
	calls      map[string]int
	signed     map[string]bool
	orders     map[string]*order // by request_id
	remits     map[string]*order // by remit order_id
	idImages   map[string]string
	seq        int
	locations  []int64
	contracts  map[string]bool
	identities map[string]string // id_card -> name, for 1010
	limit      int64             // fen per taxpayer, for 1009 (0: none)
	used       map[string]int64
	rejected   map[string]bool
	synced     map[string]bool   // SYNC_SIGN's service agreements, by ID card
	deferred   bool              // WithDeferredChecks
	taken      map[string]string // name|request id -> the data of the call that took it
	pushes     sync.WaitGroup
	delivered  map[string]int
}

type order struct {
	RequestID, IDCard, Name, CreditCode, CustomerID, Cellphone, BankcardNo, TaxMode, FailReason, Status string
	TaskID                                                                                              int64
	AcceptTime, ArisingTime                                                                             time.Time
	Remits                                                                                              []*remit
}

type remit struct {
	OrderID, Status                         string
	LocationID                              int64
	Amount, Fee, Actual, Compensate, SumFee int64
	accepted                                time.Time
}

// ServerOption configures a Server.
type ServerOption func(*Server) error

// WithCredentials sets the client key and secret the fake expects.
func WithCredentials(clientKey, secret string) ServerOption {
	return func(s *Server) error {
		if clientKey == "" || secret == "" {
			return errors.New("levytest: WithCredentials: empty client key or secret")
		}
		s.ClientKey, s.Secret = clientKey, secret
		return nil
	}
}

// WithClock sets the fake's clock (time.Now by default); Advance moves it.
func WithClock(now func() time.Time) ServerOption {
	return func(s *Server) error {
		if now == nil {
			return errors.New("levytest: WithClock(nil)")
		}
		s.clock = now
		return nil
	}
}

// WithNotifyURL sets where notifications are pushed.
func WithNotifyURL(u string) ServerOption {
	return func(s *Server) error {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return errors.New("levytest: WithNotifyURL: want an absolute http(s) URL")
		}
		s.notifyURL = u
		return nil
	}
}

// WithLocations sets the qualified party's locations (tax_agent_location_id;
// 101 by default). An order that names no location is split across all of
// them, as the service splits by the party's configuration and each
// location's monthly limit (§2.3): one remit order per location, each with
// its own CLOSE_ORDER_NOTICE.
func WithLocations(ids ...int64) ServerOption {
	return func(s *Server) error {
		if len(ids) == 0 {
			return errors.New("levytest: WithLocations: no location")
		}
		for _, id := range ids {
			if id <= 0 {
				return fmt.Errorf("levytest: WithLocations: bad id %d", id)
			}
		}
		s.locations = append([]int64(nil), ids...)
		return nil
	}
}

// WithIdentity registers a person's name for an ID card: a request with
// that ID card and another name is answered 1010 (信息鉴权未通过), as the
// service's real-name check does.
func WithIdentity(idCard, name string) ServerOption {
	return func(s *Server) error {
		if idCard == "" || name == "" {
			return errors.New("levytest: WithIdentity: empty ID card or name")
		}
		s.identities[idCard] = name
		return nil
	}
}

// WithRejected makes the service's later checks fail for these ID cards:
// SIGN_UP is accepted, then notified UN_SIGN; SYNC_SIGN is accepted and
// never notified (R4: not signed within 24 hours); ID images are notified
// IDENTIFY_FAIL; an agreement upload is notified FAIL (§3.6 上传失败); an
// order closes without remit orders, with a fail_reason (§3.2 case 4).
func WithRejected(idCards ...string) ServerOption {
	return func(s *Server) error {
		for _, id := range idCards {
			if id == "" {
				return errors.New("levytest: WithRejected: empty ID card")
			}
			s.rejected[id] = true
		}
		return nil
	}
}

// WithDeferredChecks moves the real-name check of WithIdentity
// ("纳税人信息会做实名认证", §2.2 and §2.3 rule 1) after acceptance, as
// the asynchronous SIGN_UP (v2.2: "签约接口改为异步处理"), SYNC_SIGN and
// CREATE_ORDER_V2 may do: the call is accepted, and its notification
// carries code 1010 and §3.1's message "信息鉴权未通过" (§1.1.3: "code
// 错误码，0 表示成功，其他表示失败，具体请见附表") with a failed result:
// UN_SIGN for SYNC_SIGN and SIGN_UP, an order closed without remit
// orders for CREATE_ORDER_V2 (§3.2 case 1, 校验未通过).
func WithDeferredChecks() ServerOption {
	return func(s *Server) error { s.deferred = true; return nil }
}

// WithQuota sets each taxpayer's available amount, in fen: an order over
// what is left is answered 1009 (可用额度不足); an accepted order takes its
// amount (§2.3 rule 2), a cancelled remit order gives it back (§2.5).
func WithQuota(fen int64) ServerOption {
	return func(s *Server) error {
		if fen <= 0 {
			return fmt.Errorf("levytest: WithQuota(%d): want a positive amount", fen)
		}
		s.limit = fen
		return nil
	}
}

// NewServer starts a fake provider on 127.0.0.1.
func NewServer(opts ...ServerOption) (*Server, error) {
	s := &Server{ClientKey: DefaultClientKey, Secret: DefaultSecret, clock: time.Now, locations: []int64{101},
		calls: map[string]int{}, signed: map[string]bool{}, orders: map[string]*order{}, remits: map[string]*order{},
		idImages: map[string]string{}, delivered: map[string]int{}, contracts: map[string]bool{},
		identities: map[string]string{}, used: map[string]int64{}, rejected: map[string]bool{}, synced: map[string]bool{}, taken: map[string]string{}}
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("levytest: nil ServerOption"))
			continue
		}
		if err := o(s); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// Close stops the server (waiting for the requests in flight), then waits
// for the notification pushes they started.
func (s *Server) Close() {
	// The HTTP server first (no new handler starts), then every handler
	// still running, hijacked ones included, and the pushes they started.
	s.Server.Close()
	s.pushes.Wait()
}

// SetNotifyURL sets where notifications are pushed.
func (s *Server) SetNotifyURL(u string) { s.mu.Lock(); s.notifyURL = u; s.mu.Unlock() }

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	s.faults.Add(fault.Fault{Kind: int(f.Kind), Count: f.Count, Delay: f.Delay})
}

// Calls returns how many requests for interface name reached the server.
func (s *Server) Calls(name string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[name] }

// Delivered returns how many pushes of notifications named name were answered
// SUCCESS.
func (s *Server) Delivered(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered[name]
}

// WaitNotifications waits until every notification push so far has
// finished.
func (s *Server) WaitNotifications() { s.pushes.Wait() }

func (s *Server) now() time.Time { return s.clock().Add(s.offset) }

// Advance moves the fake's clock by d: a confirmed remit order goes from
// PROCESS to REMIT (§2.5 has it become CLOSE once the tax is paid, §3.3
// lists REMIT 出款成功; the fake uses §3.3's state, a client must take
// both as final), and remit orders left unconfirmed for 72 hours close,
// with a CLOSE_ORDER_NOTICE each.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	now := s.now()
	var closed []map[string]any
	for _, o := range s.orders {
		for _, r := range o.Remits {
			if r.Status == "PROCESS" && d > 0 {
				r.Status = "REMIT" // the tax is paid and the payout made (§3.3 出款成功)
				continue
			}
			if r.Status == "ACCEPT" && !now.Before(r.accepted.Add(72*time.Hour)) {
				r.Status = "CLOSE"
				closed = append(closed, map[string]any{"request_id": o.RequestID, "remit_status": "CLOSE",
					"tax_agent_location_id": fmt.Sprint(r.LocationID), "close_time": now.In(cst).Format("2006-01-02T15:04:05.000"),
					"close_reason": "72 小时未确认，自动关单"})
			}
		}
	}
	s.mu.Unlock()
	for _, c := range closed {
		s.push("CLOSE_ORDER_NOTICE", c)
	}
}

func (s *Server) takeFault() (Fault, bool) {
	f, ok := s.faults.Take(func(k int) bool { return FaultKind(k) == FaultDuplicateNotification })
	return Fault{Kind: FaultKind(f.Kind), Count: f.Count, Delay: f.Delay}, ok
}

func (s *Server) duplicateNotices() bool { return s.faults.Has(int(FaultDuplicateNotification)) }

func (s *Server) sign(b []byte) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write(b)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// SignNotification returns the form body of a signed notification, for
// tests of a receiver: req is {name, code "0", message, data}.
func (s *Server) SignNotification(name string, data any) []byte {
	return s.SignNotificationWithCode(name, "0", "成功", data)
}

// SignNotificationWithCode is SignNotification with another code and
// message (§1.1.3: "0 表示成功，其他表示失败"), such as "1010" and
// "信息鉴权未通过".
func (s *Server) SignNotificationWithCode(name, code, message string, data any) []byte {
	req, _ := json.Marshal(map[string]any{"name": name, "code": code, "message": message, "data": data})
	return []byte(url.Values{"req": {string(req)}, "sign": {s.sign(req)}}.Encode())
}

// push delivers a notification with code "0".
func (s *Server) push(name string, data any) { s.pushCode(name, "0", "成功", data) }

// pushCode delivers a notification with retries (up to 5 attempts) until
// SUCCESS.
func (s *Server) pushCode(name, code, message string, data any) {
	s.mu.Lock()
	target := s.notifyURL
	s.mu.Unlock()
	if target == "" {
		return
	}
	body := s.SignNotificationWithCode(name, code, message, data)
	copies := 1
	if s.duplicateNotices() {
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
				resp, err := http.Post(target, "application/x-www-form-urlencoded", bytes.NewReader(body))
				if err != nil {
					continue
				}
				var buf [16]byte
				n, _ := resp.Body.Read(buf[:])
				resp.Body.Close()
				if strings.TrimSpace(string(buf[:n])) == "SUCCESS" {
					s.mu.Lock()
					s.delivered[name]++
					s.mu.Unlock()
					return
				}
			}
		}()
	}
}

func (s *Server) answer(w http.ResponseWriter, name, code, msg string, data any, badSign bool) {
	body, _ := json.Marshal(map[string]any{"name": name, "code": code, "message": msg, "data": data})
	sig := s.sign(body)
	if badSign {
		sig = s.sign(append(body, ' '))
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Api-Sign", sig)
	_, _ = w.Write(body)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// A handler counts as a push in flight: one that drops its connection
	// (hijacked, so httptest's Close no longer waits for it) may still push
	// a notification, and Close must wait for that too.
	s.pushes.Add(1)
	defer s.pushes.Done()
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	req := []byte(r.PostForm.Get("req"))
	var env struct {
		Name      string          `json:"name"`
		ClientKey string          `json:"client_key"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(req, &env)
	s.mu.Lock()
	s.calls[env.Name]++
	s.mu.Unlock()
	flt, hasFault := s.takeFault()
	if hasFault && fault.Before(w, r, fault.Fault{Kind: int(flt.Kind), Delay: flt.Delay}) {
		return
	}
	sig, _ := base64.StdEncoding.DecodeString(r.PostForm.Get("sign"))
	badSign := hasFault && flt.Kind == FaultBadSignature
	if !hmac.Equal(sig, mustDecode(s.sign(req))) {
		s.answer(w, env.Name, "0003", "验签失败", nil, badSign)
		return
	}
	if env.ClientKey != s.ClientKey {
		s.answer(w, env.Name, "0002", "client_key 不匹配", nil, badSign)
		return
	}
	ts, err := time.ParseInLocation("2006-01-02T15:04:05.000", env.Timestamp, cst)
	if err != nil || ts.Sub(s.now()).Abs() > 5*time.Minute {
		s.answer(w, env.Name, "0002", "timestamp 超出允许范围", nil, badSign)
		return
	}
	wantPath := "/api/levy/v1"
	if env.Name == "SYNC_SIGN" || env.Name == "UPLOAD_ID_CARD_IMAGE" || env.Name == "QUERY_ID_CARD_IMAGE" {
		wantPath = "/api/tax/v1"
	}
	if r.URL.Path != wantPath {
		s.answer(w, env.Name, "0002", "接口地址错误", nil, badSign)
		return
	}
	var data map[string]any
	if err := json.Unmarshal(env.Data, &data); err != nil {
		s.answer(w, env.Name, "0002", "data 格式错误", nil, badSign)
		return
	}
	code, msg, out, notice := s.handle(r.Context(), env.Name, data)
	switch {
	case hasFault && flt.Kind == FaultProcessThenDrop:
		fault.Drop(w)
	case hasFault && flt.Kind == FaultTruncated:
		rec := httptest.NewRecorder()
		s.answer(rec, env.Name, code, msg, out, badSign)
		fault.Truncate(w, rec)
	default:
		s.answer(w, env.Name, code, msg, out, badSign)
	}
	if notice != nil {
		// Tracked from the start, so WaitNotifications and Close also wait for a
		// notice that has not reached push yet.
		s.pushes.Add(1)
		go func() {
			defer s.pushes.Done()
			notice()
		}()
	}
}

func mustDecode(s string) []byte { b, _ := base64.StdEncoding.DecodeString(s); return b }
