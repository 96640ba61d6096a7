package main

import (
	"context"
	"fmt"
	"io"
)

// scancodeLeg runs the scancode module's flow against its fake provider.
func scancodeLeg(_ context.Context, w io.Writer) error {
	fmt.Fprintln(w, "scancode: not yet built; this leg will run once the module lands")
	return nil
}
