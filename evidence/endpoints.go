package evidence

import (
	"context"
	"regexp"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// ParseResult is get-parse-result-x's answer, decrypted.
type ParseResult struct {
	JSONResult  JSONResult
	JSONFileURL []string
	FileKey     string
}

// List returns the parsed files to download (see Files.List).
func (r *ParseResult) List(authorized time.Time) []File {
	return fileList(r.JSONFileURL, r.FileKey, authorized)
}

// GetParseResult returns the parsed-result files of a session (when
// daStatus is 10, authorizedTs > 0 and jsonResult is 10).
//
// DECS API: /api/efp/get-parse-result-x.
func (c *Client) GetParseResult(ctx context.Context, daID string) (*ParseResult, error) {
	if daID == "" {
		return nil, daIDRequired()
	}
	var out *ParseResult
	err := c.withKey(ctx, func(key []byte) error {
		var raw struct {
			JSONResult  JSONResult `json:"jsonResult"`
			JSONFileURL []string   `json:"jsonFileUrl"`
			Ext         struct {
				FileKey string `json:"fileKey"`
			} `json:"ext"`
		}
		if err := c.post(ctx, pathParseResult, map[string]string{"daId": daID}, &raw); err != nil {
			return err
		}
		r := &ParseResult{JSONResult: raw.JSONResult}
		var err error
		if r.JSONFileURL, r.FileKey, err = c.openFiles(key, pathParseResult, "jsonFileUrl", raw.JSONFileURL, raw.Ext.FileKey); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// SiteState is one entry of get-sites-state.
type SiteState struct {
	Status      string `json:"status"` // "1" available, "0" not
	Site        string `json:"site"`
	Description string `json:"description"`
}

// Available reports status "1".
func (s SiteState) Available() bool { return s.Status == "1" }

// GetSitesState reports whether sites are available.
//
// DECS API: /api/config/get-sites-state.
func (c *Client) GetSitesState(ctx context.Context, sites ...string) ([]SiteState, error) {
	var out []SiteState
	if err := c.post(ctx, pathSitesState, map[string]any{"sites": sites}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

var dateRE = regexp.MustCompile(`^\d{8}$`)

// GetReconFile returns the URL of the reconciliation CSV for date
// (yyyymmdd, T-1); it is a plain GET, without SSE-C.
//
// DECS API: /api/efp/get-recon-file.
func (c *Client) GetReconFile(ctx context.Context, date string) (string, error) {
	if !dateRE.MatchString(date) {
		return "", &ValidationError{Fields: []validate.Problem{{Field: "date", Message: "must be yyyymmdd"}}}
	}
	var out struct {
		FileURL string `json:"fileUrl"`
	}
	if err := c.post(ctx, pathReconFile, map[string]string{"date": date}, &out); err != nil {
		return "", err
	}
	return out.FileURL, nil
}
