package evidence

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/bodylimit"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// ReconColumns are the reconciliation CSV's columns (en main.md, "Get
// Daily Bill").
var ReconColumns = []string{"da_id", "biz_no", "app_id", "site", "original_site", "access_way", "da_status", "da_sub_status",
	"json_result", "cert_result", "authorize_time", "charge_flag", "charge_package", "user_protocol_upload_flag", "create_time"}

// ReconRow is one session of the reconciliation file.
type ReconRow struct {
	DaID, BizNo, AppID string
	Site, OriginalSite Site
	AccessWay          AccessWay
	DaStatus           DaStatus
	DaSubStatus        Code
	JSONResult         JSONResult
	AuthorizeTime      int64 // ms; > 0 when authorized
	Charged            bool  // charge_flag Y
	ChargedToPackage   bool  // charge_package Y
	AgreementUploaded  bool  // user_protocol_upload_flag Y
	CreateTime         string
}

// ParseRecon reads a reconciliation CSV by its header's column names (in
// any order; unknown columns are ignored).
func ParseRecon(r io.Reader) ([]ReconRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("evidence: recon: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	if _, ok := col["da_id"]; !ok {
		return nil, errors.New("evidence: recon: no da_id column")
	}
	var out []ReconRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("evidence: recon: line %d: %w", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		num := func(name string) (int64, error) {
			s := get(name)
			if s == "" {
				return 0, nil
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("evidence: recon: line %d: %s is not an integer", line, name)
			}
			return n, nil
		}
		st, err := num("da_status")
		if err != nil {
			return nil, err
		}
		jr, err := num("json_result")
		if err != nil {
			return nil, err
		}
		at, err := num("authorize_time")
		if err != nil {
			return nil, err
		}
		out = append(out, ReconRow{DaID: get("da_id"), BizNo: get("biz_no"), AppID: get("app_id"), Site: Site(get("site")),
			OriginalSite: Site(get("original_site")), AccessWay: AccessWay(get("access_way")), DaStatus: DaStatus(st),
			DaSubStatus: Code(get("da_sub_status")), JSONResult: JSONResult(jr), AuthorizeTime: at,
			Charged: get("charge_flag") == "Y", ChargedToPackage: get("charge_package") == "Y",
			AgreementUploaded: get("user_protocol_upload_flag") == "Y", CreateTime: get("create_time")})
	}
}

// FetchRecon gets the reconciliation file's URL, downloads it (a plain
// GET, no SSE-C; the link lasts 5 minutes) and parses it. Its biz_no
// column is how a start that ended in ErrOutcomeUnknown is reconciled.
func (c *Client) FetchRecon(ctx context.Context, r *GetReconFileRequest) ([]ReconRow, error) {
	res, err := c.GetReconFile(ctx, r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	if _, err := url.Parse(res.FileURL); err != nil {
		return nil, errors.New("evidence: recon: bad file URL")
	}
	resp, err := transport.Send(ctx, c.http, transport.Request{Method: http.MethodGet, URL: res.FileURL, Header: http.Header{"User-Agent": {c.cfg.ua}}})
	if err != nil {
		return nil, errors.New("evidence: recon: download failed")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("evidence: recon: HTTP %d", resp.StatusCode)
	}
	limit := int64(DefaultMaxReconBytes)
	if c.cfg.maxBody > 0 {
		limit = c.cfg.maxBody
	}
	// A file over the bound is an error, never a shorter file: a row
	// missing from the recon would read as a session never opened.
	rows, err := ParseRecon(bodylimit.Reader(resp.Body, limit))
	if errors.Is(err, bodylimit.ErrTooLarge) {
		return nil, fmt.Errorf("evidence: recon: the file exceeds %d bytes (WithMaxResponseBytes): %w", limit, err)
	}
	return rows, err
}

// ErrNotInRecon reports a bizNo the reconciliation file of the day does
// not list: the start did not open a session that day.
var ErrNotInRecon = errors.New("evidence: not in the reconciliation file")

// ReconcileStart is the one-call reconciliation of a start that ended in
// ErrOutcomeUnknown: it looks the error's bizNo up in the reconciliation
// file of day (the day of the start, fetched once the file exists: see
// ReconReadyAt). It returns the session's row, or ErrNotInRecon when the
// service opened none. The docs have no query by bizNo; before the file
// exists, the notifications (they carry bizNo) are the only other source.
func (c *Client) ReconcileStart(ctx context.Context, unknown error, day time.Time) (*ReconRow, error) {
	var ou *OutcomeUnknownError
	if !errors.As(unknown, &ou) || ou.Operation != OperationStartAcquisition || ou.Key == "" {
		return nil, errors.New("evidence: ReconcileStart: not the OutcomeUnknownError of a start")
	}
	rows, err := c.FetchRecon(ctx, &GetReconFileRequest{Date: day})
	if err != nil {
		return nil, err
	}
	for i := range rows {
		if rows[i].BizNo == ou.Key {
			return &rows[i], nil
		}
	}
	return nil, fmt.Errorf("%w: bizNo %s", ErrNotInRecon, ou.Key)
}
