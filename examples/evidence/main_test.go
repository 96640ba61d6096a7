package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunAgainstFake(t *testing.T) {
	for _, k := range []string{"EVIDENCE_BASE_URL", "EVIDENCE_APP_ID", "EVIDENCE_APP_KEY", "EVIDENCE_PRIVATE_KEY", "EVIDENCE_NOTIFY_PUBLIC_KEY", "EVIDENCE_NOTIFY_ADDR"} {
		t.Setenv(k, "")
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"notification daUserAuthorized", "chrome-govhk-tax_0.pdf", "parsed "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
