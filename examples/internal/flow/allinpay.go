package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
)

// AllinpayConfig is the allinpay example's configuration (ALLINPAY_*).
type AllinpayConfig struct {
	BaseURL, AccessCode, MchNo    string // empty BaseURL: the in-process fake
	PrivateKey, PlatformPublicKey []byte
	NotifyAddr                    string
	NotifyWait                    time.Duration
	Logger                        *slog.Logger // the SDK's logs (nil: none)
}

// Allinpay creates an ALIPAY_SCANCODE order, prints its QR content, has the
// fake customer pay (skipped against a real host), receives the
// notification, queries, refunds part, and summarises yesterday's bill.
func Allinpay(ctx context.Context, w io.Writer, cfg AllinpayConfig) error {
	w = locked(w)
	if cfg.NotifyWait == 0 {
		cfg.NotifyWait = 10 * time.Second
	}
	ln, notifyURL, err := listen("ALLINPAY_NOTIFY_ADDR", cfg.NotifyAddr, "/allinpay/notify")
	if err != nil {
		return err
	}
	var fake *allinpaytest.Server
	var fakeDay atomic.Int64
	fakeDay.Store(-1)
	if cfg.BaseURL == "" {
		// The fake's payments happen yesterday, so that their bill (served
		// from the next day on, as the platform does) can be fetched today.
		if fake, err = allinpaytest.NewServer(allinpaytest.WithClock(func() time.Time { return time.Now().AddDate(0, 0, int(fakeDay.Load())) })); err != nil {
			return err
		}
		defer fake.Close()
		cfg.BaseURL, cfg.AccessCode, cfg.MchNo, cfg.PrivateKey, cfg.PlatformPublicKey = fake.URL, fake.AccessCode, fake.MchNo, fake.MerchantPrivateKey, fake.PlatformPublicKey
		fmt.Fprintln(w, "  gateway: in-process fake (set ALLINPAY_BASE_URL and the keys for the test environment)")
	} else {
		fmt.Fprintf(w, "  gateway: %s, notifications to %s\n", cfg.BaseURL, notifyURL)
	}
	c, err := allinpay.NewClient(allinpay.WithMerchant(cfg.AccessCode, cfg.MchNo), allinpay.WithKeys(cfg.PrivateKey, cfg.PlatformPublicKey), allinpay.WithBaseURL(cfg.BaseURL),
		allinpay.WithLogger(orDiscard(cfg.Logger)))
	if err != nil {
		return err
	}
	paid := make(chan *allinpay.Notification, 4)
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *allinpay.Notification) error {
		fmt.Fprintf(w, "  %s notification for %s verified: resultCode %s, %s %s\n", n.Kind, n.OutTransNo, n.ResultCode, n.TransAmount, n.Currency)
		if n.Succeeded() {
			select {
			case paid <- n:
			default:
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer serve(ln, h)()

	order := fmt.Sprintf("EX%d", time.Now().UnixNano()%1e12)
	notified := false
	steps := []struct {
		name string
		fn   func() error
	}{
		{"create ALIPAY_SCANCODE order", func() error {
			r, err := c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode, OutTransNo: order, TransAmount: 1050,
				Currency: allinpay.CurrencyHKD, NotifyURL: notifyURL, GoodsSubject: "SDK example"})
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
			fakeDay.Store(0) // the next day begins
			return err
		}},
		{"receive the notification", func() error {
			select {
			case <-paid:
				notified = true
				return nil
			case <-time.After(cfg.NotifyWait):
				if fake == nil {
					fmt.Fprintf(w, "  skipped: no notification within %s\n", cfg.NotifyWait)
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
		if err := Step(w, s.name, s.fn); err != nil {
			return err
		}
	}
	return nil
}
