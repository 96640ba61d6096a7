package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
)

func allinpayFake(t *testing.T) (*allinpaytest.Server, *allinpay.Client) {
	t.Helper()
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := allinpay.NewClient(allinpay.WithBaseURL(srv.URL), allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey), allinpay.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestAllinpayOptions calls the options with public types only, and builds
// a receiver from public keys alone (two, as during a key rotation).
func TestAllinpayOptions(t *testing.T) {
	srv, _ := allinpayFake(t)
	if _, err := allinpay.NewClient(
		allinpay.WithBaseURL(srv.URL), allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithPrivateKey(srv.MerchantPrivateKey), allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey),
		allinpay.WithClock(time.Now), allinpay.WithHTTPClient(&http.Client{}), allinpay.WithLogger(slog.Default()),
		allinpay.WithMaxBillBytes(64<<20), allinpay.WithMaxResponseBytes(64<<10), allinpay.WithRetries(1),
		allinpay.WithTimeout(time.Second), allinpay.WithUserAgent("host/1"),
	); err != nil {
		t.Fatal(err)
	}
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey, srv.PlatformPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := allinpay.NewNotificationHandler(v, func(context.Context, *allinpay.Notification) error { return nil },
		allinpay.WithDedupStore(newHostStore()), allinpay.WithMaxBodyBytes(16<<10), allinpay.WithReadTimeout(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo)); err == nil {
		t.Error("a verifier without a platform key was built")
	}
}

// TestAllinpayErrorFamilies branches on each error family from outside.
func TestAllinpayErrorFamilies(t *testing.T) {
	ctx := context.Background()
	srv, c := allinpayFake(t)
	pay := func(out string) *allinpay.PayRequest {
		return &allinpay.PayRequest{TransType: "WXPAY_SCANCODE", OutTransNo: out, TransAmount: 100, Currency: "HKD",
			NotifyURL: "https://host.example/notify", GoodsSubject: "host"}
	}

	_, err := c.Pay(ctx, &allinpay.PayRequest{TransType: "WXPAY_SCANCODE"})
	var ve *allinpay.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		t.Errorf("invalid payment: %v; want *allinpay.ValidationError", err)
	}

	_, err = c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "NO-SUCH-ORDER"})
	var ae *allinpay.APIError
	if !errors.As(err, &ae) || ae.Code() == "" {
		t.Errorf("unknown order: %v; want *allinpay.APIError", err)
	}

	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultStatus500, Count: 1})
	_, err = c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "NO-SUCH-ORDER"})
	var he *allinpay.HTTPError
	if !errors.As(err, &he) || he.HTTPStatusCode() != 500 || errors.Is(err, allinpay.ErrInvalidSignature) {
		t.Errorf("gateway 500: %v; want *allinpay.HTTPError 500, not a forgery", err)
	}

	out := allinpay.NewOutTransNo()
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultProcessThenDrop, Count: 1})
	_, err = c.Pay(ctx, pay(out))
	var ou *allinpay.OutcomeUnknownError
	if !errors.Is(err, allinpay.ErrOutcomeUnknown) || !errors.As(err, &ou) || ou.Key != out {
		t.Errorf("dropped answer: %v; want *allinpay.OutcomeUnknownError keyed %s", err, out)
	}

	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultBadSignature, Count: 1})
	_, err = c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: out})
	if !errors.Is(err, allinpay.ErrInvalidSignature) {
		t.Errorf("bad signature: %v; want ErrInvalidSignature", err)
	}
}
