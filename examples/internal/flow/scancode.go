// Package flow holds each module's main flow, shared by its example program
// and by the tour, so that both show exactly the same steps.
package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// ScancodeConfig is the scancode example's configuration (SCANCODE_*).
type ScancodeConfig struct {
	Addr          string // where the receiver listens; "" = an ephemeral port on 127.0.0.1
	SM2PrivateKey []byte // the platform's SM2 key; nil = the test key
	SM4Key        []byte // a pre-shared SM4 key; nil = digital envelope only
	// WaitExternal keeps the receiver up this long after the self-drive, for
	// callbacks from the real app server (0 = do not wait).
	WaitExternal time.Duration
	Logger       *slog.Logger // the SDK's logs (nil: none)
}

// Step runs one named step and reports it; the first failure stops the flow
// and names the step.
func Step(w io.Writer, name string, fn func() error) error {
	if err := fn(); err != nil {
		fmt.Fprintf(w, "  FAIL %s: %v\n", name, err)
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "  ok   %s\n", name)
	return nil
}

// Scancode starts a receiver, drives the fake app server through a login
// scan (01 then 02) and a signing (13 then 14) against it, and prints each
// callback the same way, personal data masked.
func Scancode(ctx context.Context, w io.Writer, cfg ScancodeConfig) error {
	w = locked(w)
	privPEM := cfg.SM2PrivateKey
	if privPEM == nil {
		privPEM = scancodetest.SM2PrivateKeyPEM()
		fmt.Fprintln(w, "  using the fake app's SM2 test key (set SCANCODE_SM2_PRIVATE_KEY for yours)")
	}
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: privPEM, SM4Key: cfg.SM4Key})
	if err != nil {
		return err
	}

	var mu sync.Mutex
	got := map[scancode.Type]*scancode.Callback{}
	tids, err := scancode.NewTIDStore()
	if err != nil {
		return err
	}
	h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
		mu.Lock()
		got[c.Type] = c
		mu.Unlock()
		fmt.Fprintf(w, "  received %v\n", c)
		return tids.Put(ctx, c)
	}, scancode.WithLogger(orDiscard(cfg.Logger)))
	if err != nil {
		return err
	}

	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on SCANCODE_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/receiveAppLogController/receiveScanData"
	fmt.Fprintf(w, "  receiver listening on %s\n", url)

	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL(url), scancodetest.WithPlatformCode("M1100000034"),
		scancodetest.WithPlatformPrivateKey(privPEM))
	if err != nil {
		return err
	}
	tid, err := scancode.NewTID("M1100000034")
	if err != nil {
		return err
	}
	qr := scancode.QRCode{Type: "06", TID: tid}
	fmt.Fprintf(w, "  login QR content: %s\n", qr.Encode())

	send := func(typ scancode.Type, p any) func() error {
		return func() error {
			if _, err := app.Send(ctx, typ, p); err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if got[typ] == nil || got[typ].EventID() != tid {
				return errors.New("receiver did not hand the callback over")
			}
			return nil
		}
	}
	person := scancode.UserInfo{TID: tid, PersonName: "王小五", TelephoneNum: "13900139000", IDCard: "110101199003074477",
		LoginUserType: scancode.LoginUserTypePerson, PersonalTransactionCode: "P-1", AccessToken: "token-not-for-logs"}
	signer := person
	signer.AlgorithmType, signer.CertBelongType = scancode.AlgorithmTypeSM2, scancode.LoginUserTypePerson
	steps := []struct {
		name string
		fn   func() error
	}{
		{"login scan: 01 scan status", send(scancode.TypeScanStatus, scancode.ScanStatus{TID: tid, IsScaned: scancode.ScanStateScanned, QRCodeType: "06"})},
		{"login scan: 02 user info", send(scancode.TypeUserInfo, person)},
		{"signing: 13 signer info", send(scancode.TypeSignerUserInfo, signer)},
		{"signing: 14 signature values", send(scancode.TypeSignatureValues, scancode.SignatureValues{TID: tid, UseStatus: scancode.UseStatusUsed, SignatureValueList: scancode.SignatureValueList{"MEUCIQ-sig-1", "MEUCIQ-sig-2"}})},
		{"front end: query by tId", func() error {
			cs, err := tids.Get(ctx, tid)
			if err != nil {
				return err
			}
			if len(cs) != 4 {
				return fmt.Errorf("store holds %d callbacks for the tId, want 4", len(cs))
			}
			fmt.Fprintf(w, "  tId %s has %d callbacks stored\n", tid, len(cs))
			return nil
		}},
	}
	for _, s := range steps {
		if err := Step(w, s.name, s.fn); err != nil {
			return err
		}
	}
	if cfg.WaitExternal > 0 {
		fmt.Fprintf(w, "  waiting %s for callbacks from the real app server on %s\n", cfg.WaitExternal, url)
		select {
		case <-ctx.Done():
		case <-time.After(cfg.WaitExternal):
		}
	} else {
		fmt.Fprintln(w, "  skipped: waiting for the real app server (set SCANCODE_ADDR to listen for it)")
	}
	return nil
}
