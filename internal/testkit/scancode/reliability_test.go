package scancode_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/testkit/loadtest"
	"github.com/bizapi-cn/go-sdk/internal/testkit/tampertest"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/tjfoc/gmsm/sm2"
)

// cut removes s from b, failing when b does not contain it.
func cut(t *testing.T, b []byte, s string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(s)) {
		t.Fatalf("%q not in %s", s, b)
	}
	return bytes.Replace(b, []byte(s), nil, 1)
}

func ackedScan(status int, b []byte) bool { return status == 200 && string(b) == ack }

// TestReliabilityTamperedCallbacks: callbacks encrypted for another key,
// with a flipped ciphertext or desKey byte, spliced from two callbacks,
// truncated, oversized, missing a member, sent twice over, with a type or
// platformCode of the wrong length, of the wrong content type or not UTF-8
// are refused with ErrDecrypt or ErrMalformedCallback,
// answered ret "1", and never reach the host. (The protocol has no
// signature: what the outer form says, type and platformCode, is not
// authenticated; RELIABILITY.md says what that leaves open.)
func TestReliabilityTamperedCallbacks(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	var calls atomic.Int64
	h := newHandler(t, d, func(context.Context, *scancode.Callback) error { calls.Add(1); return nil },
		scancode.WithDedupStore(memDedup(t)))
	payload := []byte(`{"tId":"` + testTID + `","isScaned":"01","qRCodeType":"06"}`)
	env, _ := app.Envelope(payload)
	ct, body, _ := app.Request(scancode.TypeScanStatus, env)
	form := func(typ string, e scancode.Envelope) []byte {
		data, _ := json.Marshal(e)
		return []byte(url.Values{"type": {typ}, "data": {string(data)}, "platformCode": {"M1100000034"}}.Encode())
	}
	flip := func(b64 string, at func(n int) int) string {
		raw, _ := base64.StdEncoding.DecodeString(b64)
		raw[at(len(raw))] ^= 0x5a
		return base64.StdEncoding.EncodeToString(raw)
	}
	// Encrypted for a key that is not the platform's.
	other, _ := sm2.GenerateKey(rand.Reader)
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	wrapped, _ := gm.SM2Encrypt(&other.PublicKey, key, gm.SM2C1C3C2)
	ctOther, _ := gm.SM4ECBEncrypt(key, payload)
	wrongKey := scancode.Envelope{DesKey: base64.StdEncoding.EncodeToString(wrapped), Encrypt: base64.StdEncoding.EncodeToString(ctOther)}
	env2, _ := app.Envelope([]byte(`{"tId":"` + testTID + `","isScaned":"02"}`))
	either := func(err error) bool {
		return errors.Is(err, scancode.ErrDecrypt) || errors.Is(err, scancode.ErrMalformedCallback)
	}
	cases := []tampertest.Case{
		{Name: "encrypted for another key", ContentType: ct, Body: form("01", wrongKey), Want: scancode.ErrDecrypt},
		{Name: "flipped ciphertext byte (last block)", ContentType: ct, Body: form("01", scancode.Envelope{DesKey: env.DesKey, Encrypt: flip(env.Encrypt, func(n int) int { return n - 1 })})},
		{Name: "flipped ciphertext byte (first block)", ContentType: ct, Body: form("01", scancode.Envelope{DesKey: env.DesKey, Encrypt: flip(env.Encrypt, func(int) int { return 3 })})},
		{Name: "flipped desKey byte", ContentType: ct, Body: form("01", scancode.Envelope{DesKey: flip(env.DesKey, func(n int) int { return n - 5 }), Encrypt: env.Encrypt}), Want: scancode.ErrDecrypt},
		{Name: "desKey of another callback", ContentType: ct, Body: form("01", scancode.Envelope{DesKey: env2.DesKey, Encrypt: env.Encrypt})},
		{Name: "data removed", ContentType: ct, Body: []byte("type=02&platformCode=M1100000034"), Want: scancode.ErrMalformedCallback},
		{Name: "type removed", ContentType: ct, Body: cut(t, body, "&type=01"), Want: scancode.ErrMalformedCallback},
		{Name: "type of three characters", ContentType: ct, Body: bytes.Replace(body, []byte("type=01"), []byte("type=011"), 1), Want: scancode.ErrMalformedCallback},
		{Name: "type of one character", ContentType: ct, Body: bytes.Replace(body, []byte("type=01"), []byte("type=1"), 1), Want: scancode.ErrMalformedCallback},
		{Name: "platformCode of twelve", ContentType: ct, Body: bytes.Replace(body, []byte("platformCode=M1100000034"), []byte("platformCode=M11000000345"), 1), Want: scancode.ErrMalformedCallback},
		{Name: "data sent twice", ContentType: ct, Body: append(bytes.Clone(body), "&data=x"...), Want: scancode.ErrMalformedCallback},
		{Name: "truncated body", ContentType: ct, Body: body[:len(body)/2]},
		{Name: "wrong content type", ContentType: "application/xml", Body: body, Want: scancode.ErrMalformedCallback},
		{Name: "invalid UTF-8", ContentType: ct, Body: append(bytes.Clone(body), "&x=\xff"...), Want: scancode.ErrMalformedCallback},
		{Name: "empty body", ContentType: ct, Body: nil, Want: scancode.ErrMalformedCallback},
		{Name: "oversized", ContentType: ct, Body: tampertest.Oversized(body, scancode.DefaultMaxBodyBytes), HandlerOnly: true, WantStatus: http.StatusRequestEntityTooLarge},
	}
	refused, tried := tampertest.Run(t, tampertest.Target{
		Parse: func(ctx context.Context, ct string, _ http.Header, b []byte) error {
			_, err := parse(ctx, ct, b, d)
			if err != nil && !either(err) {
				return fmt.Errorf("untyped: %w", err)
			}
			return err
		},
		Handler: h, Calls: func() int { return int(calls.Load()) }, Acked: ackedScan,
	}, cases)
	for range 2 { // the genuine callback and its replay: handled once
		if code, got := serve(t, h, ct, body); !ackedScan(code, []byte(got)) {
			t.Errorf("genuine/replay = %d %s", code, got)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("genuine and replay handled %d times; want 1", calls.Load())
	}
	t.Logf("scancode: %d/%d tampered callbacks refused; a replay was handled once", refused, tried)
}

// TestReliabilityCallbackDelivery: loadtest.Size() callbacks (SM2 + SM4
// each; 10,000 with RELIABILITY_LONG=1) through NewCallbackHandler with duplicates
// and a failing host.
func TestReliabilityCallbackDelivery(t *testing.T) {
	t.Parallel()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	run := loadtest.New(loadtest.Config{Burst: 100, Duplicates: 0.1, FailRate: 0.1, Seed: 17, Acked: ackedScan})
	h := newHandler(t, d, func(ctx context.Context, c *scancode.Callback) error { return run.Host(ctx, c.EventID()) },
		scancode.WithDedupStore(memDedup(t)))
	notes := make([]loadtest.Note, loadtest.Size())
	for i := range notes {
		tid := fmt.Sprintf("M1100000034%032x", i)
		env, err := app.Envelope([]byte(`{"tId":"` + tid + `","isScaned":"01"}`))
		if err != nil {
			t.Fatal(err)
		}
		ct, body, _ := app.Request(scancode.TypeScanStatus, env)
		notes[i] = loadtest.Note{ID: tid, ContentType: ct, Body: body}
	}
	res, err := run.Deliver(context.Background(), h, notes)
	if err != nil || !res.OK() {
		t.Fatalf("%v, %v", res, err)
	}
	t.Logf("scancode: %v", res)
}
