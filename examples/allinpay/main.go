// Command allinpay runs the Allinpay OATS flow: an ALIPAY_SCANCODE order
// and its QR content, the customer's payment (simulated on the fake), the
// notification, a query, a partial refund, and a bill summary.
//
// Environment (without ALLINPAY_BASE_URL the in-process fake is used):
//
//	ALLINPAY_BASE_URL             e.g. https://test.allinpayhk.com (then all below are required)
//	ALLINPAY_ACCESS_CODE          the access code
//	ALLINPAY_MCH_NO               the merchant number
//	ALLINPAY_PRIVATE_KEY          the merchant's RSA private key: PEM, base64, or @path
//	ALLINPAY_PLATFORM_PUBLIC_KEY  the platform's RSA public key: PEM, base64, or @path
//	ALLINPAY_NOTIFY_ADDR          host:port for notifications (default: ephemeral)
//
// It exits non-zero naming the step that failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
	"github.com/bizapi-cn/go-sdk/internal/keys"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "allinpay example failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg := flow.AllinpayConfig{BaseURL: os.Getenv("ALLINPAY_BASE_URL"), AccessCode: os.Getenv("ALLINPAY_ACCESS_CODE"),
		MchNo: os.Getenv("ALLINPAY_MCH_NO"), NotifyAddr: os.Getenv("ALLINPAY_NOTIFY_ADDR")}
	if cfg.BaseURL != "" {
		var err error
		if cfg.PrivateKey, err = keys.Source(os.Getenv("ALLINPAY_PRIVATE_KEY")); err != nil {
			return fmt.Errorf("ALLINPAY_PRIVATE_KEY: %w", err)
		}
		if cfg.PlatformPublicKey, err = keys.Source(os.Getenv("ALLINPAY_PLATFORM_PUBLIC_KEY")); err != nil {
			return fmt.Errorf("ALLINPAY_PLATFORM_PUBLIC_KEY: %w", err)
		}
		if cfg.AccessCode == "" || cfg.MchNo == "" || len(cfg.PrivateKey) == 0 || len(cfg.PlatformPublicKey) == 0 {
			return errors.New("ALLINPAY_BASE_URL is set: ALLINPAY_ACCESS_CODE, ALLINPAY_MCH_NO, ALLINPAY_PRIVATE_KEY and ALLINPAY_PLATFORM_PUBLIC_KEY are required")
		}
	}
	fmt.Println("allinpay: OATS QR payment flow")
	return flow.Allinpay(ctx, os.Stdout, cfg)
}
