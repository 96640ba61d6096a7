package levy_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/bizapi-cn/go-sdk/internal/sign"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// Issue #20 item 2: package levy's callback names are levy/notify's. A
// verifier built either way accepts and refuses the same messages, with
// the same results, errors and diagnoses; the trust errors match across
// both packages, a Client's included; the root's error texts are as they
// were.

// kmsVerifier is a host's Verifier (HMAC with the secret, as a KMS would).
type kmsVerifier struct{ mac *sign.HMAC }

func (k kmsVerifier) Verify(ctx context.Context, msg, sig []byte) error {
	return k.mac.Verify(ctx, msg, sig)
}

// message is a notification body and whether it is genuine.
type message struct {
	name    string
	secret  string
	body    []byte
	genuine bool
}

// callbackMessages are the shared vector's envelopes sent as
// notifications and the fake's notifications, each genuine and damaged.
func callbackMessages(t *testing.T, srv *levytest.Server) []message {
	t.Helper()
	var ms []message
	add := func(name, secret, req, sig string) {
		ms = append(ms,
			message{name, secret, notificationForm(req, sig), true},
			message{name + "/req changed", secret, notificationForm(strings.Replace(req, `"`, ` "`, 1), sig), false},
			message{name + "/other secret", secret, notificationForm(req, hmacB64(secret+"x", req)), false},
			message{name + "/hex sign", secret, notificationForm(req, hexOf(t, sig)), false},
			message{name + "/no sign", secret, notificationForm(req, ""), false},
		)
		// A body handed over URL-decoded is damaged unless req and sign
		// read back the same.
		decoded := []byte("req=" + req + "&sign=" + plusToSpace(sig))
		f, err := url.ParseQuery(string(decoded))
		ms = append(ms, message{name + "/decoded twice", secret, decoded, err == nil && f.Get("req") == req && f.Get("sign") == sig})
	}
	for i, r := range levyVectors(t).Requests {
		add("vector "+string(rune('0'+i)), vectorSecret, r.Req, r.Sign)
	}
	for _, b := range [][]byte{
		srv.SignNotification("CREATE_ORDER_V2", map[string]any{"request_id": "R1", "status": "CLOSE",
			"remit_order_list": []map[string]any{{"order_id": "RO1", "tax_agent_location_id": 101, "amount": "10.00"}}}),
		srv.SignNotification("CLOSE_ORDER_NOTICE", map[string]any{"request_id": "R1", "remit_status": "CLOSE", "tax_agent_location_id": ""}),
		srv.SignNotificationWithCode("SIGN_UP", "1010", "信息鉴权未通过", nil),
	} {
		req, sig := formParts(t, b)
		add("fake "+req[:30], srv.Secret, req, sig)
	}
	return append(ms,
		message{"not a form", srv.Secret, []byte("%zz"), false},
		message{"two reqs", srv.Secret, []byte("req=a&req=b&sign=c"), false})
}

// verifierPair builds a root verifier and a notify one of the same
// configuration for secret.
type verifierPair struct {
	name string
	root func(secret string) (*levy.NotificationVerifier, error)
	nv   func(secret string) (*notify.Verifier, error)
}

func verifierPairs() []verifierPair {
	const key = "dawjoj12d123faiw"
	client := func(extra func(secret string) []levy.Option) func(string) (*levy.NotificationVerifier, error) {
		return func(secret string) (*levy.NotificationVerifier, error) {
			c, err := levy.NewClient(append([]levy.Option{levy.WithCredentials(key, secret), levy.WithBaseURL(levy.TestBaseURL)}, extra(secret)...)...)
			if err != nil {
				return nil, err
			}
			return c.NotificationVerifier(), nil
		}
	}
	return []verifierPair{
		{"secret",
			func(s string) (*levy.NotificationVerifier, error) {
				return levy.NewNotificationVerifier(levy.WithCredentials(key, s))
			},
			func(s string) (*notify.Verifier, error) { return notify.NewVerifier(notify.WithCredentials(key, s)) }},
		{"secret, diagnostics",
			func(s string) (*levy.NotificationVerifier, error) {
				return levy.NewNotificationVerifier(levy.WithCredentials(key, s), levy.WithDiagnostics(), levy.WithTimeout(1))
			},
			func(s string) (*notify.Verifier, error) {
				return notify.NewVerifier(notify.WithCredentials(key, s), notify.WithDiagnostics())
			}},
		{"client's, diagnostics", client(func(string) []levy.Option { return []levy.Option{levy.WithDiagnostics()} }),
			func(s string) (*notify.Verifier, error) {
				return notify.NewVerifier(notify.WithCredentials(key, s), notify.WithDiagnostics())
			}},
		{"host's verifier, diagnostics",
			func(s string) (*levy.NotificationVerifier, error) {
				return levy.NewNotificationVerifier(levy.WithClientKey(key), levy.WithVerifier(kmsVerifier{sign.NewHMACSHA256([]byte(s))}), levy.WithDiagnostics())
			},
			func(s string) (*notify.Verifier, error) {
				return notify.NewVerifier(notify.WithClientKey(key), notify.WithVerifier(kmsVerifier{sign.NewHMACSHA256([]byte(s))}), notify.WithDiagnostics())
			}},
		{"client's with a host's verifier, diagnostics",
			client(func(s string) []levy.Option {
				return []levy.Option{levy.WithVerifier(kmsVerifier{sign.NewHMACSHA256([]byte(s))}), levy.WithDiagnostics()}
			}),
			func(s string) (*notify.Verifier, error) {
				return notify.NewVerifier(notify.WithCredentials(key, s), notify.WithVerifier(kmsVerifier{sign.NewHMACSHA256([]byte(s))}), notify.WithDiagnostics())
			}},
	}
}

// outcome is what a parse gave, comparable across the packages.
type outcome struct {
	N         *levy.Notification
	Err       string
	Invalid   bool // errors.Is ErrInvalidSignature
	Malformed bool // errors.Is ErrMalformedNotification
	Diagnosis *levy.Diagnosis
}

func outcomeOf(n *levy.Notification, err error) outcome {
	o := outcome{N: n}
	if err != nil {
		o.Err, o.Invalid, o.Malformed = err.Error(), errors.Is(err, levy.ErrInvalidSignature), errors.Is(err, levy.ErrMalformedNotification)
		var se *notify.SignatureError
		if errors.As(err, &se) {
			if d, ok := se.Diagnosis(); ok {
				o.Diagnosis = &d
			}
		}
	}
	return o
}

// TestRootAndNotifyVerifiersAgree: the same messages give the same
// notifications, errors and diagnoses through levy.ParseNotification and
// notify.Parse, whichever way the verifier was built; genuine ones are
// accepted, damaged ones refused.
func TestRootAndNotifyVerifiersAgree(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	opts := cmp.Options{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b levy.Notification) bool {
		return a.Operation == b.Operation && a.Code == b.Code && a.Message == b.Message &&
			a.IdempotencyKey() == b.IdempotencyKey() && string(a.Raw) == string(b.Raw) && cmp.Equal(a.Data, b.Data)
	})}
	for _, p := range verifierPairs() {
		for _, m := range callbackMessages(t, srv) {
			root, err := p.root(m.secret)
			if err != nil {
				t.Fatalf("%s: root verifier: %v", p.name, err)
			}
			nv, err := p.nv(m.secret)
			if err != nil {
				t.Fatalf("%s: notify verifier: %v", p.name, err)
			}
			viaRoot := outcomeOf(levy.ParseNotification(t.Context(), root, h, m.body))
			viaNotify := outcomeOf(notify.Parse(t.Context(), nv, h, m.body))
			if diff := cmp.Diff(viaNotify, viaRoot, opts); diff != "" {
				t.Errorf("%s, %s: root and notify differ (-notify +root):\n%s", p.name, m.name, diff)
			}
			crossed := outcomeOf(notify.Parse(t.Context(), root, h, m.body))
			if diff := cmp.Diff(viaNotify, crossed, opts); diff != "" {
				t.Errorf("%s, %s: notify.Parse with the root's verifier differs (-notify +root's):\n%s", p.name, m.name, diff)
			}
			if accepted := viaNotify.N != nil; accepted != m.genuine {
				t.Errorf("%s, %s: accepted = %v (%s); want %v", p.name, m.name, accepted, viaNotify.Err, m.genuine)
			}
			if diagnosed := viaNotify.Diagnosis != nil; diagnosed != (viaNotify.Invalid && strings.Contains(p.name, "diagnostics")) {
				t.Errorf("%s, %s: diagnosed = %v for %q", p.name, m.name, diagnosed, viaNotify.Err)
			}
		}
	}
}

// TestSignatureErrorAcrossPackages: one SignatureError type and one
// ErrInvalidSignature value serve notify, the root's wrappers and the
// client's answers.
func TestSignatureErrorAcrossPackages(t *testing.T) {
	t.Parallel()
	if !errors.Is(levy.ErrInvalidSignature, notify.ErrInvalidSignature) || !errors.Is(levy.ErrMalformedNotification, notify.ErrMalformedNotification) {
		t.Fatal("the root's trust sentinels are not notify's values")
	}
	srv := newFake(t)
	body := srv.SignNotification("SYNC_SIGN", map[string]any{"request_id": "S1", "status": "SIGN"})
	req, sig := formParts(t, body)
	forged := notificationForm(strings.Replace(req, "S1", "S2", 1), sig)

	nv, err := notify.NewVerifier(notify.WithCredentials(srv.ClientKey, srv.Secret), notify.WithDiagnostics())
	if err != nil {
		t.Fatal(err)
	}
	_, fromNotify := notify.Parse(t.Context(), nv, nil, forged)
	var se *levy.SignatureError
	if !errors.As(fromNotify, &se) || !errors.Is(fromNotify, levy.ErrInvalidSignature) || se.Operation != "" {
		t.Errorf("notify.Parse of a forgery = %v; want a *levy.SignatureError for a notification", fromNotify)
	}
	if _, ok := se.Diagnosis(); !ok {
		t.Error("notify's SignatureError under WithDiagnostics has no diagnosis")
	}

	for _, diagnose := range []bool{false, true} {
		opts := []levy.Option{levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL), levy.WithRetries(0)}
		if diagnose {
			opts = append(opts, levy.WithDiagnostics())
		}
		c, err := levy.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		srv.Inject(levytest.Fault{Kind: levytest.FaultBadSignature})
		_, fromClient := c.QueryOrder(t.Context(), &levy.QueryOrderRequest{RequestID: "R1"})
		var nse *notify.SignatureError
		if !errors.As(fromClient, &nse) || !errors.Is(fromClient, notify.ErrInvalidSignature) ||
			nse.Operation != notify.OperationQueryOrder || nse.StatusCode != http.StatusOK {
			t.Fatalf("QueryOrder of a badly signed answer = %v; want a *notify.SignatureError of QUERY_ORDER_V2, HTTP 200", fromClient)
		}
		d, ok := nse.Diagnosis()
		if ok != diagnose || (diagnose && (len(d.KeysTried) != 1 || !strings.HasPrefix(d.KeysTried[0], "secret "))) {
			t.Errorf("diagnostics %v: Diagnosis() = %+v, %v", diagnose, d, ok)
		}
	}
}

// TestCallbackErrorTexts: the root's texts name the root's functions,
// byte for byte as before levy/notify; notify's name its own.
func TestCallbackErrorTexts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fn := func(context.Context, *levy.Notification) error { return nil }
	good, err := levy.NewNotificationVerifier(levy.WithCredentials("k", "s"))
	if err != nil {
		t.Fatal(err)
	}
	copied := *good
	if _, err := levy.ParseNotification(ctx, &copied, nil, []byte("req=%7B%7D&sign=AA%3D%3D")); !errors.Is(err, levy.ErrInvalidSignature) {
		t.Errorf("a copy of a verifier is refused as unmade: %v", err)
	}
	errText := func(err error) string {
		if err == nil {
			return "<nil>"
		}
		return err.Error()
	}
	second := func(_ any, err error) error { return err }
	for _, c := range []struct{ got, want string }{
		{errText(second(levy.NewNotificationVerifier())), "levy: NewNotificationVerifier: missing WithCredentials or WithClientKey, WithVerifier"},
		{errText(second(levy.NewNotificationVerifier(levy.WithClientKey("k")))), "levy: NewNotificationVerifier: missing WithVerifier"},
		{errText(second(levy.NewNotificationVerifier(levy.WithCredentials("", ""), nil))), "levy: NewNotificationVerifier: WithCredentials: client key and secret must not be empty\nnil Option"},
		{errText(second(levy.NewNotificationVerifier(levy.WithVerifier(nil), levy.WithBaseURL("x")))), "levy: NewNotificationVerifier: WithVerifier(nil)\nWithBaseURL: want an absolute http(s) URL"},
		{errText(second(levy.ParseNotification(ctx, nil, nil, nil))), "levy: ParseNotification: the verifier was not made by NewNotificationVerifier"},
		{errText(second(levy.ParseNotification(ctx, &levy.NotificationVerifier{}, nil, nil))), "levy: ParseNotification: the verifier was not made by NewNotificationVerifier"},
		{errText(second(levy.ParseNotification(ctx, (&levy.Client{}).NotificationVerifier(), nil, nil))), "levy: ParseNotification: the verifier was not made by NewNotificationVerifier"},
		{errText(second(levy.NewNotificationHandler(&levy.NotificationVerifier{}, fn))), "levy: NewNotificationHandler: nil function, or a verifier not made by NewNotificationVerifier"},
		{errText(second(levy.NewNotificationHandler(good, nil))), "levy: NewNotificationHandler: nil function, or a verifier not made by NewNotificationVerifier"},
		{errText(second(levy.NewNotificationHandler(good, fn, levy.WithMaxBodyBytes(0), nil))), "levy: NewNotificationHandler: WithMaxBodyBytes(0): want a positive size\nnil HandlerOption"},
		{errText(second(levy.NewNotificationHandler(good, fn, levy.WithDedupStore(nil)))), "levy: NewNotificationHandler: WithDedupStore(nil): use WithoutDedup to turn deduplication off"},

		{errText(second(notify.NewVerifier())), "levy: notify.NewVerifier: missing WithCredentials or WithClientKey, WithVerifier"},
		{errText(second(notify.NewVerifier(notify.WithLogger(nil), nil))), "levy: notify.NewVerifier: WithLogger(nil): leave it out to log nothing\nnil Option"},
		{errText(second(notify.Parse(ctx, &notify.Verifier{}, nil, nil))), "levy: notify.Parse: the verifier was not made by notify.NewVerifier"},
		{errText(second(notify.NewHandler(nil, func(context.Context, *notify.Notification) error { return nil }))), "levy: notify.NewHandler: nil function, or a verifier not made by notify.NewVerifier"},
		{errText(second(notify.NewHandler(good, fn, notify.WithReadTimeout(0)))), "levy: notify.NewHandler: WithReadTimeout(0s): want a positive duration"},
	} {
		if c.got != c.want {
			t.Errorf("error\n%s\nwant\n%s", c.got, c.want)
		}
	}
	// The notification's own errors are the same through either package.
	if _, err := notify.Parse(ctx, good, http.Header{"Content-Type": {"text/plain"}}, nil); errText(err) != `levy: malformed notification: content type "text/plain"` {
		t.Errorf("wrong content type: %v", err)
	}
	if _, err := levy.ParseNotification(ctx, good, nil, []byte(url.Values{"req": {`{"name":"X","name":"Y"}`}, "sign": {hmacB64("s", `{"name":"X","name":"Y"}`)}}.Encode())); errText(err) != "levy: malformed notification: a member appears twice, or in two cases" {
		t.Errorf("ambiguous members: %v", err)
	}
}
