package main

import (
	"context"
	"os"
	"testing"
)

func TestRunAgainstFake(t *testing.T) {
	for _, k := range []string{"LEVY_BASE_URL", "LEVY_CLIENT_KEY", "LEVY_SECRET", "LEVY_NOTIFY_ADDR"} {
		t.Setenv(k, "")
	}
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRunNeedsCredentials(t *testing.T) {
	t.Setenv("LEVY_BASE_URL", "https://whtax-qa-api.lanmaoly.com")
	t.Setenv("LEVY_CLIENT_KEY", "")
	t.Setenv("LEVY_SECRET", "")
	if err := run(context.Background()); err == nil {
		t.Fatal("run without credentials = nil error")
	}
}

func TestSecretFromFile(t *testing.T) {
	p := t.TempDir() + "/secret"
	if err := os.WriteFile(p, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"plain": "plain", "@" + p: "s3cret"} {
		if got, err := secretFrom(in); err != nil || got != want {
			t.Errorf("secretFrom(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := secretFrom("@" + p + ".missing"); err == nil {
		t.Error("missing file: nil error")
	}
}
