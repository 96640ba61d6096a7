package evidence

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// The pull schedules the docs ask integrators to follow after a
// notification (en main.md, "Notification"): original files at 0 s, 10 s
// and 60 s; parse results at 5 s, 1 min and 10 min; then, for parse
// results, the fallback within ParseFallbackWindow.
var (
	OriginalFilesRetrySchedule = []time.Duration{0, 10 * time.Second, time.Minute}
	ParseRetrySchedule         = []time.Duration{5 * time.Second, time.Minute, 10 * time.Minute}
)

// ParseFallbackWindow is how long parse results may still be retried
// (14 days; the files themselves are kept Retention, 10 days).
const ParseFallbackWindow = 14 * 24 * time.Hour

// FinalPollWindow is how long the docs poll get-da-status after the daId
// was issued when no notification came (20 minutes, every 60 s; en
// main.md, "Fallback when Notification Fails"): WaitFinal stops this long
// after GetStatusRequest.IssuedAt.
const FinalPollWindow = 20 * time.Minute

// ReturnPage is what the H5 return page receives in its query (en h5.md):
// bizNo, daId, daStatus, site, and attach_url when the start sent
// urlattach. The docs warn that the front end's values may be wrong:
// confirm with GetStatus before acting on them.
type ReturnPage struct {
	BizNo     string
	DaID      string
	DaStatus  DaStatus
	Site      Site
	URLAttach string
	Status    string // "status", when present
}

// ParseReturnPage reads the return page's query parameters. It checks
// only their form; the values come from the user's browser.
func ParseReturnPage(query url.Values) (ReturnPage, error) {
	p := ReturnPage{BizNo: query.Get("bizNo"), DaID: query.Get("daId"), Site: Site(query.Get("site")),
		URLAttach: query.Get("attach_url"), Status: query.Get("status")}
	if s := query.Get("daStatus"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return ReturnPage{}, errors.New("evidence: return page: daStatus is not an integer")
		}
		p.DaStatus = DaStatus(n)
	}
	if p.DaID == "" && p.BizNo == "" {
		return ReturnPage{}, errors.New("evidence: return page: neither daId nor bizNo")
	}
	return p, nil
}

// DefaultPDFPassword is the password of a PDF the pull answer gives no
// pdfPassword for: the last 6 characters of the user's ID number (en
// main.md: pdfPassword is "returned only if it is not the last 6 digits of
// the ID card"). It returns "" for an idNo shorter than 6.
func DefaultPDFPassword(idNo string) string {
	if len(idNo) < 6 {
		return ""
	}
	return idNo[len(idNo)-6:]
}

// returnPageKeys are the query keys the return page receives, which the
// registered URL must not use (en h5.md).
var returnPageKeys = []string{"status", "bizNo", "daId", "daStatus", "site", "attach_url"}

// CheckReturnPageURL checks an H5 success or failure page URL against the
// docs' rules before it is registered with the operator (en h5.md,
// Prerequisites): "Must be in http/https format", "URL allows query
// parameters not exceeding 12 Bytes length", and "If the URL already
// contains a query, do NOT use the following keys: status, bizNo, daId,
// daStatus, site, attach_url". It reports every rule broken.
func CheckReturnPageURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return errors.New("evidence: return page URL: must be an absolute http or https URL")
	}
	var errs []error
	if len(p.RawQuery) > 12 {
		errs = append(errs, fmt.Errorf("query is %d bytes, at most 12", len(p.RawQuery)))
	}
	q, qerr := url.ParseQuery(p.RawQuery)
	if qerr != nil {
		errs = append(errs, errors.New("query does not parse"))
	}
	for _, k := range returnPageKeys {
		if _, used := q[k]; used {
			errs = append(errs, fmt.Errorf("query uses the reserved key %q", k))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("evidence: return page URL: %w", err)
	}
	return nil
}

// CheckCallbackURL checks the notification URL to register for
// production (en main.md, notifications: "the protocol for this
// interface in the production environment must use HTTPS, not HTTP").
func CheckCallbackURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return errors.New("evidence: callback URL: must be an absolute URL")
	}
	if p.Scheme != "https" {
		return fmt.Errorf("evidence: callback URL: production needs https, not %q", p.Scheme)
	}
	return nil
}
