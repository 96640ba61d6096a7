// Command levy runs the Olading levy flow: sign up a taxpayer, create an
// order, wait for its notification, query, confirm, query again, upload an
// agreement PDF. It uses only the SDK's public packages (levy, levytest)
// and the standard library, so it can be copied into a host application.
//
// Environment (without LEVY_BASE_URL the in-process fake is used):
//
//	LEVY_BASE_URL     e.g. https://whtax-qa-api.lanmaoly.com (then the next two are required)
//	LEVY_CLIENT_KEY   the client key the provider issued
//	LEVY_SECRET       the HMAC secret (text, or @path of a file holding it)
//	LEVY_NOTIFY_ADDR  host:port to receive notifications on (default: an ephemeral port)
//
// It exits non-zero naming the step that failed, including a response
// whose signature does not verify.
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
	"path/filepath"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "levy example failed:", err)
		os.Exit(1)
	}
}

// secretFrom reads a secret given as its text or as @path.
func secretFrom(v string) (string, error) {
	if path, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		v = string(b)
	}
	return strings.TrimSpace(v), nil
}

func run(ctx context.Context) error {
	baseURL, clientKey, addr := os.Getenv("LEVY_BASE_URL"), os.Getenv("LEVY_CLIENT_KEY"), os.Getenv("LEVY_NOTIFY_ADDR")
	var secret string
	if baseURL != "" {
		var err error
		if secret, err = secretFrom(os.Getenv("LEVY_SECRET")); err != nil {
			return fmt.Errorf("LEVY_SECRET: %w", err)
		}
		if clientKey == "" || secret == "" {
			return errors.New("LEVY_BASE_URL is set: LEVY_CLIENT_KEY and LEVY_SECRET are required")
		}
	}
	fmt.Println("levy: Olading tax-levy flow")
	return flow(ctx, os.Stdout, baseURL, clientKey, secret, addr)
}

// flow runs the steps against baseURL, or the fake when it is empty.
func flow(ctx context.Context, w io.Writer, baseURL, clientKey, secret, addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on LEVY_NOTIFY_ADDR %s: %w", addr, err)
	}
	notifyURL := "http://" + ln.Addr().String() + "/levy/notify"

	var fake *levytest.Server
	if baseURL == "" {
		fake, err = levytest.NewServer(levytest.WithNotifyURL(notifyURL))
		if err != nil {
			return err
		}
		defer fake.Close()
		baseURL, clientKey, secret = fake.URL, fake.ClientKey, fake.Secret
		fmt.Fprintln(w, "  provider: in-process fake (set LEVY_BASE_URL, LEVY_CLIENT_KEY, LEVY_SECRET for the test environment)")
	} else {
		fmt.Fprintf(w, "  provider: %s (notifications must be registered to reach %s)\n", baseURL, notifyURL)
	}

	// The client; the logger never sees secrets or personal data.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := levy.NewClient(levy.WithCredentials(clientKey, secret), levy.WithBaseURL(baseURL), levy.WithLogger(logger))
	if err != nil {
		return err
	}

	// The notification receiver: verified, deduplicated in memory,
	// SUCCESS only after the function returned nil.
	orderNotices := make(chan *levy.OrderNotification, 4)
	h, err := levy.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *levy.Notification) error {
		fmt.Fprintf(w, "  notification %s received and verified\n", n.Operation)
		if o, ok := n.Data.(*levy.OrderNotification); ok {
			select {
			case orderNotices <- o:
			default:
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/levy/notify", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, WriteTimeout: 15 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	idCard, name, phone, card := "110101199003074477", "李四", "13800138000", "6222020200112233445"
	requestID := c.NewRequestID()
	var remitID string
	steps := []struct {
		name string
		fn   func() error
	}{
		{"sign up taxpayer", func() error {
			r, err := c.SignUp(ctx, &levy.SignUpRequest{IDCard: idCard, Name: name, Cellphone: phone, BankcardNo: card})
			if err == nil {
				fmt.Fprintf(w, "  taxpayer %v\n", r) // masks the ID card itself
			}
			return err
		}},
		{"create order", func() error {
			profit := levy.Yuan(1000)
			order := &levy.CreateOrderRequest{RequestID: requestID, IDCard: idCard, Name: name, TaxAgentParentID: "12",
				CreditCode: "91110000MA01ABCD1X", Cellphone: phone, BankcardNo: card, Profit: &profit, TaxMode: levy.TaxModeGeneral}
			r, err := c.CreateOrder(ctx, order)
			if errors.Is(err, levy.ErrOutcomeUnknown) {
				// Never send it again blindly: ask the provider.
				q, qerr := c.ReconcileOrder(ctx, err)
				switch {
				case errors.Is(qerr, levy.ErrOrderNotFound):
					// It never arrived: the same request, under the same
					// request_id, is safe to send again.
					fmt.Fprintf(w, "  order %s unknown to the provider after an unknown outcome: sending it again\n", requestID)
					r, err = c.CreateOrder(ctx, order)
				case qerr != nil:
					return fmt.Errorf("%w; reconciling: %w", err, qerr) // still unknown: reconcile later
				default:
					fmt.Fprintf(w, "  order %s found after an unknown outcome: %s\n", q.RequestID, q.Status)
					return nil
				}
			}
			if err == nil {
				fmt.Fprintf(w, "  order %s accepted at %s, confirm by %s\n", r.RequestID, r.AcceptTime.Format(time.RFC3339), r.ConfirmDeadline().Format(time.RFC3339))
			}
			return err
		}},
		{"wait for the order notification", func() error {
			select {
			case o := <-orderNotices:
				fmt.Fprintf(w, "  order notification: %s, %d remit order(s)\n", o.Status, len(o.RemitOrderList))
				return nil
			case <-time.After(10 * time.Second):
				if fake == nil {
					fmt.Fprintln(w, "  skipped: no notification within 10s (is the notification URL registered?)")
					return nil
				}
				return errors.New("no notification arrived")
			case <-ctx.Done():
				return ctx.Err()
			}
		}},
		{"query order", func() error {
			q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: requestID})
			if err != nil {
				return err
			}
			for _, r := range q.RemitOrderList {
				fmt.Fprintf(w, "  remit %s: amount %s fee %s total %s %s\n", r.OrderID, r.Amount, r.Fee, r.ActualAmount, r.RemitStatus)
				remitID = r.OrderID
			}
			if remitID == "" {
				fmt.Fprintf(w, "  order %s, no remit order yet\n", q.Status)
			}
			return nil
		}},
		{"confirm order", func() error {
			if remitID == "" {
				fmt.Fprintln(w, "  skipped: no remit order to confirm yet")
				return nil
			}
			_, err := c.ConfirmOrder(ctx, &levy.ConfirmOrderRequest{OrderID: remitID, ArisingTime: levy.Time{Time: time.Now()}, NextStep: levy.NextStepContinue})
			return err
		}},
		{"query order again", func() error {
			q, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: requestID})
			if err == nil && len(q.RemitOrderList) > 0 {
				fmt.Fprintf(w, "  remit status now %s\n", q.RemitOrderList[0].RemitStatus)
			}
			return err
		}},
		{"upload agreement PDF", func() error {
			dir, err := os.MkdirTemp("", "levy-example")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			pdf := filepath.Join(dir, "agreement.pdf")
			if err := os.WriteFile(pdf, []byte("%PDF-1.4\n% example agreement\n%%EOF\n"), 0o600); err != nil {
				return err
			}
			f, err := levy.FileFromPath(pdf)
			if err != nil {
				return err
			}
			r, err := c.UploadTaxpayerAgreement(ctx, &levy.UploadTaxpayerAgreementRequest{RequestID: c.NewRequestID(), IDCard: idCard, Name: name,
				Cellphone: phone, TaxAgentParentID: "12", ContractID: "K-" + requestID[14:], ContractType: levy.ContractTypeEmpower, File: f})
			if err == nil {
				fmt.Fprintf(w, "  agreement %s: %s\n", r.ContractID, r.Status)
			}
			return err
		}},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			fmt.Fprintf(w, "  FAIL %s: %v\n", s.name, err)
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(w, "  ok   %s\n", s.name)
	}
	if fake != nil {
		fake.WaitNotifications()
	}
	return nil
}
