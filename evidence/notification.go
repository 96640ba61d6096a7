package evidence

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/callback"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/store"
)

// Func is a notification's function (its kind).
type Func string

// Notification functions (the docs' func).
const (
	FuncDaFailed         Func = "daFailed"         // the session ended in a failure state
	FuncDaUserAuthorized Func = "daUserAuthorized" // the user authorized: original files ready
	FuncDaFileParsed     Func = "daFileParsed"     // parse results ready
	FuncDaSubmittedApp   Func = "daSubmittedApp"   // index page data submitted (submitId, siteList)
	FuncDaCertGenerated  Func = "daCertGenerated"  // seed only: custody certificate generated
)

// Notification is a verified v2 notification. Func is kept as sent: an
// unknown function is delivered too, with Raw for the host to read.
type Notification struct {
	Func  Func
	V     string
	Nonce string // auth.nonce
	Data  NotificationData
	Raw   json.RawMessage // the whole body as received (verified)

	key string
}

// NotificationData is the data object; fileKey and the URLs are plaintext
// in notifications.
type NotificationData struct {
	BizAppID     string          `json:"bizAppId"`
	DaID         string          `json:"daId"`
	BizNo        string          `json:"bizNo"`
	Site         Site            `json:"site"`
	DaStatus     DaStatus        `json:"daStatus"`
	FileURLList  []string        `json:"fileUrlList"`
	JSONResult   JSONResult      `json:"jsonResult"`
	CertResult   int             `json:"certResult"` // no longer used
	AuthorizedTs int64           `json:"authorizedTs"`
	SubmitID     string          `json:"submitId"`   // daSubmittedApp
	SiteList     []Site          `json:"siteList"`   // daSubmittedApp
	SubmitTime   string          `json:"submitTime"` // daSubmittedApp: "2023-05-22 10:22:55"
	Ext          NotificationExt `json:"ext"`
}

// NotificationExt is data.ext: the status ext (daSubStatus, childDaList,
// province, city) and, plaintext here, the files' key and PDF passwords.
type NotificationExt struct {
	StatusExt
	FileKey        string   `json:"fileKey"`
	PDFPassword    []string `json:"pdfPassword"`
	Attach         string   `json:"attach"`         // the start request's ext.attach
	UserID         string   `json:"userId"`         // documented in zh
	ExceptionPages []string `json:"exceptionPages"` // app-tax-income: original pages that look wrong
}

// Files returns the notification's files (plaintext URLs and fileKey),
// with the authorization time for the retention check.
func (n *Notification) Files() []RemoteFile {
	return fileList(n.Data.FileURLList, n.Data.Ext.FileKey, msTime(n.Data.AuthorizedTs))
}

// IdempotencyKey is the function and a SHA-256 of the verified data
// member in canonical form: a redelivery (even with another auth.nonce,
// or reordered members) has the same key, and two notifications that
// differ in anything they carry have two.
func (n *Notification) IdempotencyKey() string { return n.key }

// NotificationVerifier verifies notifications with exactly what that
// needs: the appKey (DECSHASH) and the operator's notify public key(s)
// (DECSSIGN); never the private key.
type NotificationVerifier struct {
	cfg config
	mac *sign.HMAC
}

// NewNotificationVerifier takes the client's options; it requires WithApp
// and WithNotifyPublicKey (or WithInsecureNotificationHashOnly) and
// ignores the rest, except WithSuite (HMAC-SM3) and WithLogger (the
// handler's refusals).
func NewNotificationVerifier(opts ...Option) (*NotificationVerifier, error) {
	cfg := defaultConfig()
	if err := applyOptions(&cfg, opts); err != nil {
		return nil, err
	}
	var missing []string
	if cfg.appID == "" {
		missing = append(missing, "WithApp")
	}
	if len(cfg.notifyPubs) == 0 && !cfg.hashOnly {
		missing = append(missing, "WithNotifyPublicKey")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("evidence: NewNotificationVerifier: missing %s", strings.Join(missing, ", "))
	}
	return &NotificationVerifier{cfg: cfg, mac: newMAC(cfg)}, nil
}

// ParseNotification verifies a notification from its headers (DECSHASH,
// DECSSIGN) and raw body, then decodes it; use it from any web framework.
//
// Unauthenticated bytes get bounded, linear work: DECSSIGN is checked
// first, over the DECSHASH header alone; then the HMAC over the raw body
// (the operator sends the sorted form it hashed); only when that differs
// is the body put in canonical form (one linear scan) and hashed again.
// Nothing is decoded before it verified.
func ParseNotification(ctx context.Context, v *NotificationVerifier, h http.Header, body []byte) (*Notification, error) {
	if v == nil || v.mac == nil {
		return nil, errors.New("evidence: ParseNotification: no verifier (use NewNotificationVerifier)")
	}
	got := strings.ToUpper(strings.TrimSpace(h.Get("DECSHASH")))
	if len(got) != 2*v.mac.Size() {
		return nil, v.badHashHeader(h, body)
	}
	if !v.cfg.hashOnly {
		sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h.Get("DECSSIGN")))
		if err != nil || len(sig) == 0 {
			return nil, v.badSign("DECSSIGN missing or not base64", h, body)
		}
		sum := sha256.Sum256([]byte(got))
		ok := false
		for _, pub := range v.cfg.notifyPubs {
			if rsaVerify(pub, crypto.SHA256, sum[:], sig) == nil {
				ok = true
				break
			}
		}
		if !ok {
			return nil, v.badSign("DECSSIGN", h, body)
		}
	}
	if !hmac.Equal([]byte(notifyHash(v.mac, v.cfg.appKey, body)), []byte(got)) {
		sorted, err := sortedjson.Canonicalize(body)
		if err != nil || !hmac.Equal([]byte(notifyHash(v.mac, v.cfg.appKey, sorted)), []byte(got)) {
			return nil, v.badHash(got, body)
		}
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not UTF-8", ErrMalformedNotification)
	}
	// The typed view must be the signed view: encoding/json matches keys
	// without regard to case, so members that differ only in case
	// ("daId" and "DAID") would let the decoder pick one.
	var tree any
	if err := json.Unmarshal(body, &tree); err != nil || foldedDuplicate(tree) {
		return nil, fmt.Errorf("%w: not JSON, or members that differ only in case", ErrMalformedNotification)
	}
	var n struct {
		Func Func   `json:"func"`
		V    string `json:"v"`
		Auth struct {
			Nonce string `json:"nonce"`
		} `json:"auth"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &n); err != nil || n.Func == "" {
		return nil, ErrMalformedNotification
	}
	out := &Notification{Func: n.Func, V: n.V, Nonce: n.Auth.Nonce, Raw: append(json.RawMessage(nil), body...)}
	data := []byte("null")
	if len(n.Data) > 0 && string(n.Data) != "null" {
		if err := json.Unmarshal(n.Data, &out.Data); err != nil {
			return nil, fmt.Errorf("%w: data: %s", ErrMalformedNotification, jsonErrText(err))
		}
		var err error
		if data, err = sortedjson.Canonicalize(n.Data); err != nil {
			return nil, fmt.Errorf("%w: data", ErrMalformedNotification)
		}
	}
	sum := sha256.Sum256(data)
	out.key = string(n.Func) + ":" + hex.EncodeToString(sum[:])
	return out, nil
}

// NotificationFunc handles one verified notification; return nil only
// once it is durably handled. The operator resends when the answer is
// slow: enqueue durably and return (see the package doc).
type NotificationFunc func(ctx context.Context, n *Notification) error

// HandlerOption configures NewNotificationHandler.
type HandlerOption func(*handlerOptions) error

type handlerOptions = callback.Options

// WithDedupStore records handled notifications in s (in memory by
// default), so that a redelivery is acknowledged without calling the
// host's function again. Give all processes one shared store.
func WithDedupStore(s store.Dedup) HandlerOption {
	return func(o *handlerOptions) error { return o.SetDedupStore(s) }
}

// WithoutDedup hands every delivery to the host's function.
func WithoutDedup() HandlerOption { return func(o *handlerOptions) error { return o.SetNoDedup() } }

// WithMaxBodyBytes sets the notification body limit (DefaultMaxNotificationBytes).
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(o *handlerOptions) error { return o.SetMaxBytes(n) }
}

// WithReadTimeout bounds the time spent reading a body (10 s by default).
func WithReadTimeout(d time.Duration) HandlerOption {
	return func(o *handlerOptions) error { return o.SetReadTimeout(d) }
}

// DefaultMaxNotificationBytes is the default body limit: a notification
// lists a session's file URLs (a few hundred bytes each), well under
// 1 MiB even for a large N-in-1 session.
const DefaultMaxNotificationBytes = 1 << 20

// ErrContentType reports a notification that is not sent as JSON.
var ErrContentType = errors.New("evidence: notification content type is not JSON")

// nackMessage is the errorMessage of a refusal: fixed text, nothing from
// the request.
var nackMessage = map[callback.Reason]string{
	callback.MethodNotAllowed: "method not allowed", callback.TooLarge: "body too large",
	callback.Unreadable: "unreadable body", callback.Refused: "not verified",
	callback.InFlight: "busy, retry", callback.NotHandled: "not handled",
}

// NewNotificationHandler answers exactly {"errorCode":0,"errorMessage":"OK"}
// only after fn returned nil (or the notification was handled before);
// otherwise an errorCode −1 document with a non-2xx status, and the
// operator delivers again. Mount it on any path.
func NewNotificationHandler(v *NotificationVerifier, fn NotificationFunc, opts ...HandlerOption) (http.Handler, error) {
	if v == nil || v.mac == nil {
		return nil, errors.New("evidence: NewNotificationHandler: no verifier (use NewNotificationVerifier)")
	}
	if fn == nil {
		return nil, errors.New("evidence: NewNotificationHandler: nil NotificationFunc")
	}
	o := handlerOptions{Log: v.cfg.log}
	fs := make([]func(*handlerOptions) error, len(opts))
	for i, opt := range opts {
		fs[i] = opt
	}
	if err := o.Apply(DefaultMaxNotificationBytes, fs); err != nil {
		return nil, fmt.Errorf("evidence: NewNotificationHandler: %w", err)
	}
	return &callback.Handler[*Notification]{
		Module: "evidence", MaxBytes: o.MaxBytes, ReadTimeout: o.ReadTimeout, Store: o.Store, Log: o.Log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			if ct := r.Header.Get("Content-Type"); ct != "" {
				if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
					return nil, ErrContentType
				}
			}
			n, err := ParseNotification(ctx, v, r.Header, body)
			var se *SignatureError
			if errors.As(err, &se) {
				if d, ok := se.Diagnosis(); ok {
					v.cfg.log.LogAttrs(ctx, slog.LevelWarn, "evidence: notification refused: diagnosis", slog.String("header", se.Header), slog.String("diagnosis", d.String()))
				}
			}
			return n, err
		},
		Key: (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr {
			return []slog.Attr{slog.String("func", string(n.Func)), slog.String("daId", n.Data.DaID), slog.Int("daStatus", int(n.Data.DaStatus))}
		},
		Ack: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"errorCode":0,"errorMessage":"OK"}`)
		},
		Nack: func(w http.ResponseWriter, why callback.Reason, _ error) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(callback.Status(why))
			_, _ = io.WriteString(w, `{"errorCode":-1,"errorMessage":"`+nackMessage[why]+`"}`)
		},
	}, nil
}

// foldedDuplicate reports an object, at any depth, with two keys equal
// under case folding.
func foldedDuplicate(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		seen := make(map[string]bool, len(t))
		for k, x := range t {
			f := strings.ToLower(k)
			if seen[f] || foldedDuplicate(x) {
				return true
			}
			seen[f] = true
		}
	case []any:
		for _, x := range t {
			if foldedDuplicate(x) {
				return true
			}
		}
	}
	return false
}
