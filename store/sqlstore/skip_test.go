package sqlstore_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAbsentServerSkipsOrFailsUnderCI runs a PostgreSQL leg against a
// port nobody listens on, in a child process: it skips with a message
// naming the variable to set, and under CI=true it fails instead.
func TestAbsentServerSkipsOrFailsUnderCI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConformance$/^postgres$", "-test.v")
		cmd.Env = append(os.Environ(), "BIZAPI_TEST_POSTGRES_URL=postgres://nobody@127.0.0.1:1/test?sslmode=disable&connect_timeout=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci == "" && (err != nil || !strings.Contains(string(out), "SKIP") || !strings.Contains(string(out), "BIZAPI_TEST_POSTGRES_URL")):
			t.Errorf("without CI, an absent server = %v; want a skip naming BIZAPI_TEST_POSTGRES_URL:\n%s", err, out)
		case ci == "true" && (err == nil || !strings.Contains(string(out), "under CI=true")):
			t.Errorf("under CI=true, an absent server = %v; want a failure:\n%s", err, out)
		}
	}
}
