package fieldset

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// Verifier checks a raw signature over a canonical string (the method of
// allinpay.Verifier, notify.SignatureVerifier).
type Verifier interface {
	Verify(ctx context.Context, msg, sig []byte) error
}

// Config is what verifying a received field set needs: the options of
// the same names in allinpay and notify set it through its methods (so
// that both validate alike, with the same texts), Finish completes it.
type Config struct {
	AccessCode, MchNo string           // WithMerchant
	Pubs              []*rsa.PublicKey // WithPlatformPublicKeys
	PEMs              [][]byte         // the keys as given to WithPlatformPublicKeys
	Custom            Verifier         // WithVerifier
	Log               *slog.Logger     // WithLogger; Finish: a discarding one
	Diagnostics       bool             // WithDiagnostics
	MerchantPub       *rsa.PublicKey   // WithDiagnosisMerchantPublicKey
	MerchantPEM       []byte           // the key as given to it

	// Set by Finish.
	V       Verifier // Custom, else any of Pubs; nil when neither is set
	Builtin bool     // V is any of Pubs
}

// SetMerchant is WithMerchant.
func (c *Config) SetMerchant(accessCode, mchNo string) error {
	if accessCode == "" || mchNo == "" {
		return errors.New("WithMerchant: access code and merchant number are required")
	}
	// §1.5.2.1: accessCode AN 20 (Allinpay assigns 8 digits), mchNo AS 30.
	if len(accessCode) > 20 || !alnum(accessCode) {
		return errors.New("WithMerchant: the access code is up to 20 letters and digits")
	}
	if len(mchNo) > 30 || !AS.Holds(mchNo) {
		return errors.New("WithMerchant: the merchant number is up to 30 " + AS.String())
	}
	c.AccessCode, c.MchNo = accessCode, mchNo
	return nil
}

// SetPlatformPublicKeys is WithPlatformPublicKeys.
func (c *Config) SetPlatformPublicKeys(pems ...[]byte) error {
	if len(pems) == 0 {
		return errors.New("WithPlatformPublicKeys: no key")
	}
	pubs := make([]*rsa.PublicKey, 0, len(pems))
	for i, p := range pems {
		pub, err := keys.ParseRSAPublicKey(p)
		if err != nil {
			return fmt.Errorf("WithPlatformPublicKeys: key %d: %w", i+1, err)
		}
		if pub.N.BitLen() < 2048 {
			return fmt.Errorf("WithPlatformPublicKeys: key %d has %d bits, the platform's have 2048", i+1, pub.N.BitLen())
		}
		pubs = append(pubs, pub)
	}
	c.Pubs = pubs
	c.PEMs = make([][]byte, len(pems))
	for i, p := range pems {
		c.PEMs[i] = append([]byte(nil), p...)
	}
	return nil
}

// SetVerifier is WithVerifier.
func (c *Config) SetVerifier(v Verifier) error {
	if v == nil {
		return errors.New("WithVerifier(nil)")
	}
	c.Custom = v
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

// SetDiagnosisMerchantPublicKey is WithDiagnosisMerchantPublicKey.
func (c *Config) SetDiagnosisMerchantPublicKey(pem []byte) error {
	pub, err := keys.ParseRSAPublicKey(pem)
	if err != nil {
		return fmt.Errorf("WithDiagnosisMerchantPublicKey: %w", err)
	}
	c.MerchantPub, c.MerchantPEM = pub, append([]byte(nil), pem...)
	return nil
}

// Finish sets V (a custom Verifier wins over the platform keys) and a
// discarding logger when none was given.
func (c *Config) Finish() {
	switch {
	case c.Custom != nil:
		c.V = c.Custom
	case len(c.Pubs) > 0:
		a := make(anyKey, len(c.Pubs))
		for i, p := range c.Pubs {
			a[i], _ = sign.NewRSAVerifier(p) // p is not nil
		}
		c.V, c.Builtin = a, true
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// errNoKey is anyKey's failure; every caller reads it as "does not
// verify".
var errNoKey = errors.New("allinpay: no platform key verifies the signature")

// anyKey verifies against any of the platform's keys.
type anyKey []*sign.RSAVerifier

func (a anyKey) Verify(ctx context.Context, msg, sig []byte) error {
	for _, v := range a {
		if v.Verify(ctx, msg, sig) == nil {
			return nil
		}
	}
	return errNoKey
}

// Diagnoser returns the diagnoser of c's keys, nil without
// WithDiagnostics. own is the merchant's public key when the caller knows
// it (a Client, from its private key); WithDiagnosisMerchantPublicKey's
// wins.
func (c *Config) Diagnoser(own *rsa.PublicKey) *Diagnoser {
	if !c.Diagnostics {
		return nil
	}
	d := &Diagnoser{own: c.MerchantPub, v: c.V}
	if d.own == nil {
		d.own = own
	}
	if c.Builtin {
		d.pubs = c.Pubs
	}
	return d
}
