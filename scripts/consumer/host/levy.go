package main

import (
	"context"
	"fmt"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// levyLeg creates an order on the fake and handles the notification the
// fake pushes, through a receiver that holds only the client key and the
// secret.
func levyLeg(ctx context.Context, st *hostStore) error {
	srv, err := levytest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL))
	if err != nil {
		return err
	}
	v, err := levy.NewNotificationVerifier(levy.WithCredentials(srv.ClientKey, srv.Secret))
	if err != nil {
		return err
	}
	got := make(chan *levy.Notification, 8)
	h, err := levy.NewNotificationHandler(v, func(_ context.Context, n *levy.Notification) error {
		got <- n
		return nil
	}, levy.WithDedupStore(st))
	if err != nil {
		return err
	}
	url, err := receive(ctx, h)
	if err != nil {
		return err
	}
	srv.SetNotifyURL(url)
	profit, err := levy.ParseAmount("1000.00")
	if err != nil {
		return err
	}
	if _, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{
		RequestID: "HOST-1", IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12",
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral,
	}); err != nil {
		return fmt.Errorf("CreateOrder: %w", err)
	}
	n, err := waitFor(ctx, got, "levy notification")
	if err != nil {
		return err
	}
	if n.Operation == "" || n.IdempotencyKey() == "" {
		return fmt.Errorf("notification without operation or key: %v", n)
	}
	return nil
}
