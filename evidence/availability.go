package evidence

import (
	"context"
	"errors"
	"sync"
	"time"
)

// SiteAvailabilityInterval is how often the docs ask to pull the sites'
// availability ("preferably every 5 minutes").
const SiteAvailabilityInterval = 5 * time.Minute

// SiteAvailability caches get-sites-state for a set of sites, as the docs
// ask integrators to: Run polls it every interval, Observe closes a site
// that answered −48025 until the next poll says it is back, and Available
// tells the host whether to offer a site. A site never polled is
// available. It is safe for concurrent use.
type SiteAvailability struct {
	c     *Client
	sites []Site

	mu      sync.Mutex
	closed  map[Site]bool
	updated time.Time
}

// NewSiteAvailability watches sites through c.
func NewSiteAvailability(c *Client, sites ...Site) (*SiteAvailability, error) {
	if c == nil || len(sites) == 0 {
		return nil, errors.New("evidence: NewSiteAvailability: want a client and at least one site")
	}
	return &SiteAvailability{c: c, sites: append([]Site(nil), sites...), closed: map[Site]bool{}}, nil
}

// Refresh asks get-sites-state once.
func (a *SiteAvailability) Refresh(ctx context.Context) error {
	res, err := a.c.GetSitesState(ctx, &GetSitesStateRequest{Sites: a.sites})
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range res.Sites {
		a.closed[s.Site] = !s.Available()
	}
	a.updated = a.c.cfg.now()
	return nil
}

// Run refreshes every interval (SiteAvailabilityInterval when 0) until ctx
// ends; a failed refresh keeps the last known state.
func (a *SiteAvailability) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = SiteAvailabilityInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = a.Refresh(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Observe closes site when err is −48025 (DataSourceUnavailable: "please
// temporarily close the data source access").
func (a *SiteAvailability) Observe(site Site, err error) {
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == ErrorCodeSourceUnavailable {
		a.mu.Lock()
		a.closed[site] = true
		a.mu.Unlock()
	}
}

// Available reports whether site may be offered now.
func (a *SiteAvailability) Available(site Site) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.closed[site]
}

// Updated is when the last poll succeeded (zero before the first).
func (a *SiteAvailability) Updated() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.updated
}
