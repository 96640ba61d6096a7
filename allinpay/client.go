package allinpay

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"

	"github.com/bizapi-cn/go-sdk/allinpay/internal/fieldset"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/go-resty/resty/v2"
)

const defaultTimeout = transport.DefaultTimeout

var userAgent = "bizapi-cn-go-sdk-allinpay/" + Version + " go/" + strings.TrimPrefix(runtime.Version(), "go")

// Client calls the Allinpay OATS API. It is safe for concurrent use.
type Client struct {
	cfg   config
	http  *resty.Client
	nv    *NotificationVerifier
	pacer QueryPacer // WaitFinal's
}

// NewClient returns a Client; WithMerchant, WithKeys (or WithPrivateKey
// or WithSigner, and WithPlatformPublicKeys or WithVerifier) and
// WithBaseURL are required.
func NewClient(opts ...Option) (*Client, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if cfg.priv != nil && cfg.signer == nil {
		s, err := sign.NewRSASigner(cfg.priv)
		if err != nil {
			return nil, fmt.Errorf("allinpay: %w", err)
		}
		cfg.signer = s
	}
	var missing []string
	if cfg.trust.AccessCode == "" {
		missing = append(missing, "WithMerchant")
	}
	if cfg.signer == nil {
		missing = append(missing, "WithPrivateKey")
	}
	if cfg.trust.V == nil {
		missing = append(missing, "WithPlatformPublicKeys")
	}
	if cfg.baseURL == "" {
		missing = append(missing, "WithBaseURL")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("allinpay: NewClient: missing %s", strings.Join(missing, ", "))
	}
	rc, err := transport.New(cfg.net)
	if err != nil {
		return nil, fmt.Errorf("allinpay: NewClient: %w", err)
	}
	nv, err := cfg.notificationVerifier()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, http: rc, nv: nv}, nil
}

// NotificationVerifier returns the verifier of this client's merchant.
func (c *Client) NotificationVerifier() *NotificationVerifier { return c.nv }

// header is the common part of every request.
type header struct {
	RequestNo string    `kv:"requestNo"`
	Version   string    `kv:"version"`
	Access    string    `kv:"accessCode"`
	TransType TransType `kv:"transType"`
	SignType  string    `kv:"signType"`
	MchNo     string    `kv:"mchNo"`
}

func (c *Client) header(t TransType, requestNo string) header {
	if requestNo == "" {
		requestNo = c.cfg.requestNoOrDefault()
	}
	return header{RequestNo: requestNo, Version: c.cfg.version, Access: c.cfg.trust.AccessCode, TransType: t, SignType: "RSA2", MchNo: c.cfg.trust.MchNo}
}

func (cfg *config) requestNoOrDefault() string {
	if cfg.requestNo != nil {
		if s := cfg.requestNo(); s != "" {
			return s
		}
	}
	return nonce.TimeID(cfg.now(), 14)
}

// signForm returns the form sent for the kv-tagged wire value: its fields
// and "signature" over their canonical string.
func (c *Client) signForm(ctx context.Context, req any) (url.Values, error) {
	if m, ok := req.(mapForm); ok {
		sig, err := c.cfg.signer.Sign(ctx, kv.CanonicalMap(m, "signature"))
		if err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
		form := make(url.Values, len(m)+1)
		for k, v := range m {
			if v != "" {
				form.Set(k, v)
			}
		}
		form.Set("signature", base64.StdEncoding.EncodeToString(sig))
		return form, nil
	}
	canon, err := kv.AppendCanonical(nil, req, "signature")
	if err != nil {
		return nil, err
	}
	sig, err := c.cfg.signer.Sign(ctx, canon)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	fields, err := kv.Fields(req)
	if err != nil {
		return nil, err
	}
	form := make(url.Values, len(fields)+1)
	for _, f := range fields {
		form.Set(f.Key, f.Value)
	}
	form.Set("signature", base64.StdEncoding.EncodeToString(sig))
	return form, nil
}

// op describes one call.
type op struct {
	t       TransType
	path    string
	state   bool   // changes state: ambiguity is ErrOutcomeUnknown
	key     string // the outTransNo to reconcile by
	echoOut string // the outTransNo the answer must echo (when it has one)
	h       header
	spool   **billSpool // a bill download: billData goes to a temporary file
}

// call signs and sends req, verifies the answer over all its fields and
// checks it is a definite answer to this request.
func (c *Client) call(ctx context.Context, o op, req any) (Fields, Metadata, error) {
	ctx, cancel := transport.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	limit, retries := c.cfg.maxBody, 0
	if o.path == pathDownload {
		limit, retries = c.cfg.maxBill, c.cfg.retries
	}
	meta := Metadata{RequestID: o.h.RequestNo}
	if len(o.h.RequestNo) > 32 || !inClass(o.h.RequestNo, classAN) {
		// §1.5.2.x: requestNo ANx32, for every call (WithRequestNoFunc's too).
		return nil, meta, &ValidationError{Operation: o.t, Fields: []FieldError{{Field: "requestNo", Message: "is up to 32 " + classAN.String()}}}
	}
	for attempt := 1; ; attempt++ {
		form, err := c.signForm(ctx, req)
		if err != nil {
			return nil, meta, fmt.Errorf("allinpay: %s: %w", o.t, err)
		}
		f, m, err := c.once(ctx, o, form, limit)
		meta = m
		if err == nil {
			return f, meta, nil
		}
		if o.state {
			if transport.NotSent(err) && !transport.Untrusted(err) && m.StatusCode == 0 && attempt <= c.cfg.retries {
				if serr := transport.Sleep(ctx, transport.Backoff(attempt)); serr == nil {
					continue
				}
			}
			if definite(err) || transport.NotSent(err) && m.StatusCode == 0 {
				return f, meta, err // a definite answer, or provably never sent
			}
			return f, meta, &OutcomeUnknownError{Operation: o.t, Key: o.key, Err: err}
		}
		// A query or a bill: retried when it never left (every call), or
		// after no answer or a 5xx (bills only: a query keeps the spec's
		// 10 s between queries of an order).
		budget := retries
		if transport.NotSent(err) && m.StatusCode == 0 {
			budget = c.cfg.retries
		}
		if transport.Judge(ctx, m.StatusCode, err, true) != transport.Retry || attempt > budget {
			return f, meta, err
		}
		if serr := transport.Sleep(ctx, transport.Backoff(attempt)); serr != nil {
			return nil, meta, err
		}
	}
}

// reconcileKey is the outTransNo an *OutcomeUnknownError of a t request
// sent as out (original ori) is reconciled by: the request's own, or the
// original's for CLOSE_ORDER (a close is no transaction of its own:
// §1.5.2.2 queries orders, and allinpaytest answers 0007 for a close's
// number) and for a request without one.
func reconcileKey(t TransType, out, ori string) string {
	if out == "" || t == TransTypeCloseOrder {
		return ori
	}
	return out
}

// definite reports whether err is a verified answer that says what
// happened to a state-changing request.
func definite(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || !ae.Signed || !ae.bound {
		return false
	}
	return ae.Meaning() != MeaningOutcomeUnknown
}

func (c *Client) once(ctx context.Context, o op, form url.Values, limit int64) (Fields, Metadata, error) {
	var spool *billSpool
	f, meta, err := c.attempt(ctx, o, form, limit, &spool)
	if o.spool != nil && err == nil {
		*o.spool = spool
	} else {
		spool.remove()
	}
	return f, meta, err
}

func (c *Client) attempt(ctx context.Context, o op, form url.Values, limit int64, spool **billSpool) (Fields, Metadata, error) {
	meta := Metadata{RequestID: o.h.RequestNo}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("allinpay: %s: "+format, append([]any{o.t}, a...)...)
	}
	resp, err := transport.Send(ctx, c.http, transport.Request{
		// Every call is repeated only when it never left (a query too:
		// the 10-second rule), so every call asks for the proof.
		ProveUnsent: true,
		Method:      http.MethodPost, URL: c.cfg.baseURL + o.path, Body: strings.NewReader(form.Encode()),
		Header: http.Header{
			"Content-Type": {"application/x-www-form-urlencoded"},
			"Accept":       {"application/json"}, // every answer is JSON, bills included; set here, resty skips its content-type regexps
			"User-Agent":   {c.cfg.ua},
		},
	})
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, meta, fail("%w", err)
	}
	c.cfg.trust.Log.LogAttrs(ctx, slog.LevelDebug, "allinpay: call", slog.String("transType", string(o.t)), slog.Int("status", resp.StatusCode))
	var f Fields
	if o.spool != nil {
		f, *spool, err = readBillAnswer(resp.Body, limit)
		resp.Body.Close()
		var inc errIncomplete
		if errors.As(err, &inc) {
			return nil, meta, fail("%w", err) // incomplete: as ambiguous as no answer
		}
		if err == nil {
			// Names alike in case are refused as in every answer; a
			// billData, spooled, empty or null, is a name too, for this
			// check only.
			if _, seen := f["billData"]; *spool != nil || seen {
				f["billData"] = "x"
			}
			err = fieldset.CaseUnique(f)
			delete(f, "billData")
		}
	} else {
		var raw []byte
		raw, err = transport.ReadAnswerSized(resp.Body, resp.ContentLength, limit)
		if err != nil {
			return nil, meta, fail("%w", err) // incomplete: as ambiguous as no answer
		}
		f, err = receivedFields(raw)
	}
	meta.StatusCode, meta.Header = resp.StatusCode, resp.Header
	if err != nil {
		if resp.StatusCode/100 != 2 {
			return nil, meta, &HTTPError{Operation: o.t, Metadata: meta}
		}
		return nil, meta, fail("%w: %w", ErrMalformedResponse, err)
	}
	_, signed := f["signature"]
	if !c.cfg.noVerify {
		// Fail closed: a signed answer must verify, error answers too; a
		// success answer must be signed. An unsigned failure is an
		// *APIError with Signed false: never a definite refusal.
		if signed || f["returnCode"] == string(ReturnCodeSuccess) {
			verify := func() error { return c.cfg.verifyFields(ctx, o.t, f) }
			if *spool != nil {
				verify = func() error { return c.cfg.verifyBill(ctx, o.t, f, *spool) }
			}
			if err := verify(); err != nil {
				return nil, meta, fail("%w", err)
			}
		}
	} else {
		signed = true
	}
	if err := fieldset.Unambiguous(f, answerURLs); err != nil {
		return nil, meta, fail("%w: %w", ErrMalformedResponse, err)
	}
	for k, v := range f {
		if v == "" {
			delete(f, k) // outside the signature: not the signed set
		}
	}
	// The answer must be to this request, a failure as much as a success:
	// a signed refusal of another request (any merchant can get one, the
	// platform key is the same for all) must not read as this one's. A
	// query's answer may name the order's own transType (§1.5.2.2 lists
	// transType twice), so only the other calls must echo theirs.
	echoType := string(o.h.TransType)
	if o.t == TransTypeTransQuery {
		echoType = ""
	}
	for _, e := range [...]struct{ k, want string }{{"requestNo", o.h.RequestNo}, {"mchNo", o.h.MchNo}, {"transType", echoType}, {"outTransNo", o.echoOut}} {
		if got, ok := f[e.k]; ok && got != "" && e.want != "" && got != e.want {
			return f, meta, fail("%w: %s is not the request's", ErrMalformedResponse, e.k)
		}
	}
	ae := &APIError{Operation: o.t, ReturnCode: ReturnCode(f["returnCode"]), ReturnMsg: f["returnMsg"], RequestNo: o.h.RequestNo,
		OutTransNo: cmp.Or(o.echoOut, o.key), Signed: signed, Metadata: meta,
		// Every response table marks requestNo and mchNo M: only an
		// answer that names this request is its definite refusal.
		bound: signed && f["requestNo"] == o.h.RequestNo && f["mchNo"] == o.h.MchNo}
	if ae.ReturnCode == "" {
		return f, meta, fail("%w: no returnCode", ErrMalformedResponse)
	}
	if ae.ReturnCode != ReturnCodeSuccess {
		return f, meta, ae
	}
	ae.ResultCode, ae.ResultMsg = ResultCode(f["resultCode"]), f["resultMsg"]
	switch ae.ResultCode.Meaning() {
	case MeaningSuccess, MeaningProcessing:
		return f, meta, nil
	}
	if ae.ResultCode == "" {
		// returnCode 0000 says only that the message was communicated.
		return f, meta, fail("%w: returnCode 0000 without resultCode", ErrMalformedResponse)
	}
	return f, meta, ae
}

// Reconcile is the step after ErrOutcomeUnknown: it queries the order by
// the error's Key (the outTransNo the call was sent with) and returns its
// state. Any other error is returned as it is.
func (c *Client) Reconcile(ctx context.Context, err error) (*QueryOrderResponse, error) {
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) {
		return nil, err
	}
	return c.QueryOrder(ctx, &QueryOrderRequest{OriOutTransNo: ou.Key})
}
