package main

import (
	"context"
	"io"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
)

// levyLeg runs the levy order flow against the fake provider.
func levyLeg(ctx context.Context, w io.Writer) error {
	return flow.Levy(ctx, w, flow.LevyConfig{})
}
