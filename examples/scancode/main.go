// Command scancode runs a scan-callback receiver and drives the fake app
// server through a login scan (01, 02) and a signing (13, 14) against it,
// then reads the callbacks back by tId as the platform's front end does.
//
// Environment (all optional; without them the fake app's test key and an
// ephemeral port are used):
//
//	SCANCODE_ADDR             host:port to listen on (then it also waits 2 minutes for real callbacks)
//	SCANCODE_SM2_PRIVATE_KEY  the platform's SM2 private key: PEM, base64, hex, or @path
//	SCANCODE_SM4_KEY          a pre-shared SM4 key: hex, base64, or @path
//
// It imports only the SDK's public packages and the standard library, so it
// can be copied into a host application as it is. It exits non-zero naming
// the step that failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scancode example failed:", err)
		os.Exit(1)
	}
}

// keyVar reads a key variable: the key's text, or @path to read it from a
// file. It returns nil when the variable is unset.
func keyVar(name string) ([]byte, error) {
	v := os.Getenv(name)
	if v == "" {
		return nil, nil
	}
	if path, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b, nil
	}
	return []byte(v), nil
}

// platformCode is the platform's 11-character code, the first part of
// every tId.
const platformCode = "M1100000034"

// lockedWriter serializes the receiver's and the driver's lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func run(ctx context.Context, out io.Writer) error {
	w := &lockedWriter{w: out}
	fmt.Fprintln(w, "scancode: receiver + fake app server")
	addr := os.Getenv("SCANCODE_ADDR")
	priv, err := keyVar("SCANCODE_SM2_PRIVATE_KEY")
	if err != nil {
		return err
	}
	if priv == nil {
		priv = scancodetest.SM2PrivateKeyPEM()
		fmt.Fprintln(w, "  using the fake app's SM2 test key (set SCANCODE_SM2_PRIVATE_KEY for yours)")
	}
	cfg := scancode.DecrypterConfig{SM2PrivateKey: priv}
	sm4, err := keyVar("SCANCODE_SM4_KEY")
	if err != nil {
		return err
	}
	if sm4 != nil {
		if cfg.SM4Key, err = scancode.ParseSM4Key(string(sm4)); err != nil {
			return fmt.Errorf("SCANCODE_SM4_KEY: %w", err)
		}
	}
	// 1. The decrypter, built once from the platform's keys.
	dec, err := scancode.NewDecrypter(cfg)
	if err != nil {
		return err
	}

	// 2. The handler: each callback kept by tId for the front end. It is
	// acknowledged only once stored; duplicates are deduplicated in memory
	// (WithDedupStore for a store shared by several processes).
	tids, err := scancode.NewTIDStore()
	if err != nil {
		return err
	}
	var mu sync.Mutex
	got := map[scancode.Type]*scancode.Callback{}
	h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
		mu.Lock()
		got[c.Type] = c
		mu.Unlock()
		fmt.Fprintf(w, "  received %v\n", c) // masked: names, ID and phone numbers, certificates, signatures
		return tids.Put(ctx, c)
	})
	if err != nil {
		return err
	}

	// 3. The server, with read and write timeouts of its own.
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

	// 4. The QR code the platform shows, and the fake app server that plays
	// the user scanning it.
	tid, err := scancode.NewTID(platformCode)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  login QR content: %s\n", scancode.QRCode{Type: "06", TID: tid}.Encode())
	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL(url), scancodetest.WithPlatformCode(platformCode),
		scancodetest.WithPlatformPrivateKey(priv))
	if err != nil {
		return err
	}
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
		LoginUserType: scancode.LoginUserTypePerson, PersonalTransactionCode: "P-20240001", AccessToken: "token-not-for-logs"}
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
		if err := s.fn(); err != nil {
			fmt.Fprintf(w, "  FAIL %s: %v\n", s.name, err)
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(w, "  ok   %s\n", s.name)
	}
	if os.Getenv("SCANCODE_ADDR") != "" {
		fmt.Fprintf(w, "  waiting 2m0s for callbacks from the real app server on %s\n", url)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Minute):
		}
	} else {
		fmt.Fprintln(w, "  skipped: waiting for the real app server (set SCANCODE_ADDR to listen for it)")
	}
	return nil
}
