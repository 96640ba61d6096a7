// Command receiver is the consumer check's callback-only service: a host
// that receives the four providers' notifications and makes no API call.
// It imports levy/notify, allinpay/notify, evidence/notify and scancode
// only, so its binary links no HTTP client library (the consumer check
// runs `go list -deps` on it from outside the SDK's module path).
//
// Each provider is served when its environment is set:
//
//	LEVY_CLIENT_KEY, LEVY_SECRET                        /levy/notify
//	ALLINPAY_ACCESS_CODE, ALLINPAY_MCH_NO,
//	ALLINPAY_PLATFORM_PUBLIC_KEY (a PEM file)           /allinpay/notify
//	EVIDENCE_APP_ID, EVIDENCE_APP_KEY,
//	EVIDENCE_NOTIFY_PUBLIC_KEY (a PEM file)             /evidence/notify
//	SCANCODE_SM2_PRIVATE_KEY (a PEM file)               /scancode/callback
//	LISTEN (default 127.0.0.1:8080)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	allinpay "github.com/bizapi-cn/go-sdk/allinpay/notify"
	evidence "github.com/bizapi-cn/go-sdk/evidence/notify"
	levy "github.com/bizapi-cn/go-sdk/levy/notify"
	"github.com/bizapi-cn/go-sdk/scancode"
)

func main() {
	mux, n, err := handlers(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "receiver: no provider configured (see the package doc for the environment)")
		os.Exit(2)
	}
	addr := os.Getenv("LISTEN")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	slog.Info("receiver: listening", "addr", addr, "providers", n)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
}

// handlers builds a handler for every provider whose environment is set.
func handlers(env func(string) string) (*http.ServeMux, int, error) {
	mux := http.NewServeMux()
	n := 0
	file := func(name string) ([]byte, error) { return os.ReadFile(env(name)) }
	if k := env("LEVY_CLIENT_KEY"); k != "" {
		v, err := levy.NewVerifier(levy.WithCredentials(k, env("LEVY_SECRET")))
		if err != nil {
			return nil, 0, err
		}
		h, err := levy.NewHandler(v, func(ctx context.Context, n *levy.Notification) error {
			slog.InfoContext(ctx, "levy notification", "notification", n)
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		mux.Handle("/levy/notify", h)
		n++
	}
	if mch := env("ALLINPAY_MCH_NO"); mch != "" {
		pub, err := file("ALLINPAY_PLATFORM_PUBLIC_KEY")
		if err != nil {
			return nil, 0, err
		}
		v, err := allinpay.NewVerifier(allinpay.WithMerchant(env("ALLINPAY_ACCESS_CODE"), mch), allinpay.WithPlatformPublicKeys(pub))
		if err != nil {
			return nil, 0, err
		}
		h, err := allinpay.NewHandler(v, func(ctx context.Context, n *allinpay.Notification) error {
			slog.InfoContext(ctx, "allinpay notification", "notification", n)
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		mux.Handle("/allinpay/notify", h)
		n++
	}
	if id := env("EVIDENCE_APP_ID"); id != "" {
		pub, err := file("EVIDENCE_NOTIFY_PUBLIC_KEY")
		if err != nil {
			return nil, 0, err
		}
		v, err := evidence.NewVerifier(evidence.WithApp(id, env("EVIDENCE_APP_KEY")), evidence.WithNotifyPublicKey(pub))
		if err != nil {
			return nil, 0, err
		}
		h, err := evidence.NewHandler(v, func(ctx context.Context, n *evidence.Notification) error {
			slog.InfoContext(ctx, "evidence notification", "func", n.Func)
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		mux.Handle("/evidence/notify", h)
		n++
	}
	if env("SCANCODE_SM2_PRIVATE_KEY") != "" {
		key, err := file("SCANCODE_SM2_PRIVATE_KEY")
		if err != nil {
			return nil, 0, err
		}
		dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: key})
		if err != nil {
			return nil, 0, err
		}
		h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
			slog.InfoContext(ctx, "scancode callback", "callback", c)
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		mux.Handle("/scancode/callback", h)
		n++
	}
	return mux, n, nil
}
