// Command levy runs the Olading levy flow: sign up a taxpayer, create an
// order, wait for its notice, query, confirm, query again, upload an
// agreement PDF.
//
// Environment (without LEVY_BASE_URL the in-process fake is used):
//
//	LEVY_BASE_URL     e.g. https://whtax-qa-api.lanmaoly.com (then the next two are required)
//	LEVY_CLIENT_KEY   the client key the provider issued
//	LEVY_SECRET       the HMAC secret (text, or @path)
//	LEVY_NOTIFY_ADDR  host:port to receive notices on (default: an ephemeral port)
//
// It exits non-zero naming the step that failed, including a response
// whose signature does not verify.
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
		fmt.Fprintln(os.Stderr, "levy example failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg := flow.LevyConfig{BaseURL: os.Getenv("LEVY_BASE_URL"), ClientKey: os.Getenv("LEVY_CLIENT_KEY"), NotifyAddr: os.Getenv("LEVY_NOTIFY_ADDR")}
	if cfg.BaseURL != "" {
		secret, err := keys.Source(os.Getenv("LEVY_SECRET"))
		if err != nil {
			return fmt.Errorf("LEVY_SECRET: %w", err)
		}
		cfg.Secret = strings.TrimSpace(string(secret))
		if cfg.ClientKey == "" || cfg.Secret == "" {
			return errors.New("LEVY_BASE_URL is set: LEVY_CLIENT_KEY and LEVY_SECRET are required")
		}
	}
	fmt.Println("levy: Olading tax-levy flow")
	return flow.Levy(ctx, os.Stdout, cfg)
}
