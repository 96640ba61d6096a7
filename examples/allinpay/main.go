// Command allinpay runs the Allinpay OATS flow: an ALIPAY_SCANCODE order
// and its QR content, the customer's payment (simulated on the fake), the
// notification, a query, a partial refund, and a bill summary. It uses
// only the SDK's public packages and the standard library: copy it.
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
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "allinpay example failed:", err)
		os.Exit(1)
	}
}

// keySource reads a key variable: PEM or base64 text, or @path to a file.
func keySource(env string) ([]byte, error) {
	s := os.Getenv(env)
	if path, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", env, err)
		}
		return b, nil
	}
	return []byte(s), nil
}

type config struct {
	baseURL, accessCode, mchNo string
	privateKey, platformKey    []byte
	notifyAddr                 string
	notifyWait                 time.Duration
}

func run(ctx context.Context) error {
	cfg := config{baseURL: os.Getenv("ALLINPAY_BASE_URL"), accessCode: os.Getenv("ALLINPAY_ACCESS_CODE"),
		mchNo: os.Getenv("ALLINPAY_MCH_NO"), notifyAddr: os.Getenv("ALLINPAY_NOTIFY_ADDR"), notifyWait: 10 * time.Second}
	if cfg.baseURL != "" {
		var err error
		if cfg.privateKey, err = keySource("ALLINPAY_PRIVATE_KEY"); err != nil {
			return err
		}
		if cfg.platformKey, err = keySource("ALLINPAY_PLATFORM_PUBLIC_KEY"); err != nil {
			return err
		}
		if cfg.accessCode == "" || cfg.mchNo == "" || len(cfg.privateKey) == 0 || len(cfg.platformKey) == 0 {
			return errors.New("ALLINPAY_BASE_URL is set: ALLINPAY_ACCESS_CODE, ALLINPAY_MCH_NO, ALLINPAY_PRIVATE_KEY and ALLINPAY_PLATFORM_PUBLIC_KEY are required")
		}
	}
	fmt.Println("allinpay: OATS QR payment flow")
	return flow(ctx, os.Stdout, cfg)
}

func step(w io.Writer, name string, fn func() error) error {
	if err := fn(); err != nil {
		fmt.Fprintf(w, "  FAIL %s: %v\n", name, err)
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "  ok   %s\n", name)
	return nil
}

func flow(ctx context.Context, w io.Writer, cfg config) error {
	addr := cfg.notifyAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on ALLINPAY_NOTIFY_ADDR %s: %w", addr, err)
	}
	notifyURL := "http://" + ln.Addr().String() + "/allinpay/notify"

	var fake *allinpaytest.Server
	var fakeDay atomic.Int64 // the fake's payments happen yesterday, so that their bill exists today
	fakeDay.Store(-1)
	if cfg.baseURL == "" {
		if fake, err = allinpaytest.NewServer(allinpaytest.WithClock(func() time.Time { return time.Now().AddDate(0, 0, int(fakeDay.Load())) })); err != nil {
			return err
		}
		defer fake.Close()
		cfg.baseURL, cfg.accessCode, cfg.mchNo, cfg.privateKey, cfg.platformKey = fake.URL, fake.AccessCode, fake.MchNo, fake.MerchantPrivateKey, fake.PlatformPublicKey
		fmt.Fprintln(w, "  gateway: in-process fake (set ALLINPAY_BASE_URL and the keys for the test environment)")
	} else {
		fmt.Fprintf(w, "  gateway: %s, notifications to %s\n", cfg.baseURL, notifyURL)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil)) // the SDK's logs: point it at your own handler
	c, err := allinpay.NewClient(
		allinpay.WithMerchant(cfg.accessCode, cfg.mchNo),
		allinpay.WithKeys(cfg.privateKey, cfg.platformKey),
		allinpay.WithBaseURL(cfg.baseURL),
		allinpay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		allinpay.WithLogger(logger),
	)
	if err != nil {
		return err
	}

	// The receiver needs no private key: a verifier of the platform key(s)
	// and this merchant.
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(cfg.accessCode, cfg.mchNo),
		allinpay.WithPlatformPublicKeys(cfg.platformKey), allinpay.WithLogger(logger))
	if err != nil {
		return err
	}
	dedup, err := store.NewMemoryDedup() // a shared store (Redis, SQL) in production
	if err != nil {
		return err
	}
	paid := make(chan *allinpay.Notification, 4)
	h, err := allinpay.NewNotificationHandler(v, func(_ context.Context, n *allinpay.Notification) error {
		fmt.Fprintf(w, "  %s notification for %s verified: resultCode %s, %s %s\n", n.Kind, n.OutTransNo, n.ResultCode, n.TransAmount, n.Currency)
		if n.Succeeded() {
			select {
			case paid <- n:
			default:
			}
		}
		return nil
	}, allinpay.WithDedupStore(dedup))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	order := fmt.Sprintf("EX%d", time.Now().UnixNano()%1e12)
	notified := false
	steps := []struct {
		name string
		fn   func() error
	}{
		{"create ALIPAY_SCANCODE order", func() error {
			r, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: order, TransAmount: 1050,
				Currency: allinpay.CurrencyHKD, NotifyURL: notifyURL, GoodsSubject: "SDK example"})
			if errors.Is(err, allinpay.ErrOutcomeUnknown) {
				// Never pay again blindly: ask the platform what happened.
				q, qerr := c.Reconcile(ctx, err)
				if qerr != nil {
					return fmt.Errorf("%w (reconciling: %w)", err, qerr)
				}
				fmt.Fprintf(w, "  order %s after an unknown outcome: %s\n", order, q.ResultCode)
				return nil
			}
			if err == nil {
				fmt.Fprintf(w, "  order %s: %s, QR content %s\n", order, r.ResultCode, r.CodeURL)
			}
			return err
		}},
		{"customer pays", func() error {
			if fake == nil {
				fmt.Fprintln(w, "  skipped: a real customer has to scan the QR code")
				return nil
			}
			err := fake.SimulatePay(order)
			fakeDay.Store(0) // the next day begins on the fake
			return err
		}},
		{"receive the notification", func() error {
			select {
			case <-paid:
				notified = true
				return nil
			case <-time.After(cfg.notifyWait):
				if fake == nil {
					fmt.Fprintf(w, "  skipped: no notification within %s\n", cfg.notifyWait)
					return nil
				}
				return errors.New("no notification arrived")
			}
		}},
		{"query the order", func() error {
			q, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: order})
			if err == nil {
				fmt.Fprintf(w, "  order %s: resultCode %s, amount %s %s, transNo %s\n", order, q.ResultCode, q.TransAmount, q.Currency, q.TransNo)
			}
			return err
		}},
		{"refund part", func() error {
			if !notified {
				fmt.Fprintln(w, "  skipped: the order is not paid")
				return nil
			}
			r, err := c.Refund(ctx, &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, OutTransNo: order + "R", OriOutTransNo: order,
				TransAmount: 50, Currency: allinpay.CurrencyHKD, NotifyURL: notifyURL, RefundReason: "example"})
			if err == nil {
				fmt.Fprintf(w, "  refunded %s: %s\n", r.TransAmount, r.ResultCode)
			}
			return err
		}},
		{"summarise a bill", func() error {
			b, err := c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: time.Now().AddDate(0, 0, -1)})
			if err != nil {
				return err
			}
			defer b.Close() // removes the downloaded file
			br := b.Reader()
			rows := 0
			for {
				if _, err := br.Next(); err != nil {
					if errors.Is(err, io.EOF) {
						break
					}
					return err
				}
				rows++
			}
			s := br.Summary()
			fmt.Fprintf(w, "  bill %s: %d transactions, paid %s, fees %s, settled %s (%s)\n", s.TransDate, rows, s.PayAmount, s.Fee, s.SettleAmount, s.SettleCurrency)
			return nil
		}},
	}
	for _, s := range steps {
		if err := step(w, s.name, s.fn); err != nil {
			return err
		}
	}
	return nil
}
