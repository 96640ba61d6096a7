package main

import (
	"context"
	"fmt"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
)

// allinpayLeg makes a payment on the fake, has the customer pay, and
// handles the signed notification through a receiver that holds only the
// platform's public key and the merchant's numbers, never its private key.
func allinpayLeg(ctx context.Context, st *hostStore) error {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := allinpay.NewClient(allinpay.WithBaseURL(srv.URL), allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey))
	if err != nil {
		return err
	}
	v, err := allinpay.NewNotificationVerifier(allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey),
		allinpay.WithMerchant(srv.AccessCode, srv.MchNo))
	if err != nil {
		return err
	}
	got := make(chan *allinpay.Notification, 8)
	h, err := allinpay.NewNotificationHandler(v, func(_ context.Context, n *allinpay.Notification) error {
		got <- n
		return nil
	}, allinpay.WithDedupStore(st))
	if err != nil {
		return err
	}
	url, err := receive(ctx, h)
	if err != nil {
		return err
	}
	out := allinpay.NewOutTransNo()
	if _, err := c.Pay(ctx, &allinpay.PayRequest{TransType: "WXPAY_SCANCODE", OutTransNo: out, TransAmount: 1050,
		Currency: "HKD", NotifyURL: url, GoodsSubject: "host check"}); err != nil {
		return fmt.Errorf("Pay: %w", err)
	}
	if err := srv.SimulatePay(out); err != nil {
		return err
	}
	n, err := waitFor(ctx, got, "allinpay notification")
	if err != nil {
		return err
	}
	if n.OutTransNo != out {
		return fmt.Errorf("notification for %q; want %q", n.OutTransNo, out)
	}
	return nil
}
