package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/bizapi-cn/go-sdk/store"
)

// TestScancodeOptionsAndErrors: the handler options with public types,
// the tId store on the host's own store.Lists, and the refusals a host
// branches on.
func TestScancodeOptionsAndErrors(t *testing.T) {
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scancode.NewCallbackHandler(dec, func(context.Context, *scancode.Callback) error { return nil },
		scancode.WithDedupStore(newHostStore()), scancode.WithMaxBodyBytes(1<<20), scancode.WithReadTimeout(time.Second),
		scancode.WithLogger(slog.Default())); err != nil {
		t.Fatal(err)
	}
	if _, err := scancode.NewCallbackHandler(nil, func(context.Context, *scancode.Callback) error { return nil }); err == nil {
		t.Error("a handler without a decrypter was built")
	}
	lists, err := store.NewMemoryLists()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scancode.NewTIDStore(scancode.WithLists(lists)); err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if _, err := scancode.ParseCallback(context.Background(), dec, h, []byte("type=011&data=x")); !errors.Is(err, scancode.ErrMalformedCallback) {
		t.Errorf("type 011: %v; want ErrMalformedCallback", err)
	}
	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL("http://127.0.0.1:1/"))
	if err != nil {
		t.Fatal(err)
	}
	env, err := app.Envelope(scancode.ScanStatus{TID: "M1100000034" + "58be5bb800ad450e99a26537ca2d1850", IsScaned: scancode.ScanStateScanned})
	if err != nil {
		t.Fatal(err)
	}
	other, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM4Key: []byte("0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	ct, body, err := app.Request(scancode.TypeScanStatus, env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scancode.ParseCallback(context.Background(), other, http.Header{"Content-Type": {ct}}, body); err == nil {
		t.Error("a callback for another key was accepted")
	}
}
