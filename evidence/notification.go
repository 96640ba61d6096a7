package evidence

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
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
	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
)

// Notification functions (func).
const (
	FuncDaFailed         = "daFailed"         // the session ended in a failure state
	FuncDaUserAuthorized = "daUserAuthorized" // the user authorized: original files ready
	FuncDaFileParsed     = "daFileParsed"     // parse results ready
	FuncDaCertGenerated  = "daCertGenerated"  // older: custody certificate generated
	FuncDaSubmittedApp   = "daSubmittedApp"   // older: submitted from the app
)

// Notification is a verified v2 notification. Func is kept as sent: an
// unknown function is delivered too, with Raw for the host to read.
type Notification struct {
	Func string
	V    string
	Data NotificationData
	Raw  json.RawMessage // the whole body as received
}

// NotificationData is the data object; fileKey and the URLs are plaintext
// in notifications.
type NotificationData struct {
	BizAppID     string          `json:"bizAppId"`
	DaID         string          `json:"daId"`
	BizNo        string          `json:"bizNo"`
	Site         string          `json:"site"`
	DaStatus     DaStatus        `json:"daStatus"`
	FileURLList  []string        `json:"fileUrlList"`
	JSONResult   JSONResult      `json:"jsonResult"`
	AuthorizedTs int64           `json:"authorizedTs"`
	Ext          NotificationExt `json:"ext"`
}

// NotificationExt is data.ext: the status ext (daSubStatus, childDaList)
// and, plaintext here, the files' key and PDF passwords.
type NotificationExt struct {
	StatusExt
	FileKey     string   `json:"fileKey"`
	PDFPassword []string `json:"pdfPassword"`
}

// Files returns the notification's files (plaintext URLs and fileKey),
// with the authorization time for the retention check.
func (n *Notification) Files() []File {
	return fileList(n.Data.FileURLList, n.Data.Ext.FileKey, msTime(n.Data.AuthorizedTs))
}

// IdempotencyKey is the function, session and state.
func (n *Notification) IdempotencyKey() string {
	return fmt.Sprintf("%s:%s:%d", n.Func, n.Data.DaID, n.Data.DaStatus)
}

// ParseNotification verifies a notification from its raw pieces: DECSHASH
// is recomputed over the sorted body + appKey and compared in constant
// time, then DECSSIGN is verified with the operator's public key over the
// ASCII uppercase hash. Only then is the body decoded.
func (c *Client) ParseNotification(ctx context.Context, decsHash, decsSign string, body []byte) (*Notification, error) {
	if c.cfg.notifyPub == nil {
		return nil, errors.New("evidence: ParseNotification needs WithNotifyPublicKey")
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not UTF-8", ErrInvalidSignature)
	}
	got := []byte(strings.ToUpper(strings.TrimSpace(decsHash)))
	// The operator hashes the sorted form. A body sent already sorted (as
	// the operator sends it) verifies over its raw bytes; any other body
	// is canonicalized first. Both are MACs under the appKey.
	want := c.DECSHash(body)
	if !hmac.Equal([]byte(want), got) {
		sorted, err := sortedjson.Canonicalize(body)
		if err != nil {
			return nil, fmt.Errorf("%w: body is not canonical JSON", ErrInvalidSignature)
		}
		if want = c.DECSHash(sorted); !hmac.Equal([]byte(want), got) {
			return nil, fmt.Errorf("%w: DECSHASH", ErrInvalidSignature)
		}
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(decsSign))
	sum := sha256.Sum256([]byte(want))
	if err != nil || rsa.VerifyPKCS1v15(c.cfg.notifyPub, crypto.SHA256, sum[:], sig) != nil {
		return nil, fmt.Errorf("%w: DECSSIGN", ErrInvalidSignature)
	}
	var n struct {
		Func string           `json:"func"`
		V    string           `json:"v"`
		Data NotificationData `json:"data"`
	}
	if err := json.Unmarshal(body, &n); err != nil || n.Func == "" {
		return nil, ErrMalformedNotification
	}
	return &Notification{Func: n.Func, V: n.V, Data: n.Data, Raw: append(json.RawMessage(nil), body...)}, nil
}

// ErrMalformedNotification reports a verified body that is not
// {func, v, data} with the documented types.
var ErrMalformedNotification = errors.New("evidence: notification is not {func, v, data}")

// NotifyFunc handles one verified notification; return nil only once it is
// durably handled.
type NotifyFunc func(ctx context.Context, n *Notification) error

// DedupStore records handled notifications.
type DedupStore = store.Dedup

// NewMemoryDedupStore returns an in-process DedupStore (72 h when 0).
func NewMemoryDedupStore(retention time.Duration) DedupStore {
	var opts []store.MemoryOption
	if retention > 0 {
		opts = append(opts, store.WithRetention(retention))
	}
	s, _ := store.NewMemoryDedup(opts...) // cannot fail: every option is valid
	return s
}

// HandlerOption configures NotificationHandler.
type HandlerOption func(*handlerConfig)

type handlerConfig struct{ max int64 }

// WithMaxBodyBytes sets the notification body limit (1 MiB by default).
func WithMaxBodyBytes(n int64) HandlerOption { return func(h *handlerConfig) { h.max = n } }

// ErrContentType reports a notification that is not sent as JSON.
var ErrContentType = errors.New("evidence: notification content type is not JSON")

// nackMessage is the errorMessage of a refusal: fixed text, nothing from
// the request.
var nackMessage = map[callback.Reason]string{
	callback.MethodNotAllowed: "method not allowed", callback.TooLarge: "body too large",
	callback.Unreadable: "unreadable body", callback.Refused: "not verified",
	callback.InFlight: "busy, retry", callback.NotHandled: "not handled",
}

// NotificationHandler answers exactly {"errorCode":0,"errorMessage":"OK"}
// only after fn returned nil (or the notification was handled before);
// otherwise an errorCode −1 document with a non-2xx status, and the
// operator delivers again. store may be nil. Mount it on any path.
func (c *Client) NotificationHandler(fn NotifyFunc, store DedupStore, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{max: 1 << 20}
	for _, o := range opts {
		o(&cfg)
	}
	return &callback.Handler[*Notification]{
		Module: "evidence", MaxBytes: cfg.max, Store: store, Log: c.cfg.log, Handle: fn,
		Parse: func(ctx context.Context, r *http.Request, body []byte) (*Notification, error) {
			if ct := r.Header.Get("Content-Type"); ct != "" {
				if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
					return nil, ErrContentType
				}
			}
			return c.ParseNotification(ctx, r.Header.Get("DECSHASH"), r.Header.Get("DECSSIGN"), body)
		},
		Key: (*Notification).IdempotencyKey,
		Attrs: func(n *Notification) []slog.Attr {
			return []slog.Attr{slog.String("func", n.Func), slog.String("daId", n.Data.DaID), slog.Int("daStatus", int(n.Data.DaStatus))}
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
	}
}
