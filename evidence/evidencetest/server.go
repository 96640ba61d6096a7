// Package evidencetest is an in-process fake of the DECS service, like
// net/http/httptest: it checks DECSHASH on every call, issues a field key
// wrapped with the integrator's RSA public key, runs sessions through
// daStatus 0 → 5 → 8 → 10 (or a chosen failure), pushes notifications
// signed like the operator's (DECSHASH + DECSSIGN), and serves files from a
// COS-like endpoint that enforces the SSE-C headers (400) and link expiry
// (403). Its keys are the project's public test keys.
package evidencetest

import (
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
	"io"
	"net/http"
	"net/http/httptest"
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
)

// Server is the fake DECS service.
type Server struct {
	*httptest.Server
	AppID, AppKey string
	// PrivateKey is the integrator's key (WithPrivateKey); NotifyPublicKey
	// verifies the fake's notifications (WithNotifyPublicKey).
	PrivateKey, NotifyPublicKey []byte

	integrator *rsa.PublicKey
	operator   *rsa.PrivateKey
	aesKey     []byte
	mu         sync.Mutex
	clock      func() time.Time
	notifyURL  string
	sessions   map[string]*session
	files      map[string][]byte // COS object name → content
	fileKey    string
	seq        int
	pushes     sync.WaitGroup
	faults     fault.Queue
	calls      map[string]int
}

type session struct {
	DaID, BizNo, Site string
	DaStatus          int
	DaSubStatus       string
	AuthorizedTs      int64
	Files             []string
}

// NewServer starts a fake on 127.0.0.1.
func NewServer() (*Server, error) {
	read := func(n string) []byte { b, _ := testvectors.Read("keys/" + n); return b }
	s := &Server{AppID: "IDAkEBvb", AppKey: "evidencetest-app-key-0123456789abcdef", PrivateKey: read("merchant_rsa_private_pkcs8.pem"),
		NotifyPublicKey: read("platform_rsa_public.pem"), clock: time.Now, sessions: map[string]*session{}, files: map[string][]byte{}, calls: map[string]int{}}
	var err error
	if s.integrator, err = keys.ParseRSAPublicKey(read("merchant_rsa_public.pem")); err != nil {
		return nil, err
	}
	if s.operator, err = keys.ParseRSAPrivateKey(read("platform_rsa_private_pkcs1.pem")); err != nil {
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

// Calls returns how many calls reached path.
func (s *Server) Calls(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[path] }

// WaitNotifications waits for every push so far.
func (s *Server) WaitNotifications() { s.pushes.Wait() }

// RotateKey issues a new field key: calls encrypted under the old one get
// −43037 until the client fetches the new one.
func (s *Server) RotateKey() { s.mu.Lock(); _, _ = rand.Read(s.aesKey); s.mu.Unlock() }

func (s *Server) hash(body []byte) string {
	sorted, _ := sortedjson.Canonicalize(body)
	m := hmac.New(sha256.New, []byte(s.AppKey))
	m.Write(sorted)
	m.Write([]byte(s.AppKey))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

func reply(w http.ResponseWriter, code int, msg string, data any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"errorCode": code, "errorMessage": msg, "data": data})
}

func (s *Server) enc(v string) string {
	ct, _ := crypt.AESECBEncrypt(s.aesKey, []byte(v))
	return base64.StdEncoding.EncodeToString(ct)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/cos/") {
		s.cos(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 20<<20))
	s.mu.Lock()
	s.calls[r.URL.Path]++
	s.mu.Unlock()
	if f, ok := s.faults.Take(nil); ok && f.Kind == 1 {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if !hmac.Equal([]byte(s.hash(body)), []byte(r.Header.Get("DECSHASH"))) {
		reply(w, -50005, "DECSHASH mismatch", nil)
		return
	}
	var req struct {
		Auth struct{ AppID string } `json:"auth"`
		Arg  map[string]any         `json:"arg"`
	}
	if json.Unmarshal(body, &req) != nil || req.Auth.AppID != s.AppID {
		reply(w, -50001, "bad request", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	arg := req.Arg
	str := func(k string) string { v, _ := arg[k].(string); return v }
	decOK := func(k string) bool {
		ct, err := base64.StdEncoding.DecodeString(str(k))
		if err != nil {
			return false
		}
		_, err = crypt.AESECBDecrypt(s.aesKey, ct)
		return err == nil
	}
	switch r.URL.Path {
	case "/api/das/update-aes-key":
		ct, _ := rsa.EncryptPKCS1v15(rand.Reader, s.integrator, s.aesKey)
		reply(w, 0, "OK", map[string]string{"aeskey": base64.StdEncoding.EncodeToString(ct)})
	case "/api/das/start-vdi-x":
		if str("site") == "" || str("bizNo") == "" {
			reply(w, -50002, "invalid site or bizNo", nil)
			return
		}
		if !decOK("openId") {
			reply(w, -43037, "aes decrypt failed", nil)
			return
		}
		s.seq++
		id := fmt.Sprintf("DA%010d", s.seq)
		s.sessions[id] = &session{DaID: id, BizNo: str("bizNo"), Site: str("site")}
		reply(w, 0, "OK", map[string]string{"daId": id, "redirectUrl": s.URL + "/entry?daId=" + id})
	case "/api/das/get-da-status":
		ss := s.sessions[str("daId")]
		if ss == nil {
			reply(w, -44009, "no record", nil)
			return
		}
		jr := 5
		if ss.DaStatus == 10 {
			jr = 10
		}
		reply(w, 0, "OK", map[string]any{"daStatus": ss.DaStatus, "daId": ss.DaID, "bizNo": ss.BizNo, "jsonResult": jr,
			"authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"daSubStatus": ss.DaSubStatus}})
	case "/api/efp/get-original-files-x":
		ss := s.sessions[str("daId")]
		if ss == nil || ss.DaStatus != 10 {
			reply(w, -44009, "no record", nil)
			return
		}
		var urls []string
		for _, f := range ss.Files {
			urls = append(urls, s.enc(s.presign(f)))
		}
		reply(w, 0, "OK", map[string]any{"daId": ss.DaID, "bizNo": ss.BizNo, "site": ss.Site, "fileUrl": urls,
			"ext": map[string]any{"fileKey": s.enc(s.fileKey), "pdfPassword": []string{s.enc("")}}})
	case "/api/config/get-sites-state":
		reply(w, 0, "OK", []map[string]string{{"status": "1", "site": "tax", "description": "available"}})
	default:
		reply(w, -50001, "unknown interface", nil)
	}
}

// presign returns a COS URL valid for 5 minutes on the fake's clock.
func (s *Server) presign(name string) string {
	return fmt.Sprintf("%s/cos/%s?expires=%d", s.URL, name, s.clock().Add(5*time.Minute).Unix())
}

func (s *Server) cos(w http.ResponseWriter, r *http.Request) {
	exp, _ := strconv.ParseInt(r.URL.Query().Get("expires"), 10, 64)
	s.mu.Lock()
	now := s.clock()
	s.mu.Unlock()
	if now.Unix() > exp {
		http.Error(w, "Request has expired", http.StatusForbidden)
		return
	}
	raw, _ := base64.StdEncoding.DecodeString(s.fileKey)
	sum := md5.Sum(raw)
	if r.Header.Get(ssec.HeaderAlgorithm) != "AES256" || r.Header.Get(ssec.HeaderKey) != s.fileKey ||
		r.Header.Get(ssec.HeaderKeyMD5) != base64.StdEncoding.EncodeToString(sum[:]) {
		http.Error(w, "InvalidArgument: SSE-C key", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	data, ok := s.files[strings.TrimPrefix(r.URL.Path, "/cos/")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

// Complete runs a session through 5 and 8 to 10 with files named by the
// site, and pushes daFileParsed.
func (s *Server) Complete(daID string, files map[string][]byte) error {
	s.mu.Lock()
	ss := s.sessions[daID]
	if ss == nil {
		s.mu.Unlock()
		return fmt.Errorf("evidencetest: no session %s", daID)
	}
	ss.DaStatus = 5
	ss.DaStatus = 8
	ss.DaStatus, ss.AuthorizedTs = 10, s.clock().UnixMilli()
	var urls []string
	for name, data := range files {
		obj := daID + "_" + name
		s.files[obj] = data
		ss.Files = append(ss.Files, obj)
		urls = append(urls, s.presign(obj))
	}
	data := map[string]any{"bizAppId": s.AppID, "daId": daID, "bizNo": ss.BizNo, "site": ss.Site, "daStatus": 10, "fileUrlList": urls,
		"jsonResult": 10, "authorizedTs": ss.AuthorizedTs, "ext": map[string]any{"fileKey": s.fileKey}}
	s.mu.Unlock()
	s.push("daFileParsed", data)
	return nil
}

// Fail ends a session in daStatus with daSubStatus and pushes daFailed.
func (s *Server) Fail(daID string, daStatus int, daSubStatus string) {
	s.mu.Lock()
	ss := s.sessions[daID]
	if ss != nil {
		ss.DaStatus, ss.DaSubStatus = daStatus, daSubStatus
	}
	s.mu.Unlock()
	s.push("daFailed", map[string]any{"bizAppId": s.AppID, "daId": daID, "daStatus": daStatus, "ext": map[string]any{"daSubStatus": daSubStatus}})
}

// push posts a signed notification, retrying until the exact OK answer.
func (s *Server) push(fn string, data map[string]any) {
	s.mu.Lock()
	target := s.notifyURL
	s.mu.Unlock()
	if target == "" {
		return
	}
	body, _ := json.Marshal(map[string]any{"func": fn, "v": "2.0.0", "auth": map[string]string{"nonce": fmt.Sprint(time.Now().UnixNano())}, "data": data})
	hash := s.hash(body)
	sum := sha256.Sum256([]byte(hash))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, s.operator, crypto.SHA256, sum[:])
	s.pushes.Add(1)
	go func() {
		defer s.pushes.Done()
		for attempt := 0; attempt < 5; attempt++ {
			if attempt > 0 {
				time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
			}
			req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("DECSHASH", hash)
			req.Header.Set("DECSSIGN", base64.StdEncoding.EncodeToString(sig))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
			resp.Body.Close()
			if string(b) == `{"errorCode":0,"errorMessage":"OK"}` {
				return
			}
		}
	}()
}

// Advance moves the fake's clock (for link expiry).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	prev := s.clock
	s.clock = func() time.Time { return prev().Add(d) }
	s.mu.Unlock()
}

// FailNext makes the next n API calls answer HTTP 500.
func (s *Server) FailNext(n int) { s.faults.Add(fault.Fault{Kind: 1, Count: n}) }
