package main

import (
	"context"
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
