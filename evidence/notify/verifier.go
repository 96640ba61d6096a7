package notify

import (
	"log/slog"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// Suite is the crypto suite. A notification needs only its DECSHASH
// function; the field cipher and key wrap are the client's.
type Suite int

// Suites.
const (
	// SuiteRSA: HMAC-SHA256 DECSHASH, AES-128-ECB fields, RSA-wrapped key
	// (the current docs).
	SuiteRSA Suite = iota
	// SuiteSM: HMAC-SM3 DECSHASH, SM4-ECB fields, SM2-wrapped key, as the
	// seed's §11 describes it. The current public docs no longer have it.
	SuiteSM
)

// AppKeyLength is the appKey's length the docs give (en main.md 1.2.4:
// "Note: The length of the appKey is 64 bytes.").
const AppKeyLength = 64

// Option configures a Verifier.
type Option func(*config) error

type config struct{ decs.Config }

// WithApp sets the appId (8 characters, the docs' auth.appId length) and
// the appKey the operator issued (AppKeyLength bytes). Anything else is
// refused by NewVerifier with an error naming WithApp and the lengths
// (never the key): a truncated or padded key would only show later as
// every notification refused.
func WithApp(appID, appKey string) Option {
	return func(c *config) error { return c.SetApp(appID, appKey, AppKeyLength) }
}

// WithNotifyPublicKey adds the operator's public keys that sign
// notifications (DECSSIGN). Several may be given (or the option repeated):
// a notification verifies under any of them, so a key rotation needs no
// restart at a precise moment.
func WithNotifyPublicKey(pems ...[]byte) Option {
	return func(c *config) error { return c.AddNotifyPublicKeys(pems) }
}

// WithInsecureNotificationHashOnly accepts notifications on DECSHASH alone,
// without DECSSIGN. The docs call the signature check optional for
// integrators who were not given the operator's key; DECSHASH is a MAC
// under the appKey, so anyone holding the appKey (every process that calls
// the API) can forge a notification. Prefer WithNotifyPublicKey.
func WithInsecureNotificationHashOnly() Option {
	return func(c *config) error { c.HashOnly = true; return nil }
}

// WithSuite selects SuiteRSA (default) or SuiteSM: the DECSHASH function
// (HMAC-SHA256 or HMAC-SM3). DECSSIGN is SHA256withRSA in both.
func WithSuite(s Suite) Option {
	return func(c *config) error { return c.SetSuite(int(s)) }
}

// WithPrivateKey gives the integrator's own private key (RSA or SM2, PEM
// or base64, as the client takes it) for one thing only: with
// WithDiagnostics, a DECSSIGN that does not verify is compared with it, so
// that the diagnosis can tell a key given in the operator's role that is
// your own (reversed-key-role). Verification never uses it, and a receiver
// does not need it: without it the diagnosis says the role was not
// compared.
func WithPrivateKey(pem []byte) Option {
	return func(c *config) error { return c.SetPrivateKey(pem) }
}

// WithLogger logs the handler's refusals (and, with WithDiagnostics, their
// diagnosis); never keys or personal data.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithDiagnostics makes a failed DECSHASH or DECSSIGN check carry a
// diagnosis (SignatureError.Diagnosis): what took part and the likely
// cause. Off by default: the diagnosis tries variants of the notification
// (a fixed number, each linear in the body, which the body limit bounds),
// and that is work on unauthenticated input, for a developer finding a
// misconfiguration (in a test or staging), not for every forged request.
// It never makes a notification verify, and it holds no secret and no
// value of the body: every value is masked, keys are named by
// fingerprint. With it, NewHandler logs the diagnosis of a refused
// notification at Warn level (WithLogger).
func WithDiagnostics() Option {
	return func(c *config) error { c.Diagnostics = true; return nil }
}

// Verifier verifies notifications with exactly what that needs: the appKey
// (DECSHASH) and the operator's notify public key(s) (DECSSIGN); never the
// private key (WithPrivateKey only helps a diagnosis). It is safe for
// concurrent use.
type Verifier struct {
	cfg   decs.Config
	mac   *sign.HMAC
	names decs.Names // the entry points its errors name
}

// names are package notify's entry points, as its errors name them.
var names = decs.Names{Verifier: "notify.NewVerifier", Parse: "notify.Parse", Handler: "notify.NewHandler"}

func init() {
	decs.NewVerifier = func(c decs.Config, n decs.Names) any { return newVerifier(c, n) }
}

// NewVerifier returns a Verifier; it requires WithApp and
// WithNotifyPublicKey (or WithInsecureNotificationHashOnly).
func NewVerifier(opts ...Option) (*Verifier, error) {
	var cfg config
	if err := decs.Apply(&cfg, opts); err != nil {
		return nil, err
	}
	if err := cfg.Check(names.Verifier); err != nil {
		return nil, err
	}
	return newVerifier(cfg.Config, names), nil
}

func newVerifier(c decs.Config, n decs.Names) *Verifier {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Verifier{cfg: c, mac: decs.NewMAC(c), names: n}
}

// ready reports a Verifier built by NewVerifier (or the root package).
func (v *Verifier) ready() bool { return v != nil && v.mac != nil }
