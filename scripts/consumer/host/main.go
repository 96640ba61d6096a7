// Command host is the consumer check's host application: a module outside
// the SDK's path that gets the SDK from a module proxy, as a user does. It
// makes one call through each client against its fake provider and handles
// one signed notification per module through that module's handler, all
// four handlers sharing one dedup store the host implements itself.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st := newHostStore() // one store for all four modules
	legs := []struct {
		name string
		run  func(context.Context, *hostStore) error
	}{
		{"levy", levyLeg},
		{"allinpay", allinpayLeg},
		{"evidence", evidenceLeg},
		{"scancode", scancodeLeg},
	}
	for _, l := range legs {
		if err := l.run(ctx, st); err != nil {
			fmt.Fprintf(os.Stderr, "host: %s: %v\n", l.name, err)
			os.Exit(1)
		}
		fmt.Printf("host: %s: one call and one signed notification handled\n", l.name)
	}
	fmt.Printf("host: the shared dedup store holds %d keys\n", st.Len())
}

// receive serves h on a loopback port with the timeouts a production
// receiver sets, until ctx ends; it returns the URL to give the provider.
func receive(ctx context.Context, h http.Handler) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	return "http://" + l.Addr().String(), nil
}

// waitFor waits for one value from ch, or fails when ctx ends first.
func waitFor[T any](ctx context.Context, ch <-chan T, what string) (T, error) {
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, errors.Join(fmt.Errorf("no %s arrived", what), ctx.Err())
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
