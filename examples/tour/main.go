// Command tour runs the main flow of every SDK module against its in-process
// fake provider and prints a readable transcript. It needs no network and no
// credentials:
//
//	go run ./examples/tour
//
// It exits non-zero when any leg fails, naming the leg.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

// leg is one module's part of the tour.
type leg struct {
	name string
	run  func(ctx context.Context, w io.Writer) error
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	os.Exit(run(ctx, os.Stdout))
}

func run(ctx context.Context, w io.Writer) int {
	legs := []leg{
		{"levy", levyLeg},
		{"allinpay", allinpayLeg},
		{"evidence", evidenceLeg},
		{"scancode", scancodeLeg},
	}
	fmt.Fprintln(w, "bizapi-cn Go SDK tour: levy, allinpay, evidence, scancode")
	failed := 0
	for _, l := range legs {
		fmt.Fprintf(w, "\n== %s\n", l.name)
		if err := l.run(ctx, w); err != nil {
			fmt.Fprintf(w, "FAIL %s: %v\n", l.name, err)
			failed++
			continue
		}
		fmt.Fprintf(w, "ok   %s\n", l.name)
	}
	if failed > 0 {
		fmt.Fprintf(w, "\n%d of %d legs failed\n", failed, len(legs))
		return 1
	}
	fmt.Fprintf(w, "\nall %d legs passed\n", len(legs))
	return 0
}
