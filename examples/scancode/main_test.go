package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// TestRunAgainstFake runs the program as a user would without variables:
// every step passes and every payload prints the same masked way.
func TestRunAgainstFake(t *testing.T) {
	t.Setenv("SCANCODE_ADDR", "")
	t.Setenv("SCANCODE_SM2_PRIVATE_KEY", "")
	t.Setenv("SCANCODE_SM4_KEY", "")
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{"received Callback{type=01", "received Callback{type=02", "received Callback{type=13", "received Callback{type=14", "has 4 callbacks stored"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, leak := range []string{"小五", "13900139000", "110101199003074477", "token-not-for-logs", "MEUCIQ-sig"} {
		if strings.Contains(s, leak) {
			t.Errorf("output shows %q:\n%s", leak, s)
		}
	}
}

// TestRunKeysFromFiles: both key variables accept @path.
func TestRunKeysFromFiles(t *testing.T) {
	dir := t.TempDir()
	sm2 := filepath.Join(dir, "sm2.pem")
	sm4 := filepath.Join(dir, "sm4.key")
	if err := os.WriteFile(sm2, scancodetest.SM2PrivateKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sm4, []byte("3156adc9d60b398e16ec24774c6f2c5b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SCANCODE_ADDR", "")
	t.Setenv("SCANCODE_SM2_PRIVATE_KEY", "@"+sm2)
	t.Setenv("SCANCODE_SM4_KEY", "@"+sm4)
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "test key") {
		t.Errorf("the configured key was not used:\n%s", out.String())
	}
}

func TestRunRejectsBadKey(t *testing.T) {
	for name, env := range map[string][2]string{
		"bad SM2 key":      {"not a key!", ""},
		"missing key file": {"@" + filepath.Join(t.TempDir(), "none.pem"), ""},
		"bad SM4 key":      {"", "short"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("SCANCODE_ADDR", "")
			t.Setenv("SCANCODE_SM2_PRIVATE_KEY", env[0])
			t.Setenv("SCANCODE_SM4_KEY", env[1])
			if err := run(context.Background(), &bytes.Buffer{}); err == nil {
				t.Fatal("run = nil error")
			}
		})
	}
}
