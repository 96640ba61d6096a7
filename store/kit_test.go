package store_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

// buggy is a small Dedup that gets one rule wrong, chosen by bug.
type buggy struct {
	mu    sync.Mutex
	bug   string
	lease time.Duration
	seq   int
	m     map[string]buggyEntry
}

type buggyEntry struct {
	token   string // "" when done
	expires time.Time
}

func (b *buggy) Acquire(_ context.Context, key string) (store.Claim, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bug == "truncates-keys" && len(key) > 255 {
		key = key[:255] // a VARCHAR(255) column
	}
	e, ok := b.m[key]
	live := ok && (time.Now().Before(e.expires) || b.bug == "claims-never-expire")
	if live && e.token == "" {
		return store.Claim{Key: key, State: store.StateDone}, nil
	}
	if live && b.bug != "no-in-flight" {
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
	b.seq++
	tok := strconv.Itoa(b.seq)
	if b.bug == "constant-token" {
		tok = "t"
	}
	b.m[key] = buggyEntry{token: tok, expires: time.Now().Add(b.lease)}
	return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
}

func (b *buggy) Complete(_ context.Context, c store.Claim) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[c.Key] = buggyEntry{expires: time.Now().Add(time.Hour)}
	return nil
}

// stall is spent by the first Release of a short-leased store with bug
// "stalls-once": the database stops for a lease, as a loaded machine's
// does now and then.
var stall sync.Once

func (b *buggy) Release(_ context.Context, c store.Claim) error {
	if b.bug == "stalls-once" && b.lease < time.Minute {
		stall.Do(func() { time.Sleep(b.lease) })
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.m[c.Key]
	switch {
	case b.bug == "release-ignores-token" && e.token != "":
		delete(b.m, c.Key)
	case b.bug == "release-forgets-done":
		delete(b.m, c.Key)
	case e.token != "" && e.token == c.Token:
		delete(b.m, c.Key)
	}
	return nil
}

// TestKitCatchesBrokenStores runs the kit against stores that break one
// rule each, in a child process, and expects it to fail there on that
// rule: a kit that passes a wrong store proves nothing.
func TestKitCatchesBrokenStores(t *testing.T) {
	if bug := os.Getenv("STORETEST_BUG"); bug != "" {
		storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
			return &buggy{bug: bug, lease: lease, m: map[string]buggyEntry{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("runs the kit in child processes")
	}
	t.Parallel()
	for bug, want := range map[string]string{
		"":                      "", // the same store without a bug passes
		"stalls-once":           "", // a sound store on a machine that stalls once passes too
		"no-in-flight":          "want in flight",
		"claims-never-expire":   "lease_expiry_frees_the_key",
		"release-ignores-token": "an_expired_holder_cannot_release_the_new_claim",
		"release-forgets-done":  "release_after_complete_does_nothing",
		"constant-token":        "reused the released token",
		"truncates-keys":        "keys_are_opaque",
	} {
		t.Run("bug="+bug, func(t *testing.T) {
			t.Parallel()
			env := "STORETEST_BUG=" + bug
			if bug == "" {
				env = "STORETEST_BUG=none"
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestKitCatchesBrokenStores$", "-test.v")
			cmd.Env = append(os.Environ(), env)
			out, err := cmd.CombinedOutput()
			if want == "" {
				if err != nil {
					t.Fatalf("the kit failed a correct store:\n%s", out)
				}
				return
			}
			if err == nil {
				t.Fatalf("the kit passed a store with bug %q:\n%s", bug, out)
			}
			if !strings.Contains(string(out), want) {
				t.Fatalf("the kit failed, but not on %q:\n%s", want, out)
			}
		})
	}
}

// sloppyRunner runs fn for every delivery: it records nothing.
type sloppyRunner struct{}

func (sloppyRunner) RunOnce(ctx context.Context, _ string, fn func(context.Context) error) (bool, error) {
	if err := fn(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// TestRunnerKitCatchesASloppyRunner: a Runner that never records a key as
// done fails the kit (in a child process).
func TestRunnerKitCatchesASloppyRunner(t *testing.T) {
	if os.Getenv("STORETEST_RUNNER_BUG") == "1" {
		storetest.TestRunner(t, func(*testing.T) store.Runner { return sloppyRunner{} })
		return
	}
	if testing.Short() {
		t.Skip("runs the kit in a child process")
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunnerKitCatchesASloppyRunner$", "-test.v")
	cmd.Env = append(os.Environ(), "STORETEST_RUNNER_BUG=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "runs_once,_then_done") {
		t.Fatalf("the kit passed a runner that records nothing (err %v):\n%s", err, out)
	}
}
