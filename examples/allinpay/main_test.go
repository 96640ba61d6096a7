package main

import (
	"context"
	"testing"
)

func TestRunAgainstFake(t *testing.T) {
	for _, k := range []string{"ALLINPAY_BASE_URL", "ALLINPAY_ACCESS_CODE", "ALLINPAY_MCH_NO", "ALLINPAY_PRIVATE_KEY", "ALLINPAY_PLATFORM_PUBLIC_KEY", "ALLINPAY_NOTIFY_ADDR"} {
		t.Setenv(k, "")
	}
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestRunNeedsKeys(t *testing.T) {
	t.Setenv("ALLINPAY_BASE_URL", "https://test.allinpayhk.com")
	t.Setenv("ALLINPAY_PRIVATE_KEY", "")
	if err := run(context.Background()); err == nil {
		t.Fatal("run without keys = nil error")
	}
}
