package evidence_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/evidence/notify"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// outcome is what a verifier made of a message: the notification as the
// host reads it, or the error as the host tells it apart.
type outcome struct {
	Key, Raw, Func, Data string
	Err                  string
	Invalid, Malformed   bool
	Header               string // SignatureError.Header
}

func outcomeOf(n *notify.Notification, err error) outcome {
	if err != nil {
		o := outcome{Err: err.Error(), Invalid: errors.Is(err, notify.ErrInvalidSignature), Malformed: errors.Is(err, notify.ErrMalformedNotification)}
		var se *evidence.SignatureError
		if errors.As(err, &se) {
			o.Header = se.Header
		}
		return o
	}
	return outcome{Key: n.IdempotencyKey(), Raw: string(n.Raw), Func: string(n.Func), Data: fmt.Sprintf("%+v", n.Data)}
}

// message is a notification as delivered: headers and raw body.
type message struct {
	name       string
	hash, sign string
	body       []byte
	accepted   bool
}

// verifiers are the three ways to a verifier of one app: the root
// package's constructor, a Client's own, and package notify's.
func verifiers(t *testing.T, root []evidence.Option, client []evidence.Option, own []notify.Option) map[string]*notify.Verifier {
	t.Helper()
	rv, err := evidence.NewNotificationVerifier(root...)
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.NewClient(client...)
	if err != nil {
		t.Fatal(err)
	}
	cv, err := c.NotificationVerifier()
	if err != nil {
		t.Fatal(err)
	}
	nv, err := notify.NewVerifier(own...)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*notify.Verifier{"evidence.NewNotificationVerifier": rv, "Client.NotificationVerifier": cv, "notify.NewVerifier": nv}
}

// sameVerdicts checks that every verifier, through notify.Parse and through
// ParseNotification, makes of each message what notify's own verifier
// makes of it, and that it accepts the genuine ones and refuses the
// others.
func sameVerdicts(t *testing.T, vs map[string]*notify.Verifier, msgs []message) {
	t.Helper()
	ctx := context.Background()
	for _, m := range msgs {
		h := http.Header{"Decshash": {m.hash}}
		if m.sign != "" {
			h.Set("Decssign", m.sign)
		}
		n, err := notify.Parse(ctx, vs["notify.NewVerifier"], h, m.body)
		if (err == nil) != m.accepted {
			t.Errorf("%s: notify.Parse = %v; want accepted %v", m.name, err, m.accepted)
		}
		want := outcomeOf(n, err)
		for name, v := range vs {
			n, err := notify.Parse(ctx, v, h, m.body)
			if d := cmp.Diff(want, outcomeOf(n, err)); d != "" {
				t.Errorf("%s: notify.Parse with the %s verifier (-notify's +got):\n%s", m.name, name, d)
			}
			n, err = evidence.ParseNotification(ctx, v, h, m.body)
			if d := cmp.Diff(want, outcomeOf(n, err)); d != "" {
				t.Errorf("%s: ParseNotification with the %s verifier (-notify's +got):\n%s", m.name, name, d)
			}
		}
	}
}

// TestNotifyRootVerifiersAgree: a verifier built by the root package (its
// constructor or a Client) and one built by package notify accept the
// same notifications, with the same typed view and idempotency key, and
// refuse the same tampered ones with the same error: the fake's output in
// both suites, and the docs' published DECSHASH and DECSSIGN samples.
func TestNotifyRootVerifiersAgree(t *testing.T) {
	t.Parallel()
	forgerPEM, err := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	if err != nil {
		t.Fatal(err)
	}
	forger, err := keys.ParseRSAPrivateKey(forgerPEM)
	if err != nil {
		t.Fatal(err)
	}
	signWith := func(k *rsa.PrivateKey, text string) string {
		sum := sha256.Sum256([]byte(text))
		sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
		return base64.StdEncoding.EncodeToString(sig)
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv, err := evidencetest.NewServer(s.fake...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			vs := verifiers(t,
				[]evidence.Option{evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithSuite(s.suite)},
				[]evidence.Option{evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithSuite(s.suite),
					evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL)},
				[]notify.Option{notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey), notify.WithSuite(s.suite)})
			body, hash, sig := srv.Notification(notify.FuncDaUserAuthorized, map[string]any{"daId": "DA1", "bizNo": "B1", "site": "app-tax-income",
				"daStatus": 10, "authorizedTs": 1700000000000, "fileUrlList": []string{"https://cos.example/DA1_app-tax-income_income1.html"},
				"ext": map[string]any{"fileKey": srv.FileKey(), "childDaList": []map[string]string{{"daId": "DA1C", "daStatus": "10"}}}})
			rep := func(old, new string) []byte {
				b := bytes.Replace(body, []byte(old), []byte(new), 1)
				if bytes.Equal(b, body) {
					t.Fatalf("%q is not in the body", old)
				}
				return b
			}
			noFunc, noFuncHash, noFuncSig := srv.Notification("", map[string]any{"daId": "DA2"})
			sameVerdicts(t, vs, []message{
				{name: "genuine", hash: hash, sign: sig, body: body, accepted: true},
				{name: "members reordered", hash: hash, sign: sig, body: rep(`"func":"daUserAuthorized","v":"2.0.0"`, `"v":"2.0.0","func":"daUserAuthorized"`), accepted: true},
				{name: "DECSHASH in lowercase", hash: strings.ToLower(hash), sign: sig, body: body, accepted: true},
				{name: "byte flipped", hash: hash, sign: sig, body: rep(`"daStatus":10`, `"daStatus":11`)},
				{name: "DECSSIGN by another key", hash: hash, sign: signWith(forger, hash), body: body},
				{name: "no DECSSIGN", hash: hash, body: body},
				{name: "DECSHASH cut short", hash: hash[:40], sign: sig, body: body},
				{name: "DECSSIGN and DECSHASH of another body", hash: noFuncHash, sign: noFuncSig, body: body},
				{name: "verified, no func", hash: noFuncHash, sign: noFuncSig, body: noFunc},
			})
		})
	}
	t.Run("docs samples", func(t *testing.T) {
		t.Parallel()
		var v testvectors.DECSDocs
		if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
			t.Fatal(err)
		}
		// DECSHASH alone: the sample body verifies (it is a request, so it
		// has no func: malformed as a notification); changed, it does not.
		hashOnly := verifiers(t,
			[]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithInsecureNotificationHashOnly()},
			[]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithInsecureNotificationHashOnly(),
				evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)), evidence.WithBaseURL("https://decs.example.invalid")},
			[]notify.Option{notify.WithApp("IDAkEBvb", v.DECSHash.AppKey), notify.WithInsecureNotificationHashOnly()})
		sample := []byte(v.DECSHash.SortedJSON)
		sameVerdicts(t, hashOnly, []message{
			{name: "docs DECSHASH", hash: v.DECSHash.DECSHash, body: sample},
			{name: "docs DECSHASH, lowercase", hash: strings.ToLower(v.DECSHash.DECSHash), body: sample},
			{name: "docs DECSHASH, body changed", hash: v.DECSHash.DECSHash, body: bytes.Replace(sample, []byte("xxx"), []byte("xxy"), 1)},
		})
		if _, err := notify.Parse(context.Background(), hashOnly["notify.NewVerifier"], http.Header{"Decshash": {v.DECSHash.DECSHash}}, sample); !errors.Is(err, notify.ErrMalformedNotification) {
			t.Errorf("docs DECSHASH sample: %v; want it verified, then malformed (no func)", err)
		}
		// DECSSIGN: the sample signature verifies under the sample key (so
		// the DECSHASH check is the one that fails, the body being another);
		// damaged, DECSSIGN fails.
		signed := verifiers(t,
			[]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithNotifyPublicKey([]byte(v.NotifySign.PublicKeySPKIB64))},
			[]evidence.Option{evidence.WithApp("IDAkEBvb", v.DECSHash.AppKey), evidence.WithNotifyPublicKey([]byte(v.NotifySign.PublicKeySPKIB64)),
				evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)), evidence.WithBaseURL("https://decs.example.invalid")},
			[]notify.Option{notify.WithApp("IDAkEBvb", v.DECSHash.AppKey), notify.WithNotifyPublicKey([]byte(v.NotifySign.PublicKeySPKIB64))})
		damaged := strings.Replace(v.NotifySign.DECSSignB64, "+", " ", 1)
		sameVerdicts(t, signed, []message{
			{name: "docs DECSSIGN", hash: v.NotifySign.DECSHash, sign: v.NotifySign.DECSSignB64, body: sample},
			{name: "docs DECSSIGN, '+' as space", hash: v.NotifySign.DECSHash, sign: damaged, body: sample},
		})
		ctx := context.Background()
		for sign, want := range map[string]string{v.NotifySign.DECSSignB64: "DECSHASH", damaged: "DECSSIGN"} {
			_, err := notify.Parse(ctx, signed["notify.NewVerifier"], http.Header{"Decshash": {v.NotifySign.DECSHash}, "Decssign": {sign}}, sample)
			var se *notify.SignatureError
			if !errors.As(err, &se) || se.Header != want {
				t.Errorf("docs DECSSIGN sample: %v; want a SignatureError of %s", err, want)
			}
		}
	})
}

// TestNotifySignatureErrorShared: the trust errors are one set of values
// and types: a refusal from package notify and one from the client's own
// verifier through the root package both match evidence.ErrInvalidSignature
// and notify.ErrInvalidSignature and are an *evidence.SignatureError (which
// is *notify.SignatureError), with its diagnosis.
func TestNotifySignatureErrorShared(t *testing.T) {
	t.Parallel()
	if !errors.Is(evidence.ErrInvalidSignature, notify.ErrInvalidSignature) || !errors.Is(evidence.ErrMalformedNotification, notify.ErrMalformedNotification) ||
		!errors.Is(evidence.ErrContentType, notify.ErrContentType) {
		t.Fatal("the root package's trust errors are not notify's values")
	}
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL), evidence.WithDiagnostics())
	if err != nil {
		t.Fatal(err)
	}
	cv, err := c.NotificationVerifier()
	if err != nil {
		t.Fatal(err)
	}
	nv, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey), notify.WithDiagnostics())
	if err != nil {
		t.Fatal(err)
	}
	body, hash, _ := srv.Notification(notify.FuncDaFailed, map[string]any{"daId": "DA1", "daStatus": 25})
	// The integrator's own key signed: the reversed-key-role diagnosis
	// needs the private key, which the Client has and WithPrivateKey gives.
	own, err := keys.ParseRSAPrivateKey(srv.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(hash))
	raw, _ := rsa.SignPKCS1v15(rand.Reader, own, crypto.SHA256, sum[:])
	h := http.Header{"Decshash": {hash}, "Decssign": {base64.StdEncoding.EncodeToString(raw)}}
	nvOwn, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey), notify.WithDiagnostics(),
		notify.WithPrivateKey(srv.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, tc := range map[string]struct {
		err      error
		reversed bool // the role comparison could be made
	}{
		"notify.Parse":                          {func() error { _, err := notify.Parse(ctx, nv, h, body); return err }(), false},
		"notify.Parse, WithPrivateKey":          {func() error { _, err := notify.Parse(ctx, nvOwn, h, body); return err }(), true},
		"ParseNotification, the Client's":       {func() error { _, err := evidence.ParseNotification(ctx, cv, h, body); return err }(), true},
		"notify.Parse with the Client's":        {func() error { _, err := notify.Parse(ctx, cv, h, body); return err }(), true},
		"ParseNotification with notify's":       {func() error { _, err := evidence.ParseNotification(ctx, nv, h, body); return err }(), false},
		"ParseNotification, WithPrivateKey's":   {func() error { _, err := evidence.ParseNotification(ctx, nvOwn, h, body); return err }(), true},
		"notify.Parse, the Client's, wrapped":   {fmt.Errorf("host: %w", func() error { _, err := notify.Parse(ctx, cv, h, body); return err }()), true},
		"ParseNotification, notify's, wrapped":  {fmt.Errorf("host: %w", func() error { _, err := evidence.ParseNotification(ctx, nv, h, body); return err }()), false},
		"notify.Parse, WithPrivateKey, wrapped": {fmt.Errorf("host: %w", func() error { _, err := notify.Parse(ctx, nvOwn, h, body); return err }()), true},
	} {
		var se *evidence.SignatureError
		var nse *notify.SignatureError
		if !errors.As(tc.err, &se) || !errors.As(tc.err, &nse) || se != nse ||
			!errors.Is(tc.err, evidence.ErrInvalidSignature) || !errors.Is(tc.err, notify.ErrInvalidSignature) {
			t.Errorf("%s: %v; want an *evidence.SignatureError (the *notify.SignatureError) matching ErrInvalidSignature", name, tc.err)
			continue
		}
		d, ok := se.Diagnosis()
		if se.Header != "DECSSIGN" || !ok || d.Has(evidence.CauseReversedKey) != tc.reversed || d.Has(notify.CauseReversedKey) != tc.reversed {
			t.Errorf("%s: header %s, diagnosis %v: %s; want DECSSIGN, reversed-key-role %v", name, se.Header, ok, d, tc.reversed)
		}
	}
}

// TestNotifyErrorTexts: through the root package every error text is the
// one it always was; through package notify the entry points are notify's
// names, and everything else reads the same.
func TestNotifyErrorTexts(t *testing.T) {
	t.Parallel()
	srv, err := evidencetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rv, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	nv, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fn := func(context.Context, *notify.Notification) error { return nil }
	body, hash, _ := srv.Notification(notify.FuncDaFailed, map[string]any{"daId": "DA1"})
	second := func(_ any, err error) error { return err }
	const appErr = "evidence: WithApp: appId must be 8 characters, got 3\nWithApp: appKey must be 64 bytes (as the docs give it), got 3"
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"NewNotificationVerifier()", second(evidence.NewNotificationVerifier()), "evidence: NewNotificationVerifier: missing WithApp, WithNotifyPublicKey"},
		{"notify.NewVerifier()", second(notify.NewVerifier()), "evidence: notify.NewVerifier: missing WithApp, WithNotifyPublicKey"},
		{"NewNotificationVerifier(hash only)", second(evidence.NewNotificationVerifier(evidence.WithInsecureNotificationHashOnly())), "evidence: NewNotificationVerifier: missing WithApp"},
		{"notify.NewVerifier(WithApp)", second(notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey))), "evidence: notify.NewVerifier: missing WithNotifyPublicKey"},
		{"NewNotificationVerifier(bad WithApp)", second(evidence.NewNotificationVerifier(evidence.WithApp("abc", "key"))), appErr},
		{"notify.NewVerifier(bad WithApp)", second(notify.NewVerifier(notify.WithApp("abc", "key"))), appErr},
		{"NewNotificationVerifier(options)", second(evidence.NewNotificationVerifier(nil, evidence.WithSuite(7), evidence.WithLogger(nil), evidence.WithNotifyPublicKey())),
			"evidence: nil Option\nWithSuite(7): unknown suite\nWithLogger(nil)\nWithNotifyPublicKey: no key"},
		{"notify.NewVerifier(options)", second(notify.NewVerifier(nil, notify.WithSuite(7), notify.WithLogger(nil), notify.WithNotifyPublicKey())),
			"evidence: nil Option\nWithSuite(7): unknown suite\nWithLogger(nil)\nWithNotifyPublicKey: no key"},
		{"NewNotificationVerifier(bad key)", second(evidence.NewNotificationVerifier(evidence.WithNotifyPublicKey([]byte("junk")))),
			second(notify.NewVerifier(notify.WithNotifyPublicKey([]byte("junk")))).Error()},
		{"NewNotificationVerifier(bad private key)", second(evidence.NewNotificationVerifier(evidence.WithPrivateKey([]byte("junk")))),
			second(notify.NewVerifier(notify.WithPrivateKey([]byte("junk")))).Error()},
		{"ParseNotification(nil)", second(evidence.ParseNotification(ctx, nil, nil, body)), "evidence: ParseNotification: no verifier (use NewNotificationVerifier)"},
		{"ParseNotification(zero)", second(evidence.ParseNotification(ctx, &evidence.NotificationVerifier{}, nil, body)), "evidence: ParseNotification: no verifier (use NewNotificationVerifier)"},
		{"notify.Parse(nil)", second(notify.Parse(ctx, nil, nil, body)), "evidence: notify.Parse: no verifier (use notify.NewVerifier)"},
		{"notify.Parse(zero)", second(notify.Parse(ctx, &notify.Verifier{}, nil, body)), "evidence: notify.Parse: no verifier (use notify.NewVerifier)"},
		{"NewNotificationHandler(nil)", second(evidence.NewNotificationHandler(nil, fn)), "evidence: NewNotificationHandler: no verifier (use NewNotificationVerifier)"},
		{"NewNotificationHandler(zero)", second(evidence.NewNotificationHandler(&evidence.NotificationVerifier{}, fn)), "evidence: NewNotificationHandler: no verifier (use NewNotificationVerifier)"},
		{"notify.NewHandler(nil)", second(notify.NewHandler(nil, fn)), "evidence: notify.NewHandler: no verifier (use notify.NewVerifier)"},
		{"NewNotificationHandler(v, nil)", second(evidence.NewNotificationHandler(rv, nil)), "evidence: NewNotificationHandler: nil NotificationFunc"},
		{"notify.NewHandler(v, nil)", second(notify.NewHandler(nv, nil)), "evidence: notify.NewHandler: nil NotificationFunc"},
		{"NewNotificationHandler(options)", second(evidence.NewNotificationHandler(rv, fn, evidence.WithMaxBodyBytes(-1), nil, evidence.WithDedupStore(nil))),
			"evidence: NewNotificationHandler: WithMaxBodyBytes(-1): want a positive size\nnil HandlerOption\nWithDedupStore(nil): use WithoutDedup to turn deduplication off"},
		{"notify.NewHandler(options)", second(notify.NewHandler(nv, fn, notify.WithMaxBodyBytes(-1), nil, notify.WithDedupStore(nil))),
			"evidence: notify.NewHandler: WithMaxBodyBytes(-1): want a positive size\nnil HandlerOption\nWithDedupStore(nil): use WithoutDedup to turn deduplication off"},
		{"Client.NotificationVerifier", second(c.NotificationVerifier()), "evidence: NotificationVerifier: missing WithNotifyPublicKey"},
		{"ParseNotification(no DECSSIGN)", second(evidence.ParseNotification(ctx, rv, http.Header{"Decshash": {hash}}, body)), "evidence: invalid signature: DECSSIGN missing or not base64"},
		{"notify.Parse(no DECSSIGN)", second(notify.Parse(ctx, nv, http.Header{"Decshash": {hash}}, body)), "evidence: invalid signature: DECSSIGN missing or not base64"},
		{"notify.Parse(no DECSHASH)", second(notify.Parse(ctx, nv, nil, body)), "evidence: invalid signature: DECSHASH missing or of the wrong length"},
		{"ErrMalformedNotification", notify.ErrMalformedNotification, "evidence: malformed notification"},
		{"ErrContentType", notify.ErrContentType, "evidence: notification content type is not JSON"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s = %v; want %q", tc.name, tc.err, tc.want)
		}
	}
}
