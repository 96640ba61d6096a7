package main

import (
	"context"
	"io"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
)

// allinpayLeg runs the QR payment flow against the fake gateway.
func allinpayLeg(ctx context.Context, w io.Writer) error {
	return flow.Allinpay(ctx, w, flow.AllinpayConfig{})
}
