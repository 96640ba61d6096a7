package sqlstore

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
)

// Defaults of the SQL stores.
const (
	DefaultTablePrefix = "bizapi_"
	DefaultLease       = 5 * time.Minute // how long a claim holds without Complete or Release
	DefaultRetention   = 72 * time.Hour  // how long a done key (a list after its last append) is kept
	// MaxKeyBytes is the longest key or name the stores take:
	// store.MaxKeyBytes, the longest key the SDK's handlers pass (the key
	// columns are VARBINARY(512) on MySQL).
	MaxKeyBytes = store.MaxKeyBytes
)

// Option configures a store or Migrate. An option refuses a value that
// makes no sense (a duration under a millisecond, a nil clock, a prefix that is
// not a plain identifier).
type Option func(*config) error

type config struct {
	prefix    string
	lease     time.Duration
	retention time.Duration
	now       func() time.Time
}

var prefixRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,40}$`)

// WithTablePrefix sets the prefix of the tables ("bizapi_" by default:
// bizapi_dedup, bizapi_keys, bizapi_lists). It must be a plain SQL
// identifier of at most 41 characters: letters, digits and underscores.
func WithTablePrefix(p string) Option {
	return func(c *config) error {
		if !prefixRE.MatchString(p) {
			return fmt.Errorf("sqlstore: WithTablePrefix(%q): want letters, digits and underscores, not starting with a digit, at most 41", p)
		}
		c.prefix = p
		return nil
	}
}

// WithLease sets how long a claim holds a key before another delivery may
// take it (Dedup): longer than the host's slowest handler.
func WithLease(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond {
			return fmt.Errorf("sqlstore: WithLease(%v): want at least a millisecond (the tables keep milliseconds)", d)
		}
		c.lease = d
		return nil
	}
}

// WithRetention sets how long a done key (Dedup, TxDedup) or a list after
// its latest append (Lists) is kept: longer than the provider goes on
// redelivering a notification.
func WithRetention(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond {
			return fmt.Errorf("sqlstore: WithRetention(%v): want at least a millisecond (the tables keep milliseconds)", d)
		}
		c.retention = d
		return nil
	}
}

// WithClock sets the clock that leases and retention are measured by. The
// stores of a fleet compare times written by different hosts: keep their
// clocks synchronised (NTP); a skew of s shortens or lengthens a lease by s.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("sqlstore: WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

func newConfig(opts []Option) (config, error) {
	c := config{prefix: DefaultTablePrefix, lease: DefaultLease, retention: DefaultRetention, now: time.Now}
	var errs []error
	for i, o := range opts {
		if o == nil {
			errs = append(errs, fmt.Errorf("sqlstore: option %d is nil", i))
			continue
		}
		if err := o(&c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

func (c *config) nowMS() int64 { return c.now().UnixMilli() }
