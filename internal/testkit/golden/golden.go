// Package golden keeps the request/answer fixtures of the client tests in
// testdata: Check compares what a test produced with its file, and
// rewrites the file instead when the test runs with -update (or
// UPDATE_GOLDEN=1).
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", os.Getenv("UPDATE_GOLDEN") == "1", "rewrite testdata golden files")

// Update reports whether golden files are being rewritten: a test then
// builds its fixtures instead of reading them.
func Update() bool { return *update }

// Check compares got with testdata/<name> (name is slash-separated), or
// writes it there with -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", p, diff)
	}
}
