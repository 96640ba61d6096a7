// Command scancode runs a scan-callback receiver and drives the fake app
// server through a login scan (01, 02) and a signing (13, 14) against it.
//
// Environment (all optional; without them the test key and an ephemeral
// port are used):
//
//	SCANCODE_ADDR             host:port to listen on (then it also waits 2 minutes for real callbacks)
//	SCANCODE_SM2_PRIVATE_KEY  the platform's SM2 private key: PEM, base64, hex, or @path
//	SCANCODE_SM4_KEY          a pre-shared SM4 key: hex, base64, or @path
//
// It exits non-zero naming the step that failed.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/scancode"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "scancode example failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg := flow.ScancodeConfig{Addr: os.Getenv("SCANCODE_ADDR")}
	if cfg.Addr != "" {
		cfg.WaitExternal = 2 * time.Minute
	}
	if v := os.Getenv("SCANCODE_SM2_PRIVATE_KEY"); v != "" {
		b, err := keys.Source(v)
		if err != nil {
			return fmt.Errorf("SCANCODE_SM2_PRIVATE_KEY: %w", err)
		}
		cfg.SM2PrivateKey = b
	}
	if v := os.Getenv("SCANCODE_SM4_KEY"); v != "" {
		b, err := keys.Source(v)
		if err != nil {
			return fmt.Errorf("SCANCODE_SM4_KEY: %w", err)
		}
		if cfg.SM4Key, err = scancode.ParseSM4Key(string(b)); err != nil {
			return fmt.Errorf("SCANCODE_SM4_KEY: %w", err)
		}
	}
	fmt.Println("scancode: receiver + fake app server")
	return flow.Scancode(ctx, os.Stdout, cfg)
}
