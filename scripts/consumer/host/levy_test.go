package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

func levyFake(t *testing.T) (*levytest.Server, *levy.Client) {
	t.Helper()
	srv, err := levytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL), levy.WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func levyOrder(id string) *levy.CreateOrderRequest {
	profit, _ := levy.ParseAmount("100.00")
	return &levy.CreateOrderRequest{RequestID: id, IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12",
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral}
}

// TestLevyOptions calls every option with public types only.
func TestLevyOptions(t *testing.T) {
	var kms levy.Signer = levy.Signer(nil)
	_ = kms
	opts := []levy.Option{
		levy.WithBaseURL(levy.TestBaseURL), levy.WithClientKey("k"), levy.WithCredentials("k", "s"),
		levy.WithClock(time.Now), levy.WithHTTPClient(&http.Client{}), levy.WithLogger(slog.Default()),
		levy.WithMaxResponseBytes(1 << 20), levy.WithRetries(1), levy.WithTimeout(time.Second),
		levy.WithUserAgent("host/1"),
	}
	if _, err := levy.NewClient(opts...); err != nil {
		t.Fatal(err)
	}
	hopts := []levy.HandlerOption{levy.WithDedupStore(newHostStore()), levy.WithMaxBodyBytes(1 << 16),
		levy.WithReadTimeout(time.Second), levy.WithoutDedup()}
	v, err := levy.NewNotificationVerifier(levy.WithCredentials("k", "s"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := levy.NewNotificationHandler(v, func(context.Context, *levy.Notification) error { return nil }, hopts...); err != nil {
		t.Fatal(err)
	}
	if _, err := levy.NewNotificationVerifier(); err == nil {
		t.Error("a verifier without keys was built")
	}
}

// TestLevyErrorFamilies branches on each error family from outside.
func TestLevyErrorFamilies(t *testing.T) {
	ctx := context.Background()
	srv, c := levyFake(t)

	_, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{RequestID: "bad"})
	var ve *levy.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field == "" {
		t.Errorf("invalid request: %v; want *levy.ValidationError with fields", err)
	}

	_, err = c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "NO-SUCH-ORDER"})
	var ae *levy.APIError
	if !errors.As(err, &ae) || ae.Code == "" || ae.HTTPStatusCode() == 0 {
		t.Errorf("unknown order: %v; want *levy.APIError with a code and a status", err)
	}

	srv.Inject(levytest.Fault{Kind: levytest.FaultStatus500, Count: 1})
	_, err = c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "NO-SUCH-ORDER"})
	var he *levy.HTTPError
	if !errors.As(err, &he) || he.HTTPStatusCode() != 500 || errors.Is(err, levy.ErrInvalidSignature) {
		t.Errorf("gateway 500: %v; want *levy.HTTPError 500, not a forgery", err)
	}

	srv.Inject(levytest.Fault{Kind: levytest.FaultProcessThenDrop, Count: 1})
	_, err = c.CreateOrder(ctx, levyOrder("HOST-OU"))
	var ou *levy.OutcomeUnknownError
	if !errors.Is(err, levy.ErrOutcomeUnknown) || !errors.As(err, &ou) || ou.Key != "HOST-OU" {
		t.Errorf("dropped answer: %v; want *levy.OutcomeUnknownError keyed HOST-OU", err)
	}

	srv.Inject(levytest.Fault{Kind: levytest.FaultBadSignature, Count: 1})
	_, err = c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "HOST-OU"})
	if !errors.Is(err, levy.ErrInvalidSignature) {
		t.Errorf("bad signature: %v; want ErrInvalidSignature", err)
	}
}
