package main

import (
	"context"
	"io"

	"github.com/bizapi-cn/go-sdk/examples/internal/flow"
)

// evidenceLeg runs a data-acquisition session against the fake service.
func evidenceLeg(ctx context.Context, w io.Writer) error {
	return flow.Evidence(ctx, w, flow.EvidenceConfig{})
}
