package main

import (
	"context"
	"fmt"
	"io"
)

// allinpayLeg runs the allinpay module's flow against its fake provider.
func allinpayLeg(_ context.Context, w io.Writer) error {
	fmt.Fprintln(w, "allinpay: not yet built; this leg will run once the module lands")
	return nil
}
