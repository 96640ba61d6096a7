package main

import (
	"context"
	"testing"
)

// TestRunAgainstFake runs the program as a user would without variables.
func TestRunAgainstFake(t *testing.T) {
	t.Setenv("SCANCODE_ADDR", "")
	t.Setenv("SCANCODE_SM2_PRIVATE_KEY", "")
	t.Setenv("SCANCODE_SM4_KEY", "")
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRunRejectsBadKey(t *testing.T) {
	t.Setenv("SCANCODE_ADDR", "")
	t.Setenv("SCANCODE_SM2_PRIVATE_KEY", "not a key!")
	t.Setenv("SCANCODE_SM4_KEY", "")
	if err := run(context.Background()); err == nil {
		t.Fatal("run with a bad key = nil error")
	}
}
