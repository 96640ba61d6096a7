package main

import (
	"context"
	"io"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
)

// scancodeLeg receives a login scan and a signing from the fake app server.
func scancodeLeg(ctx context.Context, w io.Writer) error {
	return flow.Scancode(ctx, w, flow.ScancodeConfig{})
}
