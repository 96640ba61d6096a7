package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Helper()               {}

// TestCheck: the same bytes pass, other bytes and a missing file fail.
func TestCheck(t *testing.T) {
	if Update() {
		t.Skip("rewriting golden files")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll(filepath.Join("testdata", "op"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "op", "ok.json"), []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, got string
		fail      bool
	}{{"op/ok.json", `{"a":1}`, false}, {"op/ok.json", `{"a":2}`, true}, {"op/missing.json", `{}`, true}} {
		r := &recorder{TB: t}
		Check(r, c.name, []byte(c.got))
		if r.failed != c.fail {
			t.Errorf("Check(%s, %s) failed = %v; want %v", c.name, c.got, r.failed, c.fail)
		}
	}
}
