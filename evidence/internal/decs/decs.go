// Package decs is what the evidence client (the root package) and package
// notify share, so that each is written once: the DECSHASH, the
// configuration a notification verifier is built from and the setters of
// the options both packages offer under the same names, and a few helpers
// of the wire (decode error texts, millisecond times, URL and secret
// masking). It is importable by the evidence module only; no public API
// names a type of it.
//
// The one seam between the two packages is small:
//
//   - NewVerifier builds a *notify.Verifier from the root package's
//     configuration (parsed keys, not PEM). Package notify sets it in an
//     init func; the root package calls it from NewNotificationVerifier
//     and NewClient. A verifier carries the Names of the package that
//     built it, so the errors of a verifier built by the root package
//     name the root package's functions, as they always did.
//   - ErrNoVerifier is wrapped by the error notify.Parse and
//     notify.NewHandler return for a nil or zero Verifier; the root
//     package turns it into its own text (Names.NoVerifier).
//
// The client needs no constructor of notify.SignatureError: DECS answers
// carry no signature, so only notifications have a signature error.
package decs

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/tjfoc/gmsm/sm2"

	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// Config is what verifying a notification takes. The root package's
// configuration embeds it (the Client signs with the same appKey, unwraps
// the field key with the same private key and logs to the same logger);
// package notify's is it.
type Config struct {
	AppID, AppKey string
	SM            bool // SuiteSM: DECSHASH is HMAC-SM3
	RSAPriv       *rsa.PrivateKey
	SM2Priv       *sm2.PrivateKey
	NotifyPubs    []*rsa.PublicKey
	HashOnly      bool // WithInsecureNotificationHashOnly
	Diagnostics   bool // WithDiagnostics
	Log           *slog.Logger
}

// SetApp is WithApp: appId of 8 characters and an appKey of keyLen bytes
// (notify.AppKeyLength), every fault at once, never the key in the text.
func (c *Config) SetApp(appID, appKey string, keyLen int) error {
	var errs []error
	if len(appID) != 8 {
		errs = append(errs, fmt.Errorf("WithApp: appId must be 8 characters, got %d", len(appID)))
	}
	if len(appKey) != keyLen {
		errs = append(errs, fmt.Errorf("WithApp: appKey must be %d bytes (as the docs give it), got %d", keyLen, len(appKey)))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	c.AppID, c.AppKey = appID, appKey
	return nil
}

// SetPrivateKey is WithPrivateKey: an RSA key, else an SM2 one.
func (c *Config) SetPrivateKey(pem []byte) error {
	if k, err := keys.ParseRSAPrivateKey(pem); err == nil {
		c.RSAPriv = k
		return nil
	}
	k, err := gm.ParseSM2PrivateKey(pem)
	if err != nil {
		return fmt.Errorf("WithPrivateKey: neither RSA nor SM2: %w", err)
	}
	c.SM2Priv = k
	return nil
}

// AddNotifyPublicKeys is WithNotifyPublicKey.
func (c *Config) AddNotifyPublicKeys(pems [][]byte) error {
	if len(pems) == 0 {
		return errors.New("WithNotifyPublicKey: no key")
	}
	for i, p := range pems {
		k, err := keys.ParseRSAPublicKey(p)
		if err != nil {
			return fmt.Errorf("WithNotifyPublicKey: key %d: %w", i, err)
		}
		c.NotifyPubs = append(c.NotifyPubs, k)
	}
	return nil
}

// SetSuite is WithSuite; s is a notify.Suite's value (0 SuiteRSA, 1
// SuiteSM).
func (c *Config) SetSuite(s int) error {
	if s != 0 && s != 1 {
		return fmt.Errorf("WithSuite(%d): unknown suite", s)
	}
	c.SM = s == 1
	return nil
}

// SetLogger is WithLogger.
func (c *Config) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New("WithLogger(nil)")
	}
	c.Log = l
	return nil
}

// Check reports, as op's error, what a verifier lacks: the app
// (WithApp) or a notify key (WithNotifyPublicKey) unless DECSHASH alone
// is accepted.
func (c *Config) Check(op string) error {
	var missing []string
	if c.AppID == "" {
		missing = append(missing, "WithApp")
	}
	if len(c.NotifyPubs) == 0 && !c.HashOnly {
		missing = append(missing, "WithNotifyPublicKey")
	}
	if len(missing) > 0 {
		return fmt.Errorf("evidence: %s: missing %s", op, strings.Join(missing, ", "))
	}
	return nil
}

// Apply applies every option to c and reports every failure at once,
// prefixed "evidence: "; a nil option is one.
func Apply[C any, O ~func(*C) error](c *C, opts []O) error {
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, errors.New("nil Option"))
			continue
		}
		if err := o(c); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("evidence: %w", err)
	}
	return nil
}

// NewMAC is the DECSHASH function of c's suite, keyed with the appKey.
func NewMAC(c Config) *sign.HMAC {
	if c.SM {
		return gm.NewHMACSM3([]byte(c.AppKey))
	}
	return sign.NewHMACSHA256([]byte(c.AppKey))
}

// Hash returns the DECSHASH of a body: uppercase hex of
// HMAC(appKey, sortedJSON(body) + appKey).
func Hash(mac *sign.HMAC, appKey string, sorted []byte) string {
	h := mac.New()
	h.Write(sorted)
	h.Write([]byte(appKey))
	var sum [64]byte
	hx := sign.AppendUpperHex(make([]byte, 0, 2*len(sum)), h.Sum(sum[:0]))
	mac.Release(h)
	return string(hx)
}

// Names are the entry points that the errors of a verifier name: the
// root package's or package notify's.
type Names struct {
	Verifier string // the constructor: "NewNotificationVerifier"
	Parse    string // "ParseNotification"
	Handler  string // "NewNotificationHandler"
}

// NewVerifier returns a *notify.Verifier built from c (which Check
// accepted) whose errors name n. Package notify sets it in an init func.
var NewVerifier func(c Config, n Names) any

// ErrNoVerifier is what the error of a callback entry point given a nil or
// zero verifier wraps.
var ErrNoVerifier = errors.New("no verifier")

// NoVerifier is the error of the entry point op given a nil or zero
// verifier.
func (n Names) NoVerifier(op string) error {
	return fmt.Errorf("evidence: %s: %w (use %s)", op, ErrNoVerifier, n.Verifier)
}

// Renamed returns err with the text n gives it when err is another
// package's ErrNoVerifier error of op, else err.
func (n Names) Renamed(err error, op string) error {
	if errors.Is(err, ErrNoVerifier) {
		return n.NoVerifier(op)
	}
	return err
}
