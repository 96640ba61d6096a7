package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestTourPasses(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), &out); code != 0 {
		t.Fatalf("run() = %d; want 0\n%s", code, out.String())
	}
	for _, m := range []string{"levy", "allinpay", "evidence", "scancode"} {
		if !strings.Contains(out.String(), "== "+m) {
			t.Errorf("transcript lacks the %s leg:\n%s", m, out.String())
		}
	}
}
