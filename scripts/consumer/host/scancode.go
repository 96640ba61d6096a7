package main

import (
	"context"
	"fmt"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// scancodeLeg has the fake app send a scan callback to a receiver built
// from the platform's SM2 key alone.
func scancodeLeg(ctx context.Context, st *hostStore) error {
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
	if err != nil {
		return err
	}
	got := make(chan *scancode.Callback, 4)
	h, err := scancode.NewCallbackHandler(dec, func(_ context.Context, c *scancode.Callback) error {
		got <- c
		return nil
	}, scancode.WithDedupStore(st))
	if err != nil {
		return err
	}
	url, err := receive(ctx, h)
	if err != nil {
		return err
	}
	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL(url), scancodetest.WithPlatformCode("M1100000034"))
	if err != nil {
		return err
	}
	tid := "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"
	if _, err := app.Send(ctx, scancode.TypeScanStatus, scancode.ScanStatus{TID: tid, IsScaned: scancode.ScanStateScanned}); err != nil {
		return fmt.Errorf("Send: %w", err)
	}
	c, err := waitFor(ctx, got, "scancode callback")
	if err != nil {
		return err
	}
	if c.EventID() != tid {
		return fmt.Errorf("callback for tId %q; want %q", c.EventID(), tid)
	}
	return nil
}
