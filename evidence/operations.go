package evidence

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// StartAcquisitionRequest is start-vdi-x. OpenID, IDNo and UserName are
// plaintext here; the client encrypts them. Every field the docs mark
// required is checked before anything is sent, with the docs' length
// limits (bytes where the docs say bytes, characters elsewhere). The
// typed ext members are sent in ext together with anything in Ext; a
// typed member wins over the same key in Ext. The limits of the
// documented ext members apply to what is sent, from either.
type StartAcquisitionRequest struct {
	BizScenario string    // "general" (the default; the only documented value)
	Site        Site      // ≤ 32
	BizNo       string    // ≤ 60
	OpenID      string    // ≤ 128 (plaintext)
	IDNo        string    // the user's identity number; no format check: the docs define none (see the package doc)
	UserName    string    // the user's real name after KYC
	UserClaim   string    // ≤ 128 bytes: how the user was identified
	UA          string    // the user's browser User-Agent (a fixed value if unknown)
	Width       int       // the user's visible area in pixels, > 0
	Height      int       // > 0
	AccessWay   AccessWay // AccessWayH5 when empty: the only one supported now

	// ChildSites are the items of a parent site (app-alipay-any,
	// app-alipaydata-any, app-tmri-any, chrome-gjj-any); the appendix
	// recommends passing only what the user needs.
	ChildSites       []ChildSite
	Attach           string // ≤ 128 bytes; returned in the notifications' ext.attach
	URLAttach        string // ≤ 12 characters; appended to the return page URL as attach_url
	TmriValidDays    int    // 12123: 1–90 days (0: not sent; the service's default is 7)
	CompanyFullName  string // ≤ 32 characters (specific channels only)
	CompanyShortName string // ≤ 32 characters (specific channels only)
	ContactInfo      string // ≤ 32 characters (specific channels only)
	// The two download authorization documents (specific channels only):
	// ≤ 128 and ≤ 50 characters.
	DownloadAuthorizationSeparateDocument string
	DownloadAuthorizationMergeDocument    string
	Lang                                  Lang // ext.lang (zh docs: Indonesian customers)
	Ext                                   map[string]any
}

// Lang is ext.lang.
type Lang string

// Languages the zh docs list.
const (
	LangEnglish    Lang = "en"
	LangIndonesian Lang = "id"
	LangChinese    Lang = "zh"
)

// Validate reports every bad field.
func (r *StartAcquisitionRequest) Validate() error {
	var c validate.Collector
	if r.BizScenario != "" && r.BizScenario != "general" {
		c.Addf("bizScenario", `must be "general"`)
	}
	if c.Required("site", string(r.Site)) {
		c.MaxRunes("site", string(r.Site), 32)
	}
	if c.Required("bizNo", r.BizNo) {
		c.MaxRunes("bizNo", r.BizNo, 60)
	}
	if c.Required("openId", r.OpenID) {
		c.MaxRunes("openId", r.OpenID, 128)
	}
	c.Required("idNo", r.IDNo)
	c.Required("userName", r.UserName)
	if c.Required("userClaim", r.UserClaim) {
		maxUTF8(&c, "userClaim", r.UserClaim, 128)
	}
	c.Required("ua", r.UA)
	if r.Width <= 0 {
		c.Addf("width", "must be a positive integer")
	}
	if r.Height <= 0 {
		c.Addf("height", "must be a positive integer")
	}
	if info, known := r.Site.Info(); known {
		for i, child := range r.ChildSites {
			if !slices.Contains(info.ChildSites, child) {
				c.Addf(fmt.Sprintf("ext.childSites[%d]", i), "is not a child site of %s", r.Site)
			}
		}
	}
	if r.TmriValidDays != 0 && (r.TmriValidDays < 1 || r.TmriValidDays > 90) {
		c.Addf("ext.tmriValidDays", "must be between 1 and 90")
	}
	// The documented ext strings, as sent: the typed member, or the same
	// key in Ext when the typed one is empty (ext's merge).
	for _, m := range []struct {
		key   string
		typed string
		n     int
		bytes bool
	}{
		{"attach", r.Attach, 128, true}, {"urlattach", r.URLAttach, 12, false},
		{"companyFullName", r.CompanyFullName, 32, false}, {"companyShortName", r.CompanyShortName, 32, false},
		{"contactInfo", r.ContactInfo, 32, false},
		{"downloadAuthorizationSeparateDocument", r.DownloadAuthorizationSeparateDocument, 128, false},
		{"downloadAuthorizationMergeDocument", r.DownloadAuthorizationMergeDocument, 50, false},
	} {
		v := m.typed
		if raw, ok := r.Ext[m.key]; ok && v == "" {
			if v, ok = raw.(string); !ok {
				c.Addf("ext."+m.key, "must be a string")
				continue
			}
		}
		if m.bytes {
			maxUTF8(&c, "ext."+m.key, v, m.n)
		} else {
			c.MaxRunes("ext."+m.key, v, m.n)
		}
	}
	return validationError(OperationStartAcquisition, c)
}

func maxUTF8(c *validate.Collector, field, v string, n int) {
	if len(v) > n {
		c.Addf(field, "must be at most %d bytes (UTF-8)", n)
	}
}

func validationError(op string, c validate.Collector) error {
	if c.OK() {
		return nil
	}
	ps := c.Problems()
	fs := make([]FieldError, len(ps))
	for i, p := range ps {
		fs[i] = FieldError{Field: p.Field, Message: p.Message}
	}
	return &ValidationError{Operation: op, Fields: fs}
}

// ext merges the typed members into a copy of Ext.
func (r *StartAcquisitionRequest) ext() map[string]any {
	out := make(map[string]any, len(r.Ext)+5)
	for k, v := range r.Ext {
		out[k] = v
	}
	if len(r.ChildSites) > 0 {
		out["childSites"] = r.ChildSites
	}
	for k, v := range map[string]string{"attach": r.Attach, "urlattach": r.URLAttach, "companyFullName": r.CompanyFullName,
		"companyShortName": r.CompanyShortName, "contactInfo": r.ContactInfo, "lang": string(r.Lang),
		"downloadAuthorizationSeparateDocument": r.DownloadAuthorizationSeparateDocument,
		"downloadAuthorizationMergeDocument":    r.DownloadAuthorizationMergeDocument} {
		if v != "" {
			out[k] = v
		}
	}
	if r.TmriValidDays > 0 {
		out["tmriValidDays"] = r.TmriValidDays
	}
	return out
}

// LinkValidity is how long a start answer's redirectUrl can be opened
// (the vcode's 8 minutes); the user then has 10 minutes in the clean
// environment. The link can be opened once: reopening it ends the session
// (daStatus 24).
const LinkValidity = 8 * time.Minute

// StartAcquisitionResponse is start-vdi-x's answer. RedirectURL carries
// the entry signature (&sign=) when the client has an RSA key.
type StartAcquisitionResponse struct {
	DaID        string
	RedirectURL string
	// IssuedAt is when the answer arrived, on the client's clock: the docs
	// measure the polling fallback from it (FinalPollWindow).
	IssuedAt time.Time
	// LinkExpires is when RedirectURL stops opening: LinkValidity after
	// IssuedAt.
	LinkExpires time.Time
	Metadata    Metadata
}

// StatusRequest is the GetStatusRequest (and WaitFinal's) for this
// session: its daId and the time it was issued.
func (r *StartAcquisitionResponse) StatusRequest() *GetStatusRequest {
	return &GetStatusRequest{DaID: r.DaID, IssuedAt: r.IssuedAt}
}

// StartAcquisition starts a data-acquisition session.
//
// It is never repeated once it may have reached the service: anything
// but a complete answer (lost, cut, 5xx, an HTML page, a daId that is not
// a string) is an *OutcomeUnknownError keyed by BizNo. The docs have no
// query by bizNo: the session shows up in the notifications (which carry
// bizNo) and in the next day's reconciliation file; a new attempt needs a
// new bizNo.
//
// DECS API: /api/das/start-vdi-x.
func (c *Client) StartAcquisition(ctx context.Context, r *StartAcquisitionRequest) (*StartAcquisitionResponse, error) {
	if r == nil {
		return nil, &ValidationError{Operation: OperationStartAcquisition, Fields: []FieldError{{Field: "request", Message: "is required"}}}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	way := r.AccessWay
	if way == "" {
		way = AccessWayH5
	}
	var out struct {
		DaID        *string `json:"daId"`
		RedirectURL *string `json:"redirectUrl"`
	}
	var md Metadata
	err := c.withKey(ctx, func(key []byte) error {
		arg := map[string]any{"bizScenario": "general", "site": string(r.Site), "bizNo": r.BizNo,
			"userClaim": r.UserClaim, "ua": r.UA, "width": r.Width, "height": r.Height, "accessWay": string(way)}
		for field, v := range map[string]string{"openId": r.OpenID, "idNo": r.IDNo, "userName": r.UserName} {
			enc, err := c.encrypt(key, v)
			if err != nil {
				return err
			}
			arg[field] = enc
		}
		if ext := r.ext(); len(ext) > 0 {
			arg["ext"] = ext
		}
		var err error
		md, err = c.post(ctx, OperationStartAcquisition, r.BizNo, arg, &out)
		if err == nil && (out.DaID == nil || *out.DaID == "" || out.RedirectURL == nil || !validate.HTTPURL(*out.RedirectURL)) {
			err = &OutcomeUnknownError{Operation: OperationStartAcquisition, Key: r.BizNo,
				Err: fmt.Errorf("evidence: %s: %w: daId or redirectUrl missing", OperationStartAcquisition, ErrMalformedResponse)}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	now := c.cfg.now()
	res := &StartAcquisitionResponse{DaID: *out.DaID, RedirectURL: *out.RedirectURL, IssuedAt: now, LinkExpires: now.Add(LinkValidity), Metadata: md}
	res.Metadata.RequestID = res.DaID
	if c.cfg.RSAPriv != nil && !c.cfg.SM {
		signed, err := c.SignEntryURL(res.RedirectURL, way)
		if err != nil {
			return nil, err
		}
		res.RedirectURL = signed
	}
	return res, nil
}

// SignEntryURL appends &sign=base64(SHA256withRSA(redirectUrl)). For the
// H5 and SDK entries the signature is appended as is (the docs' H5
// example keeps + / =); for the miniapp ways it is URL-escaped, as the
// miniapp docs' encodeURIComponent does. It needs SuiteRSA's key.
func (c *Client) SignEntryURL(redirectURL string, way AccessWay) (string, error) {
	if c.cfg.RSAPriv == nil || c.cfg.SM {
		return "", errors.New("evidence: SignEntryURL needs the RSA suite's private key (the national suite's entry signature is not documented)")
	}
	sum := sha256.Sum256([]byte(redirectURL))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.cfg.RSAPriv, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("evidence: sign entry URL: %w", err)
	}
	s := base64.StdEncoding.EncodeToString(sig)
	switch way {
	case "", AccessWayH5, AccessWaySDK:
	default:
		s = url.QueryEscape(s)
	}
	return redirectURL + "&sign=" + s, nil
}

// GetStatusRequest is get-da-status.
type GetStatusRequest struct {
	DaID string
	// IssuedAt is when the daId was issued (the start answer's IssuedAt;
	// the docs' T0). Only WaitFinal reads it: it stops polling
	// FinalPollWindow after it. get-da-status itself takes only daId.
	IssuedAt time.Time
}

func daIDRequired(op, daID string) error {
	var c validate.Collector
	if c.Required("daId", daID) {
		c.MaxRunes("daId", daID, 32)
	}
	return validationError(op, c)
}

// GetStatusResponse is get-da-status's answer.
type GetStatusResponse struct {
	DaStatus     DaStatus   `json:"daStatus"`
	BrowsingSite Site       `json:"browsingSite"`
	DaID         string     `json:"daId"`
	BizNo        string     `json:"bizNo"`
	JSONResult   JSONResult `json:"jsonResult"`
	CertResult   int        `json:"certResult"` // no longer used
	AppID        string     `json:"appId"`
	AuthorizedTs int64      `json:"authorizedTs"` // ms; 0 = not authorized
	Ext          StatusExt  `json:"ext"`
	Metadata     Metadata   `json:"-"`
}

// Authorized returns authorizedTs as a time (zero when not authorized).
func (s *GetStatusResponse) Authorized() time.Time { return decs.MsTime(s.AuthorizedTs) }

// Downloadable reports daStatus 10 with an authorization: files may be
// pulled.
func (s *GetStatusResponse) Downloadable() bool {
	return s.DaStatus == DaStatusSuccess && s.AuthorizedTs > 0
}

// Parsed reports that parse results may be pulled too (jsonResult 10).
func (s *GetStatusResponse) Parsed() bool {
	return s.Downloadable() && s.JSONResult == JSONResultSuccess
}

// Final reports a final daStatus (10 success, or a final failure).
func (s *GetStatusResponse) Final() bool { return s.DaStatus.IsFinal() }

// GetStatus returns a session's state.
//
// DECS API: /api/das/get-da-status.
func (c *Client) GetStatus(ctx context.Context, r *GetStatusRequest) (*GetStatusResponse, error) {
	if r == nil {
		r = &GetStatusRequest{}
	}
	if err := daIDRequired(OperationGetStatus, r.DaID); err != nil {
		return nil, err
	}
	var out GetStatusResponse
	md, err := c.post(ctx, OperationGetStatus, r.DaID, map[string]string{"daId": r.DaID}, &out)
	if err != nil {
		return nil, err
	}
	if err := sameDaID(OperationGetStatus, r.DaID, out.DaID); err != nil {
		return nil, err
	}
	out.Metadata, out.Metadata.RequestID = md, r.DaID
	return &out, nil
}

// GetOriginalFilesRequest is get-original-files-x.
type GetOriginalFilesRequest struct {
	DaID string
}

// GetOriginalFilesResponse is get-original-files-x's answer, decrypted.
type GetOriginalFilesResponse struct {
	DaID         string
	BizNo        string
	Site         Site
	FileURLs     []string // presigned, 5 minutes
	FileKey      string   // base64 of 32 bytes: the SSE-C key
	PDFPasswords []string // decrypted; absent when it is the last 6 digits of the ID number
	Results      []DownloadResult
	Metadata     Metadata
}

// DownloadResult is one entry of ext.dl: how the acquisition of one file
// went.
type DownloadResult struct {
	FileName string `json:"fileName"`
	DlResult Code   `json:"dlResult"`
	Type     string `json:"type"`
}

// List returns the files to download. authorized is the session's
// authorization time (GetStatusResponse.Authorized or the notification's),
// used for the 10-day retention check; pass the zero time when unknown.
func (f *GetOriginalFilesResponse) List(authorized time.Time) []RemoteFile {
	return fileList(f.FileURLs, f.FileKey, authorized)
}

// GetOriginalFiles returns a session's files with their URLs and keys
// decrypted.
//
// DECS API: /api/efp/get-original-files-x.
func (c *Client) GetOriginalFiles(ctx context.Context, r *GetOriginalFilesRequest) (*GetOriginalFilesResponse, error) {
	if r == nil {
		r = &GetOriginalFilesRequest{}
	}
	if err := daIDRequired(OperationGetOriginalFiles, r.DaID); err != nil {
		return nil, err
	}
	var out *GetOriginalFilesResponse
	err := c.withKey(ctx, func(key []byte) error {
		var raw struct {
			DaID    string   `json:"daId"`
			BizNo   string   `json:"bizNo"`
			Site    Site     `json:"site"`
			FileURL []string `json:"fileUrl"`
			Ext     struct {
				FileKey     string           `json:"fileKey"`
				PDFPassword []string         `json:"pdfPassword"`
				DL          []DownloadResult `json:"dl"`
			} `json:"ext"`
		}
		md, err := c.post(ctx, OperationGetOriginalFiles, r.DaID, map[string]string{"daId": r.DaID}, &raw)
		if err != nil {
			return err
		}
		if err := sameDaID(OperationGetOriginalFiles, r.DaID, raw.DaID); err != nil {
			return err
		}
		md.RequestID = r.DaID
		f := &GetOriginalFilesResponse{DaID: raw.DaID, BizNo: raw.BizNo, Site: raw.Site, Results: raw.Ext.DL, Metadata: md}
		if f.FileURLs, f.FileKey, err = c.openFiles(key, OperationGetOriginalFiles, "fileUrl", raw.FileURL, raw.Ext.FileKey); err != nil {
			return err
		}
		for _, p := range raw.Ext.PDFPassword {
			d, err := c.decrypt(key, p)
			if err != nil {
				return fieldError(OperationGetOriginalFiles, "ext.pdfPassword", err)
			}
			f.PDFPasswords = append(f.PDFPasswords, d)
		}
		out = f
		return nil
	})
	return out, err
}
