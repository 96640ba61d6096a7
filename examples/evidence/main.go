// Command evidence runs the DECS data-acquisition flow: start a session
// for the tax site and print its entry URL, let the session finish
// (simulated on the fake), receive the signed notification, download the
// files with SSE-C and list them.
//
// Environment (without EVIDENCE_BASE_URL the in-process fake is used):
//
//	EVIDENCE_BASE_URL           the operator's API host (then all below are required)
//	EVIDENCE_APP_ID             the 8-character appId
//	EVIDENCE_APP_KEY            the appKey (text, or @path)
//	EVIDENCE_PRIVATE_KEY        the integrator's RSA private key: PEM, base64, or @path
//	EVIDENCE_NOTIFY_PUBLIC_KEY  the operator's notification public key: PEM, base64, or @path
//	EVIDENCE_NOTIFY_ADDR        host:port for notifications (default: ephemeral)
//
// It exits non-zero naming the step that failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
	"github.com/bizapi-cn/go-sdk/internal/keys"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "evidence example failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg := flow.EvidenceConfig{BaseURL: os.Getenv("EVIDENCE_BASE_URL"), AppID: os.Getenv("EVIDENCE_APP_ID"), NotifyAddr: os.Getenv("EVIDENCE_NOTIFY_ADDR")}
	if cfg.BaseURL != "" {
		appKey, err := keys.Source(os.Getenv("EVIDENCE_APP_KEY"))
		if err != nil {
			return fmt.Errorf("EVIDENCE_APP_KEY: %w", err)
		}
		cfg.AppKey = strings.TrimSpace(string(appKey))
		if cfg.PrivateKey, err = keys.Source(os.Getenv("EVIDENCE_PRIVATE_KEY")); err != nil {
			return fmt.Errorf("EVIDENCE_PRIVATE_KEY: %w", err)
		}
		if cfg.NotifyPublicKey, err = keys.Source(os.Getenv("EVIDENCE_NOTIFY_PUBLIC_KEY")); err != nil {
			return fmt.Errorf("EVIDENCE_NOTIFY_PUBLIC_KEY: %w", err)
		}
		if cfg.AppID == "" || cfg.AppKey == "" || len(cfg.PrivateKey) == 0 || len(cfg.NotifyPublicKey) == 0 {
			return errors.New("EVIDENCE_BASE_URL is set: EVIDENCE_APP_ID, EVIDENCE_APP_KEY, EVIDENCE_PRIVATE_KEY and EVIDENCE_NOTIFY_PUBLIC_KEY are required")
		}
	}
	fmt.Println("evidence: DECS data-acquisition flow")
	return flow.Evidence(ctx, os.Stdout, cfg)
}
