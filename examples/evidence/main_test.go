package main

import (
	"context"
	"testing"
)

func TestRunAgainstFake(t *testing.T) {
	for _, k := range []string{"EVIDENCE_BASE_URL", "EVIDENCE_APP_ID", "EVIDENCE_APP_KEY", "EVIDENCE_PRIVATE_KEY", "EVIDENCE_NOTIFY_PUBLIC_KEY", "EVIDENCE_NOTIFY_ADDR"} {
		t.Setenv(k, "")
	}
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
