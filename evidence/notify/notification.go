package notify

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
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

// UnmarshalJSON decodes data as documented, except that certResult, which
// the docs mark "no longer used", never refuses a verified notification:
// an integer or a string of digits is kept, anything else (a string, a
// fraction, null) reads as 0. A notification the provider signed is not
// refused for ever over a field no one reads.
func (d *NotificationData) UnmarshalJSON(b []byte) error {
	type plain NotificationData // without this method
	aux := struct {
		*plain
		CertResult json.RawMessage `json:"certResult"` // shadows plain's
	}{plain: (*plain)(d)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	d.CertResult = 0
	if raw := strings.Trim(string(aux.CertResult), `"`); raw != "" {
		if n, err := strconv.Atoi(raw); err == nil {
			d.CertResult = n
		}
	}
	return nil
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
	return fileList(n.Data.FileURLList, n.Data.Ext.FileKey, decs.MsTime(n.Data.AuthorizedTs))
}

// IdempotencyKey is the function and a SHA-256 of the verified data
// member in canonical form: a redelivery (even with another auth.nonce,
// or reordered members) has the same key, and two notifications that
// differ in anything they carry have two.
func (n *Notification) IdempotencyKey() string { return n.key }

// Parse verifies a notification from its headers (DECSHASH, DECSSIGN) and
// raw body, then decodes it; use it from any web framework.
//
// Unauthenticated bytes get bounded, linear work: DECSSIGN is checked
// first, over the DECSHASH header alone; then the HMAC over the raw body
// (the operator sends the sorted form it hashed); only when that differs
// is the body put in canonical form (one linear scan) and hashed again.
// Nothing is decoded before it verified.
func Parse(ctx context.Context, v *Verifier, h http.Header, body []byte) (*Notification, error) {
	if !v.ready() {
		return nil, names.NoVerifier(names.Parse)
	}
	got := strings.ToUpper(strings.TrimSpace(h.Get("DECSHASH")))
	if len(got) != 2*v.mac.Size() {
		return nil, v.badHashHeader(h, body)
	}
	if !v.cfg.HashOnly {
		sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h.Get("DECSSIGN")))
		if err != nil || len(sig) == 0 {
			return nil, v.badSign("DECSSIGN missing or not base64", h, body)
		}
		sum := sha256.Sum256([]byte(got))
		ok := false
		for _, pub := range v.cfg.NotifyPubs {
			if rsaVerify(pub, crypto.SHA256, sum[:], sig) == nil {
				ok = true
				break
			}
		}
		if !ok {
			return nil, v.badSign("DECSSIGN", h, body)
		}
	}
	if !hmac.Equal([]byte(notifyHash(v.mac, v.cfg.AppKey, body)), []byte(got)) {
		sorted, err := sortedjson.Canonicalize(body)
		if err != nil || !hmac.Equal([]byte(notifyHash(v.mac, v.cfg.AppKey, sorted)), []byte(got)) {
			return nil, v.badHash(got, body)
		}
	}
	return decode(body)
}

// decode decodes a verified body. The common shape (see fast.go) is read
// in one pass; anything else, and every body that is refused, takes
// decodeTree, so its verdict and its error are those of decodeTree.
func decode(body []byte) (*Notification, error) {
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: body is not UTF-8", ErrMalformedNotification)
	}
	if n, ok := decodeFast(body); ok {
		return n, nil
	}
	return decodeTree(body)
}

// decodeTree decodes a verified, UTF-8 body with encoding/json; it gives
// the verdict on every body.
func decodeTree(body []byte) (*Notification, error) {
	// The typed view must be the signed view: encoding/json matches keys
	// under simple case folding and keeps the last of several, so an
	// object with a member twice, or with "daId" and "DAID" (or "s" and
	// "ſ"), would let the decoder pick one.
	if !json.Valid(body) || jsonkeys.Check(body) != nil {
		return nil, fmt.Errorf("%w: not JSON, or a member twice or in two cases", ErrMalformedNotification)
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
			return nil, fmt.Errorf("%w: data: %s", ErrMalformedNotification, decs.JSONErrText(err))
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
