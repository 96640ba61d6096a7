package main

import (
	"context"
	"fmt"
	"io"
)

// evidenceLeg runs the evidence module's flow against its fake provider.
func evidenceLeg(_ context.Context, w io.Writer) error {
	fmt.Fprintln(w, "evidence: not yet built; this leg will run once the module lands")
	return nil
}
