// Package evidencetest is an in-process fake of the DECS service, like
// net/http/httptest, as strict as the service's docs: it checks DECSHASH
// (−50005) and the envelope on every call (appId, refused as −50005 too:
// the service checks the hash under the key of the app named; a nonce of
// 32 letters and digits never used before, Content-Type
// application/json), refuses a get-recon-file date that is not yyyymmdd
// of a day whose bill is made (03:30 China time the next day), refuses a
// start-vdi-x without every required member or over the documented
// lengths, ext members included (−45001), with accessWay other than "h5"
// or bizScenario other than "general", for
// an unknown site (−50002), a bizNo used before (−45027) or a user (idNo)
// already in a session (−45027), and ends a session of the same user whose
// link was not opened yet when a new start comes (daStatus 24: the docs'
// "rapid repetitive clicks will cause premature termination"); issues a NEW
// field key on every update-aes-key (and RotateKey) and refuses fields
// under any older one (−43037); answers pulls with the documented codes
// (−43024 unknown daId, −44062 in progress, −44021 failed, −44017 before
// the user agreement was uploaded); checks the H5 entry sign as the docs
// form it, lets the link be opened once within its 8 minutes (else daStatus
// 21 or 24); runs sessions through daStatus 0 → 5 → 8 → 10 (or a chosen
// failure with its daSubStatus) on an injectable clock; pushes signed
// notifications (DECSHASH + DECSSIGN, a 32-character nonce) only once the
// agreement was uploaded; types childDaList members as strings; and
// serves files from a COS-like endpoint that enforces the SSE-C headers
// its URLs sign (x-amz- by default, x-cos- with WithCOSHeaders, in both
// of COS's URL shapes; 400), the URL's signature and link expiry (403).
// A final daStatus never changes (Fail leaves a final session as it
// is). Faults can be injected into API calls (delay, 5xx, dropped
// connection, processed-then-dropped, truncated answer) and into
// notifications (bad signature, duplicates). Its keys are the project's
// public test keys.
package evidencetest

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/md5" //nolint:gosec // G501: SSE-C sends the MD5 of the key
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/fault"
	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/ssec"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/tjfoc/gmsm/sm2"
	"github.com/tjfoc/gmsm/sm3"
)

// FaultKind is an injected failure.
type FaultKind int

// Faults on API calls (in queue order, one per call) and on notifications.
const (
	// FaultDelay holds the answer for Fault.Delay (or until the client
	// gives up).
	FaultDelay FaultKind = iota + 1 // the values of internal/fault's kinds
	// FaultStatus500 answers HTTP 500 without processing.
	FaultStatus500
	// FaultDropConnection closes the connection without processing.
	FaultDropConnection
	// FaultProcessThenDrop processes the call, then closes the connection
	// without an answer: the ambiguous failure.
	FaultProcessThenDrop
	// FaultTruncated processes the call and sends half of the answer.
	FaultTruncated
	// FaultRetryableCode answers errorCode −48007 (retryable) without
	// processing.
	FaultRetryableCode

	// FaultBadNotificationSignature signs the next notifications with a
	// key that is not the operator's.
	FaultBadNotificationSignature
	// FaultDuplicateNotification pushes the next notifications twice.
	FaultDuplicateNotification
)

func notifyKind(k int) bool {
	return FaultKind(k) == FaultBadNotificationSignature || FaultKind(k) == FaultDuplicateNotification
}

// Fault is one injected failure applied Count times (1 when 0).
type Fault struct {
	Kind  FaultKind
	Count int
	Delay time.Duration
}

// ServerOption configures the fake.
type ServerOption func(*Server) error

// WithSM runs the national-crypto suite: HMAC-SM3 DECSHASH, SM4-ECB fields
// and an SM2-wrapped field key. DECSSIGN stays SHA256withRSA.
func WithSM() ServerOption { return func(s *Server) error { s.sm = true; return nil } }

// WithClock sets the fake's clock (time.Now by default); Advance moves it.
func WithClock(now func() time.Time) ServerOption {
	return func(s *Server) error {
		if now == nil {
			return errors.New("evidencetest: WithClock(nil)")
		}
		s.clock = now
		return nil
	}
}

// WithCOSHeaders makes the fake's presigned URLs sign the x-cos- SSE-C
// header names (q-header-list), as the docs' sample URL does: in the
// docs' shape, the whole COS signature escaped inside one sign parameter,
// alternating with the same signature at the top level of the query. By
// default they sign the x-amz- names (X-Amz-SignedHeaders) of the docs'
// code samples. The COS endpoint accepts only the names its URLs sign.
func WithCOSHeaders() ServerOption { return func(s *Server) error { s.cosNames = true; return nil } }

// Server is the fake DECS service.
type Server struct {
	*httptest.Server
	AppID, AppKey string
	// PrivateKey is the integrator's key (WithPrivateKey): RSA, or SM2
	// with WithSM. NotifyPublicKey verifies the fake's notifications
	// (WithNotifyPublicKey).
	PrivateKey, NotifyPublicKey []byte

	sm            bool
	cosNames      bool
	presigned     int // URLs presign made: the x-cos- shapes alternate
	integrator    *rsa.PublicKey
	integratorSM2 *sm2.PublicKey
	operator      *rsa.PrivateKey
	forger        *rsa.PrivateKey

	mu           sync.Mutex
	aesKey       []byte
	keysIssued   int
	nonces       map[string]bool
	answers      map[evidence.ErrorCode]int
	bizNos       map[string]bool
	clock        func() time.Time
	notifyURL    string
	sessions     map[string]*session
	files        map[string][]byte // COS object name → content
	protocols    map[string]int    // idNo|site → uploads
	protocolBody map[string][]byte
	fileKey      string
	seq          int
	pushes       sync.WaitGroup
	faults       fault.Queue
	nfaults      fault.Queue
	calls        map[string]int
	delivered    map[string]int
	attempts     int
}

type session struct {
	DaID, BizNo, Site, IDNo string
	DaStatus                int
	DaSubStatus             string
	Entered                 bool
	AuthorizedTs            int64
	Started                 time.Time
	History                 []int
	Files                   []string
	Parsed                  string // COS object of the parse-result zip
}

// NewServer starts a fake on 127.0.0.1.
func NewServer(opts ...ServerOption) (*Server, error) {
	// The test keys are embedded in internal/testvectors: they are there in
	// -trimpath and vendored builds too.
	read := func(n string) []byte { return testvectors.MustRead("keys/" + n) }
	s := &Server{AppID: "IDAkEBvb", AppKey: "evidencetest-app-key-of-64-bytes-as-the-docs-say-123456789abcdef", NotifyPublicKey: read("platform_rsa_public.pem"),
		clock: time.Now, sessions: map[string]*session{}, files: map[string][]byte{}, protocols: map[string]int{}, protocolBody: map[string][]byte{},
		calls: map[string]int{}, delivered: map[string]int{}, nonces: map[string]bool{}, answers: map[evidence.ErrorCode]int{}, bizNos: map[string]bool{}}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("evidencetest: nil ServerOption")
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	var err error
	if s.sm {
		s.PrivateKey = read("sm2_private.pem")
		if s.integratorSM2, err = gm.ParseSM2PublicKey(read("sm2_public.pem")); err != nil {
			return nil, err
		}
	} else {
		s.PrivateKey = read("merchant_rsa_private_pkcs8.pem")
		if s.integrator, err = keys.ParseRSAPublicKey(read("merchant_rsa_public.pem")); err != nil {
			return nil, err
		}
	}
	if s.operator, err = keys.ParseRSAPrivateKey(read("platform_rsa_private_pkcs1.pem")); err != nil {
		return nil, err
	}
	if s.forger, err = keys.ParseRSAPrivateKey(read("merchant_rsa_private_pkcs1.pem")); err != nil {
		return nil, err
	}
	s.newKeyLocked()
	fk := make([]byte, 32)
	_, _ = rand.Read(fk)
	s.fileKey = base64.StdEncoding.EncodeToString(fk)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// Close stops the server (waiting for the requests in flight), then waits
// for the notifications they started.
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
	if f.Count <= 0 {
		f.Count = 1
	}
	q := &s.faults
	if notifyKind(int(f.Kind)) {
		q = &s.nfaults
	}
	q.Add(fault.Fault{Kind: int(f.Kind), Count: f.Count, Delay: f.Delay})
}

// FailNext makes the next n API calls answer HTTP 500.
func (s *Server) FailNext(n int) { s.Inject(Fault{Kind: FaultStatus500, Count: n}) }

// Calls returns how many calls reached an operation (evidence.Operation*).
func (s *Server) Calls(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[operation]
}

// Answers returns how many answers carried errorCode code.
func (s *Server) Answers(code evidence.ErrorCode) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers[code]
}

// Delivered returns how many notifications of func fn were answered with
// the exact OK document.
func (s *Server) Delivered(fn evidence.Func) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delivered[string(fn)]
}

// PushAttempts returns how many notification requests were sent.
func (s *Server) PushAttempts() int { s.mu.Lock(); defer s.mu.Unlock(); return s.attempts }

// Protocols returns how many agreements were uploaded for (idNo, site).
func (s *Server) Protocols(idNo string, site evidence.Site) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.protocols[idNo+"|"+string(site)]
}

// Protocol returns the last agreement uploaded for (idNo, site), as the
// service decrypted it.
func (s *Server) Protocol(idNo string, site evidence.Site) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.protocolBody[idNo+"|"+string(site)]
}

// History returns the daStatus values a session went through.
func (s *Server) History(daID string) []evidence.DaStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []evidence.DaStatus
	if ss := s.sessions[daID]; ss != nil {
		for _, st := range ss.History {
			out = append(out, evidence.DaStatus(st))
		}
	}
	return out
}

// FieldKey returns the current field key (aesKey or SM4 key), for tests
// that check it never leaks.
func (s *Server) FieldKey() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.aesKey...)
}

// FileKey returns the SSE-C key of the fake's bucket.
func (s *Server) FileKey() string { return s.fileKey }

// WaitNotifications waits for every push so far.
func (s *Server) WaitNotifications() { s.pushes.Wait() }

// RotateKey issues a new field key, as update-aes-key does: fields
// encrypted under the old one are refused (−43037) from then on, and the
// client has to learn the new key (its fetch makes yet another one).
func (s *Server) RotateKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.newKeyLocked()
}

// KeysIssued returns how many field keys the fake issued (one at start,
// one per update-aes-key and RotateKey).
func (s *Server) KeysIssued() int { s.mu.Lock(); defer s.mu.Unlock(); return s.keysIssued }

func (s *Server) newKeyLocked() {
	s.aesKey = make([]byte, 16)
	_, _ = rand.Read(s.aesKey)
	s.keysIssued++
}

// Advance moves the fake's clock (link expiry, session timeout).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	prev := s.clock
	s.clock = func() time.Time { return prev().Add(d) }
	s.mu.Unlock()
}

func (s *Server) newMAC() hash.Hash {
	if s.sm {
		return hmac.New(sm3.New, []byte(s.AppKey))
	}
	return hmac.New(sha256.New, []byte(s.AppKey))
}

// Hash is the DECSHASH of body as this fake computes it.
func (s *Server) Hash(body []byte) string {
	sorted, err := sortedjson.Canonicalize(body)
	if err != nil {
		return ""
	}
	m := s.newMAC()
	m.Write(sorted)
	m.Write([]byte(s.AppKey))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

func reply(w http.ResponseWriter, code int, msg string, data any) {
	b, _ := json.Marshal(map[string]any{"errorCode": code, "errorMessage": msg, "data": data})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (s *Server) enc(v string) string {
	var ct []byte
	if s.sm {
		ct, _ = gm.SM4ECBEncrypt(s.aesKey, []byte(v))
	} else {
		ct, _ = crypt.AESECBEncrypt(s.aesKey, []byte(v))
	}
	return base64.StdEncoding.EncodeToString(ct)
}

func (s *Server) dec(v string) (string, bool) {
	pt, ok := s.decBytes(v)
	return string(pt), ok && utf8.Valid(pt)
}

// decBytes opens a field under the current key only: a field under an
// older key is refused as the service refuses it (about one in 256 would
// still unpad: the text fields must be UTF-8 too).
func (s *Server) decBytes(v string) ([]byte, bool) {
	ct, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(ct) == 0 {
		return nil, false
	}
	var pt []byte
	if s.sm {
		pt, err = gm.SM4ECBDecrypt(s.aesKey, ct)
	} else {
		pt, err = crypt.AESECBDecrypt(s.aesKey, ct)
	}
	return pt, err == nil
}

func (s *Server) wrapKey() string {
	var ct []byte
	if s.sm {
		ct, _ = gm.SM2Encrypt(s.integratorSM2, s.aesKey, gm.SM2C1C3C2)
	} else {
		ct, _ = rsa.EncryptPKCS1v15(rand.Reader, s.integrator, s.aesKey) //nolint:staticcheck // SA1019: DECS wraps the field key with PKCS#1 v1.5, as the fake must
	}
	return base64.StdEncoding.EncodeToString(ct)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	// A handler counts as a push in flight: one that drops its connection
	// (hijacked, so httptest's Close no longer waits for it) may still push
	// a notification, and Close must wait for that too.
	s.pushes.Add(1)
	defer s.pushes.Done()
	switch {
	case strings.HasPrefix(r.URL.Path, "/cos/"):
		s.cos(w, r)
		return
	case r.URL.Path == "/entry":
		s.entry(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/recon/"):
		w.Header().Set("Content-Type", "text/csv")
		// The columns of the docs' "Get Daily Bill", a row per session.
		_, _ = io.WriteString(w, ReconHeader+"\n")
		s.mu.Lock()
		ids := make([]string, 0, len(s.sessions))
		for id := range s.sessions {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			ss := s.sessions[id]
			agreed := "N"
			if s.protocols[ss.IDNo+"|"+ss.Site] > 0 {
				agreed = "Y"
			}
			fmt.Fprintf(w, "%s,%s,%s,%s,,h5,%d,%s,%d,0,%d,Y,N,%s,%s\n", ss.DaID, ss.BizNo, s.AppID, ss.Site, ss.DaStatus, ss.DaSubStatus,
				jsonResult(ss), ss.AuthorizedTs, agreed, ss.Started.Format("2006-01-02 15:04:05"))
		}
		s.mu.Unlock()
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 20<<20))
	s.mu.Lock()
	s.calls[r.URL.Path]++
	s.mu.Unlock()
	flt, hasFault := s.faults.Take(notifyKind)
	if hasFault && fault.Before(w, r, flt) {
		return
	}
	if hasFault && FaultKind(flt.Kind) == FaultRetryableCode {
		reply(w, -48007, "system busy, retry", nil)
		return
	}
	rec := httptest.NewRecorder()
	s.handle(rec, r, body)
	var ans struct {
		ErrorCode int `json:"errorCode"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &ans) == nil && ans.ErrorCode != 0 {
		s.mu.Lock()
		s.answers[evidence.ErrorCode(ans.ErrorCode)]++
		s.mu.Unlock()
	}
	switch {
	case hasFault && FaultKind(flt.Kind) == FaultProcessThenDrop:
		fault.Drop(w)
	case hasFault && FaultKind(flt.Kind) == FaultTruncated:
		fault.Truncate(w, rec)
	default:
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		// The docs: "the content-type is always application/json".
		http.Error(w, "unsupported media type", http.StatusUnsupportedMediaType)
		return
	}
	// en main.md, Error Codes of Authentication: "-50005 | SignInvalid |
	// DECSHASH calculation error".
	if h := s.Hash(body); h == "" || !hmac.Equal([]byte(h), []byte(r.Header.Get("DECSHASH"))) {
		reply(w, -50005, "SignInvalid", nil)
		return
	}
	var req struct {
		V    string `json:"v"`
		Auth struct {
			AppID string `json:"appId"`
			Nonce string `json:"nonce"`
		} `json:"auth"`
		Arg map[string]any `json:"arg"`
	}
	if json.Unmarshal(body, &req) != nil || !alnum32(req.Auth.Nonce) || req.V != "1.0.0" {
		reply(w, -50001, "bad request envelope (nonce of 32 letters and digits, v)", nil)
		return
	}
	if req.Auth.AppID != s.AppID {
		// The docs give no code of their own: the service checks DECSHASH
		// under the appKey of the app auth.appId names, and the fake has
		// one app, so a request naming another one fails that check.
		reply(w, -50005, "SignInvalid", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// "a different value is required for each call"
	if s.nonces[req.Auth.Nonce] {
		reply(w, -50001, "nonce used before", nil)
		return
	}
	s.nonces[req.Auth.Nonce] = true
	arg := req.Arg
	str := func(k string) string { v, _ := arg[k].(string); return v }
	switch r.URL.Path {
	case evidence.OperationUpdateAESKey:
		s.newKeyLocked()
		reply(w, 0, "OK", map[string]string{"aeskey": s.wrapKey()})
	case evidence.OperationStartAcquisition:
		s.start(w, arg, str)
	case evidence.OperationUploadUserProtocol:
		id, ok := s.dec(str("idNo"))
		files, _ := arg["files"].([]any)
		if !ok {
			reply(w, -43037, "AES_DECRYPT_EXCEPTION", nil)
			return
		}
		if str("site") == "" || len(files) == 0 {
			reply(w, -45001, "site and files required", nil)
			return
		}
		var last []byte
		for _, f := range files {
			m, _ := f.(map[string]any)
			c, _ := m["content"].(string)
			name, _ := m["name"].(string)
			// The docs: the file's bytes encrypted, then base64.
			raw, ok := s.decBytes(c)
			if !ok || name == "" {
				reply(w, -43037, "AES_DECRYPT_EXCEPTION", nil)
				return
			}
			if !bytes.HasPrefix(raw, []byte("%PDF")) {
				reply(w, -45001, "file content is not a PDF", nil)
				return
			}
			last = raw
		}
		s.protocols[id+"|"+str("site")]++
		s.protocolBody[id+"|"+str("site")] = last
		reply(w, 0, "OK", map[string]bool{"result": true})
	case evidence.OperationGetStatus:
		ss := s.session(str("daId"))
		if ss == nil {
			reply(w, -43024, "NO_DB_RECORD_EXCEPTION", nil)
			return
		}
		ext := map[string]any{"daSubStatus": ss.DaSubStatus}
		if ss.Site == "app-alipay-any" {
			// N-in-1: children as the docs type them, strings.
			ext["childDaList"] = []map[string]string{{"daId": ss.DaID + "C1", "site": "app-alipay-huabei",
				"daStatus": strconv.Itoa(ss.DaStatus), "daSubStatus": ss.DaSubStatus}}
		}
		reply(w, 0, "OK", map[string]any{"daStatus": ss.DaStatus, "daId": ss.DaID, "bizNo": ss.BizNo, "jsonResult": jsonResult(ss),
			"browsingSite": ss.Site, "appId": s.AppID, "authorizedTs": ss.AuthorizedTs, "ext": ext})
	case evidence.OperationGetOriginalFiles:
		ss, code, msg := s.pullable(str("daId"))
		if ss == nil {
			reply(w, code, msg, nil)
			return
		}
		urls := []string{}
		dl := []map[string]any{}
		for _, f := range ss.Files {
			urls = append(urls, s.enc(s.presign(f)))
			dl = append(dl, map[string]any{"fileName": f, "dlResult": 1, "type": "original"})
		}
		reply(w, 0, "OK", map[string]any{"daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "fileUrl": urls,
			"ext": map[string]any{"fileKey": s.enc(s.fileKey), "pdfPassword": []string{s.enc("074477")}, "dl": dl}})
	case evidence.OperationGetParseResult:
		ss, code, msg := s.pullable(str("daId"))
		if ss == nil {
			reply(w, code, msg, nil)
			return
		}
		if ss.Parsed == "" {
			reply(w, -44062, "DA_IN_PROGRESS_EXCEPTION", nil)
			return
		}
		reply(w, 0, "OK", map[string]any{"daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "jsonResult": 10,
			"jsonFileUrl": []string{s.enc(s.presign(ss.Parsed))}, "ext": map[string]any{"fileKey": s.enc(s.fileKey)}})
	case evidence.OperationGetSitesState:
		list, _ := arg["sites"].([]any)
		if len(list) == 0 {
			reply(w, -45001, "sites required", nil)
			return
		}
		out := []map[string]string{}
		for _, v := range list {
			site, _ := v.(string)
			out = append(out, map[string]string{"status": "1", "site": site, "description": "available"})
		}
		reply(w, 0, "OK", out)
	case evidence.OperationGetReconFile:
		// en main.md, Get Daily Bill: "Date, format is yyyymmdd, ... here
		// you need to pass the reconciliation date of T-1"; "Every day at
		// 3:30 AM, the reconciliation bill for the previous day is
		// generated".
		d := str("date")
		day, err := time.ParseInLocation("20060102", d, chinaTime)
		if err != nil || len(d) != 8 || s.clock().Before(day.AddDate(0, 0, 1).Add(3*time.Hour+30*time.Minute)) {
			reply(w, -50001, "bad date: yyyymmdd of a day whose bill is made (03:30 China time the next day)", nil)
			return
		}
		reply(w, 0, "OK", map[string]string{"fileUrl": s.URL + "/recon/" + d + ".csv"})
	default:
		reply(w, -50001, "unknown interface", nil)
	}
}

func alnum32(n string) bool {
	if len(n) != 32 {
		return false
	}
	for _, c := range n {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// start is start-vdi-x with the docs' rules (en main.md, "Start Data
// Fetching"): every required member present, the documented lengths,
// width and height positive integers, accessWay "h5", bizScenario
// "general", the encrypted members under the current key, a known site,
// a bizNo not used before. The caller holds s.mu.
func (s *Server) start(w http.ResponseWriter, arg map[string]any, str func(string) string) {
	for _, k := range []string{"bizScenario", "site", "bizNo", "openId", "idNo", "userName", "userClaim", "ua", "accessWay"} {
		if str(k) == "" {
			reply(w, -45001, k+" required", nil)
			return
		}
	}
	for _, k := range []string{"width", "height"} {
		n, ok := arg[k].(float64)
		if !ok || n <= 0 || n != float64(int64(n)) {
			reply(w, -45001, k+" must be a positive integer", nil)
			return
		}
	}
	limits := []struct {
		k     string
		n     int
		bytes bool
	}{{"bizScenario", 32, false}, {"site", 32, false}, {"bizNo", 60, false}, {"userClaim", 128, true}}
	for _, l := range limits {
		if n := utf8.RuneCountInString(str(l.k)); l.bytes && len(str(l.k)) > l.n || !l.bytes && n > l.n {
			reply(w, -45001, l.k+" too long", nil)
			return
		}
	}
	if str("bizScenario") != "general" || str("accessWay") != "h5" {
		reply(w, -45001, `bizScenario must be "general" and accessWay "h5"`, nil)
		return
	}
	plain := map[string]string{}
	for _, k := range []string{"openId", "idNo", "userName"} {
		v, ok := s.dec(str(k))
		if !ok {
			reply(w, -43037, "AES_DECRYPT_EXCEPTION", nil)
			return
		}
		plain[k] = v
	}
	if utf8.RuneCountInString(plain["openId"]) > 128 {
		reply(w, -45001, "openId too long", nil)
		return
	}
	if ext, ok := arg["ext"].(map[string]any); ok {
		es := func(k string) string { v, _ := ext[k].(string); return v }
		if len(es("attach")) > 128 || utf8.RuneCountInString(es("urlattach")) > 12 {
			reply(w, -45001, "ext.attach or ext.urlattach too long", nil)
			return
		}
		// The docs' lengths, in characters: companyFullName,
		// companyShortName and contactInfo "32 characters",
		// downloadAuthorizationSeparateDocument "128 characters",
		// downloadAuthorizationMergeDocument "50 characters".
		for k, n := range map[string]int{"companyFullName": 32, "companyShortName": 32, "contactInfo": 32,
			"downloadAuthorizationSeparateDocument": 128, "downloadAuthorizationMergeDocument": 50} {
			if utf8.RuneCountInString(es(k)) > n {
				reply(w, -45001, "ext."+k+" too long", nil)
				return
			}
		}
		if d, ok := ext["tmriValidDays"].(float64); ok && (d < 1 || d > 90) {
			reply(w, -45001, "ext.tmriValidDays must be 1-90", nil)
			return
		}
	}
	if !knownSite(str("site")) {
		reply(w, -50002, "SiteInvalid", nil)
		return
	}
	if s.bizNos[str("bizNo")] {
		reply(w, -45027, "ExistingDownloadingDaTask", nil)
		return
	}
	// The same user (idNo) again: "rapid repetitive clicks will cause
	// premature termination of user data fetching" (en main.md, Start Data
	// Fetching): a session of theirs whose link was not opened yet ends
	// (daStatus 24, the appendix's "that Data Acquisition attempt is
	// terminated"); one they are in answers −45027, "The current user
	// already has a data fetching task in progress".
	var superseded []*session
	for id, old := range s.sessions {
		if old.IDNo != plain["idNo"] {
			continue
		}
		if old = s.session(id); old.DaStatus < 10 && !evidence.DaStatus(old.DaStatus).IsFinal() {
			if old.Entered {
				reply(w, -45027, "ExistingDownloadingDaTask", nil)
				return
			}
			superseded = append(superseded, old)
		}
	}
	for _, old := range superseded {
		s.endLocked(old, 24)
	}
	s.bizNos[str("bizNo")] = true
	s.seq++
	id := fmt.Sprintf("DA%010d", s.seq)
	s.sessions[id] = &session{DaID: id, BizNo: str("bizNo"), Site: str("site"), IDNo: plain["idNo"], Started: s.clock(), History: []int{0}}
	reply(w, 0, "OK", map[string]string{"daId": id, "redirectUrl": s.URL + "/entry?daId=" + id + "&accessWay=h5"})
}

// knownSite: the SDK's catalogue (current and seed generations).
func knownSite(site string) bool {
	_, ok := evidence.Site(site).Info()
	return ok
}

// pullable returns a session whose files may be pulled, or the code the
// service answers: −43024 unknown daId, −44062 in progress, −44021 failed
// (final), −44028 not authorized, −44017 no agreement. The caller holds
// s.mu.
func (s *Server) pullable(daID string) (*session, int, string) {
	ss := s.session(daID)
	switch {
	case ss == nil:
		return nil, -43024, "NO_DB_RECORD_EXCEPTION"
	case ss.DaStatus != 10 && evidence.DaStatus(ss.DaStatus).IsFinal():
		return nil, -44021, "DA_FAILED_EXCEPTION"
	case ss.DaStatus != 10:
		return nil, -44062, "DA_IN_PROGRESS_EXCEPTION"
	case ss.AuthorizedTs == 0:
		return nil, -44028, "DA_NOT_AUTHORIZED_EXCEPTION"
	case s.protocols[ss.IDNo+"|"+ss.Site] == 0:
		return nil, -44017, "NOT_RECEIVED_USER_PROTOCOL_EXCEPTION"
	}
	return ss, 0, ""
}

func jsonResult(ss *session) int {
	if ss.DaStatus == 10 && ss.Parsed != "" {
		return 10
	}
	if ss.DaStatus == 10 {
		return 11
	}
	return 5
}

// session returns a session, timing it out first when it has waited in
// daStatus 0 past the clean environment's 10 minutes (daStatus 20). The
// caller holds s.mu.
//
// A link never opened ends after its 8 minutes in 21 (vcode expired).
func (s *Server) session(id string) *session {
	ss := s.sessions[id]
	end := 0
	switch {
	case ss == nil || ss.DaStatus != 0:
	case !ss.Entered && s.clock().Sub(ss.Started) > evidence.LinkValidity:
		end = 21
	case s.clock().Sub(ss.Started) > 10*time.Minute:
		end = 20
	}
	if end != 0 {
		s.endLocked(ss, end)
	}
	return ss
}

// endLocked ends a session in a final failure and notifies it. The caller
// holds s.mu.
func (s *Server) endLocked(ss *session, end int) {
	ss.DaStatus = end
	ss.History = append(ss.History, end)
	s.pushLocked("daFailed", map[string]any{"bizAppId": s.AppID, "daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": end, "ext": map[string]any{}})
}

// entry is the H5 entry page: it checks the sign the docs append to the
// redirectUrl (base64 of SHA256withRSA over the URL, appended as is), and
// that the link is opened once and within 8 minutes; a second opening
// ends the session (daStatus 24).
func (s *Server) entry(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.RawQuery
	i := strings.LastIndex(raw, "&sign=")
	if i < 0 {
		http.Error(w, "sign missing", http.StatusForbidden)
		return
	}
	signed := s.URL + r.URL.Path + "?" + raw[:i]
	sig, err := base64.StdEncoding.DecodeString(raw[i+len("&sign="):])
	sum := sha256.Sum256([]byte(signed))
	if err != nil || s.integrator == nil || rsa.VerifyPKCS1v15(s.integrator, crypto.SHA256, sum[:], sig) != nil {
		http.Error(w, "sign does not verify", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(r.URL.Query().Get("daId"))
	switch {
	case ss == nil:
		http.NotFound(w, r)
	case !ss.Entered && ss.DaStatus != 0:
		// 21 (vcode expired) or 24 (superseded by a later start).
		http.Error(w, "the link has expired", http.StatusGone)
	case ss.Entered:
		if ss.DaStatus == 0 {
			ss.DaStatus = 24
			ss.History = append(ss.History, 24)
			s.pushLocked("daFailed", map[string]any{"bizAppId": s.AppID, "daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 24, "ext": map[string]any{}})
		}
		http.Error(w, "the link has expired", http.StatusGone)
	default:
		ss.Entered = true
		_, _ = io.WriteString(w, "<html>clean environment</html>")
	}
}

// presign returns a COS URL valid for 5 minutes on the fake's clock,
// signing the SSE-C header names of the fake's mode. The x-amz- names are
// signed as S3 presigns (X-Amz-SignedHeaders at the top level of the
// query). The x-cos- names are signed as COS does, alternately in the
// docs' shape, the whole signature escaped inside one sign parameter (en
// main.md:746, "?sign=q-sign-algorithm%3Dsha1%26q-ak%3D…%26q-header-list%3Dhost%3Bx-cos-server-side-encryption-customer-algorithm%3B…"),
// and with the same parameters at the top level, so that a client must
// read both. The caller holds s.mu.
func (s *Server) presign(name string) string {
	now := s.clock()
	from, until := now.Unix(), now.Add(5*time.Minute).Unix()
	sig := s.urlSignature(name, until)
	base := s.URL + "/cos/" + name
	if !s.cosNames {
		return fmt.Sprintf("%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=%s&X-Amz-Expires=300&X-Amz-SignedHeaders=%s&X-Amz-Signature=%s",
			base, now.UTC().Format(amzDate), url.QueryEscape(signedNames(ssec.PrefixAmz)), sig)
	}
	params := [][2]string{{"q-sign-algorithm", "sha1"}, {"q-ak", "AKIDevidencetest"}, {"q-sign-time", fmt.Sprintf("%d;%d", from, until)},
		{"q-key-time", fmt.Sprintf("%d;%d", from, until)}, {"q-header-list", signedNames(ssec.PrefixCOS)}, {"q-url-param-list", ""}, {"q-signature", sig}}
	raw := make([]string, len(params))     // the sign parameter's value: k=v&…, ';' as is
	escaped := make([]string, len(params)) // the same parameters at the top level
	for i, p := range params {
		raw[i] = p[0] + "=" + p[1]
		escaped[i] = p[0] + "=" + url.QueryEscape(p[1])
	}
	s.presigned++
	if s.presigned%2 == 1 {
		return base + "?sign=" + url.QueryEscape(strings.Join(raw, "&"))
	}
	return base + "?" + strings.Join(escaped, "&")
}

// urlSignature is the signature of the fake's presigned URL of object
// name, expiring at until: 40 hex digits, as COS's q-signature has.
func (s *Server) urlSignature(name string, until int64) string {
	mac := hmac.New(sha256.New, []byte(s.AppKey))
	fmt.Fprintf(mac, "%s|%d", name, until)
	return hex.EncodeToString(mac.Sum(nil))[:40]
}

const amzDate = "20060102T150405Z"

// signedNames is a signed-header list: host and the three SSE-C names
// under prefix, lowercase, ';'-separated.
func signedNames(prefix string) string {
	return "host;" + prefix + "server-side-encryption-customer-algorithm;" + prefix + "server-side-encryption-customer-key;" +
		prefix + "server-side-encryption-customer-key-md5"
}

// signedURL reads a presigned URL of the fake as COS and S3 would: when
// it expires (the end of q-sign-time, top level or inside sign; X-Amz-Date
// plus X-Amz-Expires; 0 when it has none) and its signature.
func signedURL(u *url.URL) (until int64, sig string) {
	q := u.Query()
	cos, sig := q.Get("q-sign-time"), q.Get("q-signature")
	if sign := q.Get("sign"); sign != "" {
		// Inside sign, split at '&' alone: url.ParseQuery drops a pair
		// holding ';', and q-sign-time does.
		for pair := range strings.SplitSeq(sign, "&") {
			k, v, _ := strings.Cut(pair, "=")
			switch k {
			case "q-sign-time":
				cos = v
			case "q-signature":
				sig = v
			}
		}
	}
	if _, end, ok := strings.Cut(cos, ";"); ok {
		n, _ := strconv.ParseInt(end, 10, 64)
		return n, sig
	}
	at, err := time.Parse(amzDate, q.Get("X-Amz-Date"))
	secs, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || err2 != nil {
		return 0, ""
	}
	return at.Add(time.Duration(secs) * time.Second).Unix(), q.Get("X-Amz-Signature")
}

var chinaTime = time.FixedZone("CST", 8*3600) // the docs' times: no tzdata needed

// ReconHeader is the header row of the fake's reconciliation CSV: the
// docs' columns.
const ReconHeader = "da_id,biz_no,app_id,site,original_site,access_way,da_status,da_sub_status,json_result,cert_result,authorize_time,charge_flag,charge_package,user_protocol_upload_flag,create_time"

func (s *Server) cos(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/cos/")
	exp, sig := signedURL(r.URL)
	if !hmac.Equal([]byte(sig), []byte(s.urlSignature(name, exp))) {
		// A URL changed on the way (its query rewritten, the sign
		// parameter dropped or unescaped): COS's 403.
		http.Error(w, "<Error><Code>SignatureDoesNotMatch</Code></Error>", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	now := s.clock()
	s.mu.Unlock()
	if now.Unix() > exp {
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", http.StatusForbidden)
		return
	}
	raw, _ := base64.StdEncoding.DecodeString(s.fileKey)
	sum := md5.Sum(raw) //nolint:gosec // G401: the SSE-C key digest header, as COS defines it
	p := ssec.PrefixAmz
	if s.cosNames {
		p = ssec.PrefixCOS
	}
	if r.Header.Get(p+"server-side-encryption-customer-algorithm") != "AES256" || r.Header.Get(p+"server-side-encryption-customer-key") != s.fileKey ||
		r.Header.Get(p+"server-side-encryption-customer-key-MD5") != base64.StdEncoding.EncodeToString(sum[:]) {
		http.Error(w, "<Error><Code>InvalidArgument</Code><Message>SSE-C key</Message></Error>", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	data, ok := s.files[name]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// SampleFiles returns files shaped like a site's real results (names carry
// the suffixes the appendix lists), for Complete.
func SampleFiles(site string) map[string][]byte {
	switch site {
	case "app-tax-income":
		return map[string][]byte{"app-tax-income_income1.html": []byte("<html>income T</html>"),
			"app-tax-income_income2.html": []byte("<html>income T-1</html>"), "app-tax-income_income3.html": []byte("<html>income T-2</html>")}
	case "app-alipay-any":
		return map[string][]byte{"app-alipay-any_huabei.xml": []byte("<huabei/>"), "app-alipay-any_jiebei.xml": []byte("<jiebei/>"),
			"app-alipay-any_personal.xml": []byte("<personal/>"), "app-alipay-any_idcard.xml": []byte("<idcard/>")}
	default:
		return map[string][]byte{site + "_0.pdf": []byte("%PDF-1.4 " + site + " evidence\n%%EOF\n")}
	}
}

// Step moves a session one state along 0 → 5 → 8 → 10 and returns the new
// daStatus; at 10 it stores files (SampleFiles of the site when nil) and a
// parse-result zip and pushes daUserAuthorized and daFileParsed.
func (s *Server) Step(daID string, files map[string][]byte) (evidence.DaStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[daID]
	if ss == nil {
		return 0, fmt.Errorf("evidencetest: no session %s", daID)
	}
	switch ss.DaStatus {
	case 0:
		ss.DaStatus = 5
	case 5:
		ss.DaStatus = 8
	case 8:
		ss.DaStatus, ss.AuthorizedTs = 10, s.clock().UnixMilli()
		if files == nil {
			files = SampleFiles(ss.Site)
		}
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		var urls []string
		for _, name := range names {
			obj := daID + "_" + name
			s.files[obj] = files[name]
			ss.Files = append(ss.Files, obj)
			urls = append(urls, s.presign(obj))
		}
		ss.Parsed = daID + "_" + ss.Site + "_parsed.zip"
		s.files[ss.Parsed] = parsedZip(ss.Site, names)
		data := map[string]any{"bizAppId": s.AppID, "daId": daID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 10, "fileUrlList": urls,
			"jsonResult": 11, "authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"fileKey": s.fileKey, "pdfPassword": []string{"074477"}}}
		parsed := map[string]any{"bizAppId": s.AppID, "daId": daID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 10,
			"fileUrlList": []string{s.presign(ss.Parsed)}, "jsonResult": 10, "authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"fileKey": s.fileKey}}
		// The docs: notifications need the user's authorization and the
		// user agreement uploaded.
		if s.protocols[ss.IDNo+"|"+ss.Site] > 0 {
			s.pushLocked("daUserAuthorized", data)
			s.pushLocked("daFileParsed", parsed)
		}
	default:
		return evidence.DaStatus(ss.DaStatus), fmt.Errorf("evidencetest: session %s is final (%d)", daID, ss.DaStatus)
	}
	ss.History = append(ss.History, ss.DaStatus)
	return evidence.DaStatus(ss.DaStatus), nil
}

func parsedZip(site string, names []string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(strings.TrimSuffix(n, extOf(n)) + ".json")
		_ = json.NewEncoder(w).Encode(map[string]string{"site": site, "source": n})
	}
	_ = zw.Close()
	return buf.Bytes()
}

func extOf(n string) string {
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		return n[i:]
	}
	return ""
}

// Complete runs a session through 5 and 8 to 10 (see Step).
func (s *Server) Complete(daID string, files map[string][]byte) error {
	for {
		st, err := s.Step(daID, files)
		if err != nil {
			return err
		}
		if st == 10 {
			return nil
		}
	}
}

// Fail ends a session in daStatus with daSubStatus and pushes daFailed.
// A session already final (10, or a failure) stays as it is and nothing
// is pushed: a final daStatus does not change. A daID the fake has no
// session of only gets the notification pushed.
func (s *Server) Fail(daID string, daStatus evidence.DaStatus, daSubStatus evidence.Code) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.session(daID) // a link or session timed out first is final too
	if ss != nil && (ss.DaStatus == 10 || evidence.DaStatus(ss.DaStatus).IsFinal()) {
		return
	}
	data := map[string]any{"bizAppId": s.AppID, "daId": daID, "daStatus": int(daStatus), "ext": map[string]any{"daSubStatus": string(daSubStatus)}}
	if ss != nil {
		ss.DaStatus, ss.DaSubStatus = int(daStatus), string(daSubStatus)
		ss.History = append(ss.History, int(daStatus))
		data["bizNo"], data["site"] = ss.BizNo, ss.Site
	}
	s.pushLocked("daFailed", data)
}

// Notification returns a signed notification as the operator sends it:
// body, DECSHASH and DECSSIGN.
func (s *Server) Notification(fn evidence.Func, data map[string]any) (body []byte, decsHash, decsSign string) {
	body, _ = sortedjson.Marshal(map[string]any{"func": fn, "v": "2.0.0", "auth": map[string]string{"nonce": nonce32()}, "data": data})
	return body, s.Hash(body), s.sign(s.Hash(body), s.operator)
}

func (s *Server) sign(h string, k *rsa.PrivateKey) string {
	sum := sha256.Sum256([]byte(h))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig)
}

// pushLocked posts a signed notification in the background, retrying with
// backoff until the exact OK answer (8 attempts). The caller holds s.mu.
func (s *Server) pushLocked(fn evidence.Func, data map[string]any) {
	target := s.notifyURL
	if target == "" {
		return
	}
	body, hash, sig := s.Notification(fn, data)
	copies := 1
	if f, ok := s.nfaults.Take(nil); ok {
		switch FaultKind(f.Kind) {
		case FaultBadNotificationSignature:
			sig = s.sign(hash, s.forger)
		case FaultDuplicateNotification:
			copies = 2
		}
	}
	for range copies {
		s.pushes.Add(1)
		go func() {
			defer s.pushes.Done()
			s.deliver(string(fn), target, body, hash, sig)
		}()
	}
}

func (s *Server) deliver(fn, target string, body []byte, hash, sig string) {
	for attempt := 0; attempt < 8; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
		}
		req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("DECSHASH", hash)
		req.Header.Set("DECSSIGN", sig)
		s.mu.Lock()
		s.attempts++
		s.mu.Unlock()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		resp.Body.Close()
		if string(b) == `{"errorCode":0,"errorMessage":"OK"}` {
			s.mu.Lock()
			s.delivered[fn]++
			s.mu.Unlock()
			return
		}
	}
}

// nonce32 is a notification's auth.nonce: 32 letters and digits.
func nonce32() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
