package evidence

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// StartRequest is start-vdi-x. OpenID, IDNo and UserName are plaintext
// here; the client encrypts them. The typed ext members (ChildSites,
// Attach, URLAttach, TmriValidDays, CompanyFullName) are sent in ext
// together with anything in Ext; a typed member wins over the same key in
// Ext.
type StartRequest struct {
	BizScenario string // "general" by default
	Site        Site
	BizNo       string // ≤ 60 characters
	OpenID      string
	IDNo        string
	UserName    string
	UserClaim   string
	UA          string
	Width       int
	Height      int
	AccessWay   AccessWay

	// ChildSites are the items of a parent site (app-alipay-any,
	// app-alipaydata-any, app-tmri-any, chrome-gjj-any); the appendix
	// recommends passing only what the user needs.
	ChildSites      []ChildSite
	Attach          string // returned as is in notifications
	URLAttach       string // appended to the success page URL
	TmriValidDays   int    // 12123: how recent the data must be, in days
	CompanyFullName string // enterprise data types: the company's full name
	Ext             map[string]any
}

// Validate reports every bad field.
func (r *StartRequest) Validate() error {
	var c validate.Collector
	c.Required("site", string(r.Site))
	if c.Required("bizNo", r.BizNo) {
		c.MaxRunes("bizNo", r.BizNo, 60)
	}
	c.Required("openId", r.OpenID)
	if info, known := r.Site.Info(); known {
		for i, child := range r.ChildSites {
			if !slices.Contains(info.ChildSites, child) {
				c.Addf(fmt.Sprintf("ext.childSites[%d]", i), "%q is not a child site of %s", child, r.Site)
			}
		}
	}
	if r.TmriValidDays < 0 {
		c.Addf("ext.tmriValidDays", "must not be negative")
	}
	if len(c.Problems()) > 0 {
		return &ValidationError{Fields: c.Problems()}
	}
	return nil
}

// ext merges the typed members into a copy of Ext.
func (r *StartRequest) ext() map[string]any {
	out := make(map[string]any, len(r.Ext)+5)
	for k, v := range r.Ext {
		out[k] = v
	}
	if len(r.ChildSites) > 0 {
		out["childSites"] = r.ChildSites
	}
	for k, v := range map[string]string{"attach": r.Attach, "urlattach": r.URLAttach, "companyFullName": r.CompanyFullName} {
		if v != "" {
			out[k] = v
		}
	}
	if r.TmriValidDays > 0 {
		out["tmriValidDays"] = r.TmriValidDays
	}
	return out
}

// StartResponse is start-vdi-x's answer; RedirectURL carries the entry URL
// signature (&sign=) when the client has an RSA key.
type StartResponse struct {
	DaID        string `json:"daId"`
	RedirectURL string `json:"redirectUrl"`
}

// StartAcquisition starts a data-acquisition session.
//
// DECS API: /api/das/start-vdi-x.
func (c *Client) StartAcquisition(ctx context.Context, r *StartRequest) (*StartResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out StartResponse
	err := c.withKey(ctx, func(key []byte) error {
		arg := map[string]any{"bizScenario": orDefault(r.BizScenario, "general"), "site": string(r.Site), "bizNo": r.BizNo}
		for field, v := range map[string]string{"openId": r.OpenID, "idNo": r.IDNo, "userName": r.UserName} {
			if v == "" {
				continue
			}
			enc, err := c.encrypt(key, v)
			if err != nil {
				return err
			}
			arg[field] = enc
		}
		for k, v := range map[string]string{"userClaim": r.UserClaim, "ua": r.UA, "accessWay": string(r.AccessWay)} {
			if v != "" {
				arg[k] = v
			}
		}
		if r.Width > 0 {
			arg["width"], arg["height"] = r.Width, r.Height
		}
		if ext := r.ext(); len(ext) > 0 {
			arg["ext"] = ext
		}
		return c.post(ctx, pathStart, arg, &out)
	})
	if err != nil {
		return nil, err
	}
	if c.cfg.rsaPriv != nil && out.RedirectURL != "" {
		signed, err := c.SignEntryURL(out.RedirectURL)
		if err != nil {
			return nil, err
		}
		out.RedirectURL = signed
	}
	return &out, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// SignEntryURL appends &sign=base64(SHA256withRSA(redirectUrl)) for H5/SDK
// entry.
func (c *Client) SignEntryURL(redirectURL string) (string, error) {
	sum := sha256.Sum256([]byte(redirectURL))
	sig, err := rsa.SignPKCS1v15(rand.Reader, c.cfg.rsaPriv, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("evidence: sign entry URL: %w", err)
	}
	return redirectURL + "&sign=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig)), nil
}

// Status is get-da-status's answer.
type Status struct {
	DaStatus     DaStatus   `json:"daStatus"`
	DaID         string     `json:"daId"`
	BizNo        string     `json:"bizNo"`
	JSONResult   JSONResult `json:"jsonResult"`
	AuthorizedTs int64      `json:"authorizedTs"` // ms; 0 = not authorized
	Ext          StatusExt  `json:"ext"`
}

// StatusExt is the ext of a status or notification: the failure detail
// and, for a parent site (app-alipay-any, app-tmri-any, …), its children.
type StatusExt struct {
	DaSubStatus Code      `json:"daSubStatus"`
	ChildDaList []ChildDa `json:"childDaList"`
}

// ChildDa is one child session of a parent site.
type ChildDa struct {
	DaID        string   `json:"daId"`
	Site        string   `json:"site"`
	DaStatus    DaStatus `json:"daStatus"`
	DaSubStatus Code     `json:"daSubStatus"`
}

// Code is a code the provider sends as a JSON string or number
// (daSubStatus, dlResult); it keeps the digits as text.
type Code string

// UnmarshalJSON accepts "81530", 81530 and null.
func (c *Code) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = Code(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("evidence: code is neither a string nor a number")
	}
	*c = Code(n)
	return nil
}

// Authorized returns authorizedTs as a time (zero when not authorized).
func (s *Status) Authorized() time.Time { return msTime(s.AuthorizedTs) }

func msTime(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Downloadable reports daStatus 10 with an authorization: files may be
// pulled.
func (s *Status) Downloadable() bool { return s.DaStatus == DaStatusSuccess && s.AuthorizedTs > 0 }

// Parsed reports that parse results may be pulled too (jsonResult 10).
func (s *Status) Parsed() bool { return s.Downloadable() && s.JSONResult == JSONResultSuccess }

// Final reports a final daStatus (10 success, or a final failure).
func (s *Status) Final() bool { return s.DaStatus.IsFinal() }

// GetStatus returns a session's state.
//
// DECS API: /api/das/get-da-status.
func (c *Client) GetStatus(ctx context.Context, daID string) (*Status, error) {
	if daID == "" {
		return nil, daIDRequired()
	}
	var out Status
	if err := c.post(ctx, pathStatus, map[string]string{"daId": daID}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Files is get-original-files-x's answer, decrypted.
type Files struct {
	DaID         string
	BizNo        string
	Site         string
	FileURLs     []string
	FileKey      string   // base64 of 32 bytes: the SSE-C key
	PDFPasswords []string // decrypted
	Results      []DownloadResult
}

// DownloadResult is one entry of ext.dl: how the acquisition of one file
// went.
type DownloadResult struct {
	FileName string `json:"fileName"`
	DlResult Code   `json:"dlResult"`
	Type     string `json:"type"`
}

// List returns the files to download. authorized is the session's
// authorization time (Status.Authorized or the notification's), used for
// the 10-day retention check; pass the zero time when unknown.
func (f *Files) List(authorized time.Time) []File {
	return fileList(f.FileURLs, f.FileKey, authorized)
}

// GetOriginalFiles returns a session's files with their URLs and keys
// decrypted.
//
// DECS API: /api/efp/get-original-files-x.
func (c *Client) GetOriginalFiles(ctx context.Context, daID string) (*Files, error) {
	if daID == "" {
		return nil, daIDRequired()
	}
	var out *Files
	err := c.withKey(ctx, func(key []byte) error {
		var raw struct {
			DaID    string   `json:"daId"`
			BizNo   string   `json:"bizNo"`
			Site    string   `json:"site"`
			FileURL []string `json:"fileUrl"`
			Ext     struct {
				FileKey     string           `json:"fileKey"`
				PDFPassword []string         `json:"pdfPassword"`
				DL          []DownloadResult `json:"dl"`
			} `json:"ext"`
		}
		if err := c.post(ctx, pathOriginalFiles, map[string]string{"daId": daID}, &raw); err != nil {
			return err
		}
		f := &Files{DaID: raw.DaID, BizNo: raw.BizNo, Site: raw.Site, Results: raw.Ext.DL}
		var err error
		if f.FileURLs, f.FileKey, err = c.openFiles(key, pathOriginalFiles, "fileUrl", raw.FileURL, raw.Ext.FileKey); err != nil {
			return err
		}
		for _, p := range raw.Ext.PDFPassword {
			d, err := c.decrypt(key, p)
			if err != nil {
				return fieldError(pathOriginalFiles, "ext.pdfPassword", err)
			}
			f.PDFPasswords = append(f.PDFPasswords, d)
		}
		out = f
		return nil
	})
	return out, err
}
