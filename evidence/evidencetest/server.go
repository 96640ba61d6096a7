// Package evidencetest is an in-process fake of the DECS service, like
// net/http/httptest: it checks DECSHASH on every call, issues a field key
// wrapped with the integrator's public key (RSA PKCS#1 v1.5, or SM2 in the
// national suite), runs sessions through daStatus 0 → 5 → 8 → 10 (or a
// chosen failure with its daSubStatus) on an injectable clock, pushes
// notifications signed like the operator's (DECSHASH + DECSSIGN), and
// serves files from a COS-like endpoint that enforces the SSE-C headers
// (400) and link expiry (403). Faults can be injected into API calls
// (delay, 5xx, dropped connection, processed-then-dropped, truncated
// answer) and into notifications (bad signature, duplicates). Its keys are
// the project's public test keys.
package evidencetest

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/fault"
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
	FaultDelay FaultKind = iota + fault.KindDelay
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

// Option configures the fake.
type Option func(*Server)

// WithSM runs the national-crypto suite: HMAC-SM3 DECSHASH, SM4-ECB fields
// and an SM2-wrapped field key. DECSSIGN stays SHA256withRSA.
func WithSM() Option { return func(s *Server) { s.sm = true } }

// WithClock sets the fake's clock (time.Now by default); Advance moves it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// Server is the fake DECS service.
type Server struct {
	*httptest.Server
	AppID, AppKey string
	// PrivateKey is the integrator's key (WithPrivateKey): RSA, or SM2
	// with WithSM. NotifyPublicKey verifies the fake's notifications
	// (WithNotifyPublicKey).
	PrivateKey, NotifyPublicKey []byte

	sm            bool
	integrator    *rsa.PublicKey
	integratorSM2 *sm2.PublicKey
	operator      *rsa.PrivateKey
	forger        *rsa.PrivateKey

	mu        sync.Mutex
	aesKey    []byte
	stale     bool // the key was rotated and the client has not fetched it yet
	clock     func() time.Time
	notifyURL string
	sessions  map[string]*session
	files     map[string][]byte // COS object name → content
	protocols map[string]int    // idNo|site → uploads
	fileKey   string
	seq       int
	pushes    sync.WaitGroup
	faults    fault.Queue
	nfaults   fault.Queue
	calls     map[string]int
	delivered map[string]int
	attempts  int
}

type session struct {
	DaID, BizNo, Site string
	DaStatus          int
	DaSubStatus       string
	AuthorizedTs      int64
	Started           time.Time
	History           []int
	Files             []string
	Parsed            string // COS object of the parse-result zip
}

// NewServer starts a fake on 127.0.0.1.
func NewServer(opts ...Option) (*Server, error) {
	// The test keys are embedded in internal/testvectors: they are there in
	// -trimpath and vendored builds too.
	read := func(n string) []byte { return testvectors.MustRead("keys/" + n) }
	s := &Server{AppID: "IDAkEBvb", AppKey: "evidencetest-app-key-0123456789abcdef", NotifyPublicKey: read("platform_rsa_public.pem"),
		clock: time.Now, sessions: map[string]*session{}, files: map[string][]byte{}, protocols: map[string]int{},
		calls: map[string]int{}, delivered: map[string]int{}}
	for _, o := range opts {
		o(s)
	}
	var err error
	if s.sm {
		s.PrivateKey = read("sm2_private.pem")
		if s.integratorSM2, err = keys.ParseSM2PublicKey(read("sm2_public.pem")); err != nil {
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
	s.aesKey = make([]byte, 16)
	_, _ = rand.Read(s.aesKey)
	fk := make([]byte, 32)
	_, _ = rand.Read(fk)
	s.fileKey = base64.StdEncoding.EncodeToString(fk)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// Close waits for pending notifications and stops the server.
func (s *Server) Close() { s.pushes.Wait(); s.Server.Close() }

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

// Calls returns how many calls reached path.
func (s *Server) Calls(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[path] }

// Delivered returns how many notifications of func fn were answered with
// the exact OK document.
func (s *Server) Delivered(fn string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.delivered[fn] }

// PushAttempts returns how many notification requests were sent.
func (s *Server) PushAttempts() int { s.mu.Lock(); defer s.mu.Unlock(); return s.attempts }

// Protocols returns how many agreements were uploaded for (idNo, site).
func (s *Server) Protocols(idNo, site string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.protocols[idNo+"|"+site]
}

// History returns the daStatus values a session went through.
func (s *Server) History(daID string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.sessions[daID]; ss != nil {
		return append([]int(nil), ss.History...)
	}
	return nil
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

// RotateKey issues a new field key: calls encrypted under the old one get
// −43037 until the client fetches the new one. The fake does not rely on
// the old ciphertext failing to unpad under the new key (ECB has no MAC:
// about one field in 256 would unpad to garbage and pass), so every
// encrypted field is refused until update-aes-key is called again.
func (s *Server) RotateKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = rand.Read(s.aesKey)
	s.stale = true
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
		ct, _ = crypt.SM4ECBEncrypt(s.aesKey, []byte(v))
	} else {
		ct, _ = crypt.AESECBEncrypt(s.aesKey, []byte(v))
	}
	return base64.StdEncoding.EncodeToString(ct)
}

func (s *Server) dec(v string) (string, bool) {
	ct, err := base64.StdEncoding.DecodeString(v)
	if err != nil || s.stale {
		return "", false
	}
	var pt []byte
	if s.sm {
		pt, err = crypt.SM4ECBDecrypt(s.aesKey, ct)
	} else {
		pt, err = crypt.AESECBDecrypt(s.aesKey, ct)
	}
	return string(pt), err == nil
}

func (s *Server) wrapKey() string {
	var ct []byte
	if s.sm {
		ct, _ = crypt.SM2Encrypt(s.integratorSM2, s.aesKey, crypt.SM2C1C3C2)
	} else {
		ct, _ = rsa.EncryptPKCS1v15(rand.Reader, s.integrator, s.aesKey)
	}
	return base64.StdEncoding.EncodeToString(ct)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/cos/"):
		s.cos(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/recon/"):
		w.Header().Set("Content-Type", "text/csv")
		_, _ = io.WriteString(w, "daId,bizNo,site,daStatus,startTime\n")
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
	if h := s.Hash(body); h == "" || !hmac.Equal([]byte(h), []byte(r.Header.Get("DECSHASH"))) {
		reply(w, -50005, "DECSHASH mismatch", nil)
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
	if json.Unmarshal(body, &req) != nil || req.Auth.AppID != s.AppID || len(req.Auth.Nonce) != 32 || req.V != "1.0.0" {
		reply(w, -50001, "bad request envelope", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	arg := req.Arg
	str := func(k string) string { v, _ := arg[k].(string); return v }
	switch r.URL.Path {
	case "/api/das/update-aes-key":
		s.stale = false
		reply(w, 0, "OK", map[string]string{"aeskey": s.wrapKey()})
	case "/api/das/start-vdi-x":
		if str("site") == "" || str("bizNo") == "" || len([]rune(str("bizNo"))) > 60 {
			reply(w, -50002, "invalid site or bizNo", nil)
			return
		}
		for _, k := range []string{"openId", "idNo", "userName"} {
			if _, present := arg[k]; !present && k != "openId" {
				continue
			}
			if _, ok := s.dec(str(k)); !ok {
				reply(w, -43037, "aes decrypt failed", nil)
				return
			}
		}
		s.seq++
		id := fmt.Sprintf("DA%010d", s.seq)
		s.sessions[id] = &session{DaID: id, BizNo: str("bizNo"), Site: str("site"), Started: s.clock(), History: []int{0}}
		reply(w, 0, "OK", map[string]string{"daId": id, "redirectUrl": s.URL + "/entry?daId=" + id})
	case "/api/das/upload-user-protocol-x":
		id, ok := s.dec(str("idNo"))
		files, _ := arg["files"].([]any)
		if !ok || str("site") == "" || len(files) == 0 {
			reply(w, -43037, "aes decrypt failed or files missing", nil)
			return
		}
		for _, f := range files {
			m, _ := f.(map[string]any)
			c, _ := m["content"].(string)
			pt, ok := s.dec(c)
			raw, err := base64.StdEncoding.DecodeString(pt)
			if !ok || err != nil || !bytes.HasPrefix(raw, []byte("%PDF")) {
				reply(w, -43037, "file content does not decrypt to a PDF", nil)
				return
			}
		}
		s.protocols[id+"|"+str("site")]++
		reply(w, 0, "OK", map[string]bool{"result": true})
	case "/api/das/get-da-status":
		ss := s.session(str("daId"))
		if ss == nil {
			reply(w, -44009, "no record", nil)
			return
		}
		reply(w, 0, "OK", map[string]any{"daStatus": ss.DaStatus, "daId": ss.DaID, "bizNo": ss.BizNo, "jsonResult": jsonResult(ss),
			"authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"daSubStatus": ss.DaSubStatus}})
	case "/api/efp/get-original-files-x":
		ss := s.session(str("daId"))
		if ss == nil || ss.DaStatus != 10 {
			reply(w, -44009, "no record", nil)
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
	case "/api/efp/get-parse-result-x":
		ss := s.session(str("daId"))
		if ss == nil || ss.DaStatus != 10 || ss.Parsed == "" {
			reply(w, -44009, "no record", nil)
			return
		}
		reply(w, 0, "OK", map[string]any{"jsonResult": 10, "jsonFileUrl": []string{s.enc(s.presign(ss.Parsed))},
			"ext": map[string]any{"fileKey": s.enc(s.fileKey)}})
	case "/api/config/get-sites-state":
		list, _ := arg["sites"].([]any)
		out := []map[string]string{}
		for _, v := range list {
			site, _ := v.(string)
			out = append(out, map[string]string{"status": "1", "site": site, "description": "available"})
		}
		reply(w, 0, "OK", out)
	case "/api/efp/get-recon-file":
		d := str("date")
		if len(d) != 8 {
			reply(w, -50001, "bad date", nil)
			return
		}
		reply(w, 0, "OK", map[string]string{"fileUrl": s.URL + "/recon/" + d + ".csv"})
	default:
		reply(w, -50001, "unknown interface", nil)
	}
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
func (s *Server) session(id string) *session {
	ss := s.sessions[id]
	if ss != nil && ss.DaStatus == 0 && s.clock().Sub(ss.Started) > 10*time.Minute {
		ss.DaStatus = 20
		ss.History = append(ss.History, 20)
		s.pushLocked("daFailed", map[string]any{"bizAppId": s.AppID, "daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 20, "ext": map[string]any{}})
	}
	return ss
}

// presign returns a COS URL valid for 5 minutes on the fake's clock.
func (s *Server) presign(name string) string {
	return fmt.Sprintf("%s/cos/%s?q-sign-time=%d%%3B%d&expires=%d", s.URL, name, s.clock().Unix(), s.clock().Add(5*time.Minute).Unix(), s.clock().Add(5*time.Minute).Unix())
}

func (s *Server) cos(w http.ResponseWriter, r *http.Request) {
	exp, _ := strconv.ParseInt(r.URL.Query().Get("expires"), 10, 64)
	s.mu.Lock()
	now := s.clock()
	s.mu.Unlock()
	if now.Unix() > exp {
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", http.StatusForbidden)
		return
	}
	raw, _ := base64.StdEncoding.DecodeString(s.fileKey)
	sum := md5.Sum(raw)
	if r.Header.Get(ssec.HeaderAlgorithm) != "AES256" || r.Header.Get(ssec.HeaderKey) != s.fileKey ||
		r.Header.Get(ssec.HeaderKeyMD5) != base64.StdEncoding.EncodeToString(sum[:]) {
		http.Error(w, "<Error><Code>InvalidArgument</Code><Message>SSE-C key</Message></Error>", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	data, ok := s.files[strings.TrimPrefix(r.URL.Path, "/cos/")]
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
func (s *Server) Step(daID string, files map[string][]byte) (int, error) {
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
		s.pushLocked("daUserAuthorized", data)
		parsed := map[string]any{"bizAppId": s.AppID, "daId": daID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 10,
			"fileUrlList": []string{s.presign(ss.Parsed)}, "jsonResult": 10, "authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"fileKey": s.fileKey}}
		s.pushLocked("daFileParsed", parsed)
	default:
		return ss.DaStatus, fmt.Errorf("evidencetest: session %s is final (%d)", daID, ss.DaStatus)
	}
	ss.History = append(ss.History, ss.DaStatus)
	return ss.DaStatus, nil
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
func (s *Server) Fail(daID string, daStatus int, daSubStatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[daID]
	data := map[string]any{"bizAppId": s.AppID, "daId": daID, "daStatus": daStatus, "ext": map[string]any{"daSubStatus": daSubStatus}}
	if ss != nil {
		ss.DaStatus, ss.DaSubStatus = daStatus, daSubStatus
		ss.History = append(ss.History, daStatus)
		data["bizNo"], data["site"] = ss.BizNo, ss.Site
	}
	s.pushLocked("daFailed", data)
}

// Notification returns a signed notification as the operator sends it:
// body, DECSHASH and DECSSIGN.
func (s *Server) Notification(fn string, data map[string]any) (body []byte, decsHash, decsSign string) {
	body, _ = json.Marshal(map[string]any{"func": fn, "v": "2.0.0", "auth": map[string]string{"nonce": fmt.Sprint(time.Now().UnixNano())}, "data": data})
	return body, s.Hash(body), s.sign(s.Hash(body), s.operator)
}

func (s *Server) sign(h string, k *rsa.PrivateKey) string {
	sum := sha256.Sum256([]byte(h))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig)
}

// pushLocked posts a signed notification in the background, retrying with
// backoff until the exact OK answer (8 attempts). The caller holds s.mu.
func (s *Server) pushLocked(fn string, data map[string]any) {
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
			s.deliver(fn, target, body, hash, sig)
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
