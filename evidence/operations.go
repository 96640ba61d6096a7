package evidence

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// StartRequest is start-vdi-x. OpenID, IDNo and UserName are plaintext
// here; the client encrypts them.
type StartRequest struct {
	BizScenario string         `json:"bizScenario"` // "general" by default
	Site        string         `json:"site"`
	BizNo       string         `json:"bizNo"` // ≤ 60
	OpenID      string         `json:"-"`
	IDNo        string         `json:"-"`
	UserName    string         `json:"-"`
	UserClaim   string         `json:"userClaim,omitempty"`
	UA          string         `json:"ua,omitempty"`
	Width       int            `json:"width,omitempty"`
	Height      int            `json:"height,omitempty"`
	AccessWay   string         `json:"accessWay,omitempty"`
	Ext         map[string]any `json:"ext,omitempty"`
}

// Validate reports every bad field.
func (r *StartRequest) Validate() error {
	var c validate.Collector
	c.Required("site", r.Site)
	if c.Required("bizNo", r.BizNo) {
		c.MaxRunes("bizNo", r.BizNo, 60)
	}
	c.Required("openId", r.OpenID)
	if len(c.Problems()) > 0 {
		return &ValidationError{Fields: c.Problems()}
	}
	return nil
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
		arg := map[string]any{"bizScenario": orDefault(r.BizScenario, "general"), "site": r.Site, "bizNo": r.BizNo}
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
		for k, v := range map[string]any{"userClaim": r.UserClaim, "ua": r.UA, "accessWay": r.AccessWay} {
			if v != "" {
				arg[k] = v
			}
		}
		if r.Width > 0 {
			arg["width"], arg["height"] = r.Width, r.Height
		}
		if len(r.Ext) > 0 {
			arg["ext"] = r.Ext
		}
		return c.post(ctx, "/api/das/start-vdi-x", arg, &out)
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
	DaStatus     int    `json:"daStatus"`
	DaID         string `json:"daId"`
	BizNo        string `json:"bizNo"`
	JSONResult   int    `json:"jsonResult"`
	AuthorizedTs int64  `json:"authorizedTs"`
	Ext          struct {
		DaSubStatus string `json:"daSubStatus"`
		ChildDaList []struct {
			DaID        string `json:"daId"`
			Site        string `json:"site"`
			DaStatus    int    `json:"daStatus"`
			DaSubStatus string `json:"daSubStatus"`
		} `json:"childDaList"`
	} `json:"ext"`
}

// Downloadable reports daStatus 10 with an authorization: files may be
// pulled.
func (s *Status) Downloadable() bool { return s.DaStatus == 10 && s.AuthorizedTs > 0 }

// Final reports a final daStatus (10 success, 13..100 failure).
func (s *Status) Final() bool { return s.DaStatus == 10 || s.DaStatus >= 13 }

// GetStatus returns a session's state.
//
// DECS API: /api/das/get-da-status.
func (c *Client) GetStatus(ctx context.Context, daID string) (*Status, error) {
	if daID == "" {
		return nil, &ValidationError{Fields: []validate.Problem{{Field: "daId", Message: "is required"}}}
	}
	var out Status
	if err := c.post(ctx, "/api/das/get-da-status", map[string]string{"daId": daID}, &out); err != nil {
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
}

// GetOriginalFiles returns a session's files with their URLs and keys
// decrypted.
//
// DECS API: /api/efp/get-original-files-x.
func (c *Client) GetOriginalFiles(ctx context.Context, daID string) (*Files, error) {
	var raw struct {
		DaID    string   `json:"daId"`
		BizNo   string   `json:"bizNo"`
		Site    string   `json:"site"`
		FileURL []string `json:"fileUrl"`
		Ext     struct {
			FileKey     string   `json:"fileKey"`
			PDFPassword []string `json:"pdfPassword"`
		} `json:"ext"`
	}
	var out *Files
	err := c.withKey(ctx, func(key []byte) error {
		if err := c.post(ctx, "/api/efp/get-original-files-x", map[string]string{"daId": daID}, &raw); err != nil {
			return err
		}
		f := &Files{DaID: raw.DaID, BizNo: raw.BizNo, Site: raw.Site}
		for _, u := range raw.FileURL {
			p, err := c.decrypt(key, u)
			if err != nil {
				return err
			}
			f.FileURLs = append(f.FileURLs, p)
		}
		for _, p := range raw.Ext.PDFPassword {
			d, err := c.decrypt(key, p)
			if err != nil {
				return err
			}
			f.PDFPasswords = append(f.PDFPasswords, d)
		}
		if raw.Ext.FileKey != "" {
			k, err := c.decrypt(key, raw.Ext.FileKey)
			if err != nil {
				return err
			}
			f.FileKey = k
		}
		out = f
		return nil
	})
	return out, err
}
