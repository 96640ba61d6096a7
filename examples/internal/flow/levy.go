package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// LevyConfig is the levy example's configuration (LEVY_*).
type LevyConfig struct {
	BaseURL, ClientKey, Secret string // empty BaseURL: the in-process fake
	NotifyAddr                 string // where notices are received; "" = ephemeral
	NoticeWait                 time.Duration
	Logger                     *slog.Logger // the SDK's logs (nil: none)
}

// Levy signs up a taxpayer, creates an order, waits for its notice,
// queries, confirms, queries again and uploads an agreement PDF.
func Levy(ctx context.Context, w io.Writer, cfg LevyConfig) error {
	w = locked(w)
	if cfg.NoticeWait == 0 {
		cfg.NoticeWait = 10 * time.Second
	}
	ln, notifyURL, err := listen("LEVY_NOTIFY_ADDR", cfg.NotifyAddr, "/levy/notice")
	if err != nil {
		return err
	}

	var fake *levytest.Server
	if cfg.BaseURL == "" {
		fake, err = levytest.NewServer(levytest.WithNotifyURL(notifyURL))
		if err != nil {
			return err
		}
		defer fake.Close()
		cfg.BaseURL, cfg.ClientKey, cfg.Secret = fake.URL, fake.ClientKey, fake.Secret
		fmt.Fprintln(w, "  provider: in-process fake (set LEVY_BASE_URL, LEVY_CLIENT_KEY, LEVY_SECRET for the test environment)")
	} else {
		fmt.Fprintf(w, "  provider: %s (notices must be registered to reach %s)\n", cfg.BaseURL, notifyURL)
	}
	c, err := levy.NewClient(levy.WithCredentials(cfg.ClientKey, cfg.Secret), levy.WithBaseURL(cfg.BaseURL), levy.WithLogger(orDiscard(cfg.Logger)))
	if err != nil {
		return err
	}
	orderNotices := make(chan *levy.OrderNotification, 4)
	h, err := levy.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *levy.Notification) error {
		fmt.Fprintf(w, "  notice %s received and verified\n", n.Operation)
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
	defer serve(ln, h)()

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
				fmt.Fprintf(w, "  taxpayer %s %s: %s\n", mask.Name(name), mask.IDCard(idCard), r.Status)
			}
			return err
		}},
		{"create order", func() error {
			profit := levy.Yuan(1000)
			r, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{RequestID: requestID, IDCard: idCard, Name: name, TaxAgentParentID: "12",
				CreditCode: "91110000MA01ABCD1X", Cellphone: phone, BankcardNo: card, Profit: &profit, TaxMode: levy.TaxModeGeneral})
			if err == nil {
				fmt.Fprintf(w, "  order %s accepted at %s\n", r.RequestID, r.AcceptTime.Format(time.RFC3339))
			}
			return err
		}},
		{"wait for the order notice", func() error {
			select {
			case o := <-orderNotices:
				fmt.Fprintf(w, "  order notice: %s, %d remit order(s)\n", o.Status, len(o.RemitOrderList))
				return nil
			case <-time.After(cfg.NoticeWait):
				if fake == nil {
					fmt.Fprintf(w, "  skipped: no notice within %s (is the notice URL registered?)\n", cfg.NoticeWait)
					return nil
				}
				return errors.New("no notice arrived")
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
		if err := Step(w, s.name, s.fn); err != nil {
			return err
		}
	}
	if fake != nil {
		fake.WaitNotifications()
	}
	return nil
}
