package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// GetParseResultRequest is get-parse-result-x.
type GetParseResultRequest struct {
	DaID string
}

// GetParseResultResponse is get-parse-result-x's answer, decrypted.
type GetParseResultResponse struct {
	DaID         string
	BizNo        string
	Site         Site
	JSONResult   JSONResult
	JSONFileURLs []string // presigned, 5 minutes
	FileKey      string
	CompanyID    string // enterprise data types
	CompanyName  string
	Results      []DownloadResult
	// FileTypeMapping maps a parsed file's name to its type, as sent.
	FileTypeMapping json.RawMessage
	Metadata        Metadata
}

// List returns the parsed files to download (see GetOriginalFilesResponse.List).
func (r *GetParseResultResponse) List(authorized time.Time) []RemoteFile {
	return fileList(r.JSONFileURLs, r.FileKey, authorized)
}

// stringList is a JSON string or array of strings (the docs type
// jsonFileUrl as String and show an array).
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errors.New("evidence: not a string")
		}
		*l = []string{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return errors.New("evidence: neither a string nor a list of strings")
	}
	*l = ss
	return nil
}

// GetParseResult returns the parsed-result files of a session (when
// daStatus is 10, authorizedTs > 0 and jsonResult is 10). −44009, −43024
// and −44001 mean "not yet" here (ErrorCode.RetryParseLater): ask again on
// ParseRetrySchedule.
//
// DECS API: /api/efp/get-parse-result-x.
func (c *Client) GetParseResult(ctx context.Context, r *GetParseResultRequest) (*GetParseResultResponse, error) {
	if r == nil {
		r = &GetParseResultRequest{}
	}
	if err := daIDRequired(OperationGetParseResult, r.DaID); err != nil {
		return nil, err
	}
	var out *GetParseResultResponse
	err := c.withKey(ctx, func(key []byte) error {
		var raw struct {
			DaID        string     `json:"daId"`
			BizNo       string     `json:"bizNo"`
			Site        Site       `json:"site"`
			JSONResult  JSONResult `json:"jsonResult"`
			JSONFileURL stringList `json:"jsonFileUrl"`
			Ext         struct {
				FileKey         string           `json:"fileKey"`
				CompanyID       string           `json:"companyId"`
				CompanyName     string           `json:"companyName"`
				DL              []DownloadResult `json:"dl"`
				FileTypeMapping json.RawMessage  `json:"fileTypeMapping"`
			} `json:"ext"`
		}
		md, err := c.post(ctx, OperationGetParseResult, r.DaID, map[string]string{"daId": r.DaID}, &raw)
		if err != nil {
			return err
		}
		if err := sameDaID(OperationGetParseResult, r.DaID, raw.DaID); err != nil {
			return err
		}
		md.RequestID = r.DaID
		res := &GetParseResultResponse{DaID: raw.DaID, BizNo: raw.BizNo, Site: raw.Site, JSONResult: raw.JSONResult,
			CompanyID: raw.Ext.CompanyID, CompanyName: raw.Ext.CompanyName, Results: raw.Ext.DL,
			FileTypeMapping: raw.Ext.FileTypeMapping, Metadata: md}
		if res.JSONFileURLs, res.FileKey, err = c.openFiles(key, OperationGetParseResult, "jsonFileUrl", raw.JSONFileURL, raw.Ext.FileKey); err != nil {
			return err
		}
		out = res
		return nil
	})
	return out, err
}

// SiteState is one entry of get-sites-state.
type SiteState struct {
	Status      SiteStatus `json:"status"`
	Site        Site       `json:"site"`
	Description string     `json:"description"`
}

// SiteStatus is a site's availability: "1" available, "0" not (a string
// in the docs; a number is accepted).
type SiteStatus string

// Site statuses.
const (
	SiteStatusAvailable   SiteStatus = "1"
	SiteStatusUnavailable SiteStatus = "0"
)

// UnmarshalJSON accepts "1" and 1.
func (s *SiteStatus) UnmarshalJSON(b []byte) error {
	var c Code
	if err := c.UnmarshalJSON(b); err != nil {
		return err
	}
	*s = SiteStatus(c)
	return nil
}

// Available reports status "1".
func (s SiteState) Available() bool { return s.Status == SiteStatusAvailable }

// GetSitesStateRequest is get-sites-state: the sites to ask about
// (at least one).
type GetSitesStateRequest struct {
	Sites []Site
}

// GetSitesStateResponse is get-sites-state's answer.
type GetSitesStateResponse struct {
	Sites    []SiteState
	Metadata Metadata
}

// GetSitesState reports whether sites are available. The docs ask to
// poll it about every 5 minutes, and to close a site that answers
// −48025 until it is available again.
//
// DECS API: /api/config/get-sites-state.
func (c *Client) GetSitesState(ctx context.Context, r *GetSitesStateRequest) (*GetSitesStateResponse, error) {
	var v validate.Collector
	if r == nil || len(r.Sites) == 0 {
		v.Addf("sites", "is required")
	} else {
		for i, s := range r.Sites {
			if s == "" {
				v.Addf("sites["+itoa(i)+"]", "is empty")
			}
		}
	}
	if err := validationError(OperationGetSitesState, v); err != nil {
		return nil, err
	}
	var out []SiteState
	md, err := c.post(ctx, OperationGetSitesState, "", map[string]any{"sites": r.Sites}, &out)
	if err != nil {
		return nil, err
	}
	return &GetSitesStateResponse{Sites: out, Metadata: md}, nil
}

// GetReconFileRequest is get-recon-file: the day (T-1 or earlier, in
// China time) whose reconciliation file to fetch. The service makes it
// at 03:30 the next day; the zh docs say to fetch after 04:00.
type GetReconFileRequest struct {
	Date time.Time
}

// GetReconFileResponse is get-recon-file's answer: the CSV's URL (a plain
// GET, without SSE-C).
type GetReconFileResponse struct {
	FileURL  string
	Metadata Metadata
}

var chinaTime = time.FixedZone("CST", 8*3600)

// ReconReadyAt is when the reconciliation file of day is ready to fetch:
// 04:00 China time the next day (the later of the docs' two times).
func ReconReadyAt(day time.Time) time.Time {
	y, m, d := day.In(chinaTime).Date()
	return time.Date(y, m, d+1, 4, 0, 0, 0, chinaTime)
}

// GetReconFile returns the URL of the reconciliation CSV for r.Date; it
// refuses a day whose file is not made yet (ReconReadyAt).
//
// DECS API: /api/efp/get-recon-file.
func (c *Client) GetReconFile(ctx context.Context, r *GetReconFileRequest) (*GetReconFileResponse, error) {
	var v validate.Collector
	switch {
	case r == nil || r.Date.IsZero():
		v.Addf("date", "is required")
	case c.cfg.now().Before(ReconReadyAt(r.Date)):
		v.Addf("date", "the file of this day is ready only after %s", ReconReadyAt(r.Date).Format(time.RFC3339))
	}
	if err := validationError(OperationGetReconFile, v); err != nil {
		return nil, err
	}
	var out struct {
		FileURL string `json:"fileUrl"`
	}
	md, err := c.post(ctx, OperationGetReconFile, "", map[string]string{"date": r.Date.In(chinaTime).Format("20060102")}, &out)
	if err != nil {
		return nil, err
	}
	return &GetReconFileResponse{FileURL: out.FileURL, Metadata: md}, nil
}
