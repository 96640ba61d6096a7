package main

import (
	"context"
	"fmt"
	"io"
)

// levyLeg runs the levy module's flow against its fake provider.
func levyLeg(_ context.Context, w io.Writer) error {
	fmt.Fprintln(w, "levy: not yet built; this leg will run once the module lands")
	return nil
}
