package scancode

import (
	"github.com/tjfoc/gmsm/sm2"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/gm"
)

// DecryptError is a callback whose data does not decrypt under the
// configured keys. errors.Is(err, ErrDecrypt) holds. Its Error() text names
// the part that failed (desKey, encrypt) and never a key or the payload;
// it is the same with or without diagnostics.
//
// With DecrypterConfig.Diagnostics, it carries a diagnosis of the likely
// cause (Diagnosis).
type DecryptError struct {
	reason string // after "scancode: data does not decrypt: "
	err    error  // a host Decrypter's error, or nil
	diag   *Diagnosis
}

// Error returns "scancode: data does not decrypt: " and the part that
// failed.
func (e *DecryptError) Error() string {
	if e.reason == "" {
		return ErrDecrypt.Error()
	}
	return ErrDecrypt.Error() + ": " + e.reason
}

// Is reports whether target is ErrDecrypt.
func (e *DecryptError) Is(target error) bool { return target == ErrDecrypt }

// Unwrap returns the error of a host Decrypter, or nil.
func (e *DecryptError) Unwrap() error { return e.err }

// Diagnosis returns what took part in the failed decryption and its likely
// causes. It reports false unless the built-in decrypter was made with
// DecrypterConfig.Diagnostics.
func (e *DecryptError) Diagnosis() (Diagnosis, bool) {
	if e == nil || e.diag == nil {
		return Diagnosis{}, false
	}
	return *e.diag, true
}

// Diagnosis is what took part in a failed decryption, and what was
// recognised. It holds no key, no SM4 key and no payload value: keys
// appear by fingerprint.
type Diagnosis struct {
	// Algorithm is the scheme configured, e.g. "SM2 (C1C3C2) decryption
	// of desKey, SM3 check; SM4-ECB, PKCS#7, of base64 encrypt".
	Algorithm string
	// KeysTried names the keys: the SM2 private key by the fingerprint of
	// its public half (SHA256 of the uncompressed point, as `bizapi keys
	// inspect` prints it), a pre-shared SM4 key by its length and the
	// first bytes of its SHA-256.
	KeysTried []string
	// SignedForm is empty: the protocol signs nothing.
	SignedForm string
	// Fields are the payload's field names in order, when a repaired
	// variant decrypted (names only, no value).
	Fields []string
	// FieldsReceived is empty: the protocol signs nothing.
	FieldsReceived []string
	// Tried lists the variants tried that did not decrypt.
	Tried []string
	// Causes are the recognised likely causes; none when not recognised.
	Causes []Cause
}

// Cause is one recognised likely cause.
type Cause struct {
	Code CauseCode
	Text string // what it means and what to do; no secret or personal value
}

// CauseCode is the stable name of a recognised cause, shared by the SDK's
// modules and the bizapi tool.
type CauseCode string

// Cause codes. scancode recognises CausePlusSpace (desKey or encrypt with
// spaces where '+' was), CauseEncoding (desKey in another SM2 layout than
// configured, or encrypt in the other SM4 mode), CauseTruncated
// (ciphertext cut short) and CauseKey (desKey not encrypted to this key,
// or the pre-shared SM4 key differs); the others are the other modules'.
const (
	CauseReencoded   CauseCode = "re-encoded"
	CausePlusSpace   CauseCode = "plus-as-space"
	CauseReversedKey CauseCode = "reversed-key-role"
	CauseFieldOrder  CauseCode = "field-order"
	CauseFieldCase   CauseCode = "field-case"
	CauseEncoding    CauseCode = "signature-encoding"
	CauseWhitespace  CauseCode = "whitespace"
	CauseFields      CauseCode = "fields"
	CauseKey         CauseCode = "key"
	CauseTruncated   CauseCode = "truncated"
)

// String prints the diagnosis as labelled lines, one per item, as the
// bizapi tool does.
func (d Diagnosis) String() string {
	r := diag.Report{
		Algorithm: d.Algorithm, Keys: d.KeysTried, Signed: d.SignedForm,
		Fields: d.Fields, Received: d.FieldsReceived, Tried: d.Tried,
	}
	for _, c := range d.Causes {
		r.Cause(string(c.Code), c.Text)
	}
	return r.String()
}

// diagnosisOf converts the engine's report into the public type.
func diagnosisOf(r *diag.Report) *Diagnosis {
	d := &Diagnosis{
		Algorithm: r.Algorithm, KeysTried: r.Keys, SignedForm: r.Signed,
		Fields: r.Fields, FieldsReceived: r.Received, Tried: r.Tried,
	}
	for _, c := range r.Causes {
		d.Causes = append(d.Causes, Cause{Code: CauseCode(c.Code), Text: c.Text})
	}
	return d
}

// diagnose says why env did not decrypt. It makes at most
// diag.MaxSM2Tries SM2 decryptions, and puts no key and no payload value in
// the diagnosis.
func (d *decrypter) diagnose(env Envelope, f *failure) *Diagnosis {
	r := &diag.Report{Algorithm: d.algorithm(env.DesKey != "")}
	if env.DesKey != "" && d.priv != nil {
		r.Keys = append(r.Keys, "SM2 private key, public half "+sm2Fingerprint(&d.priv.PublicKey))
	} else if d.sm4Key != nil {
		r.Keys = append(r.Keys, "pre-shared SM4 key "+diag.Secret(d.sm4Key))
	}
	e := diag.Envelope{
		Encrypt: env.Encrypt, DesKey: env.DesKey, Key: f.key, Mode: d.mode.String(), IV: d.iv,
		Open: func(key, iv, ct []byte) ([]byte, bool) {
			var pt []byte
			var err error
			if iv == nil {
				pt, err = gm.SM4ECBDecrypt(key, ct)
			} else {
				pt, err = gm.SM4CBCDecrypt(key, iv, ct)
			}
			return pt, err == nil
		},
	}
	for _, l := range d.layouts() {
		e.Layouts = append(e.Layouts, l.String())
	}
	if d.priv != nil {
		e.Unwrap = func(ct []byte, layout string) ([]byte, bool) {
			for _, l := range []gm.SM2Encoding{gm.SM2ASN1, gm.SM2C1C3C2, gm.SM2C1C2C3} {
				if l.String() != layout {
					continue
				}
				pt, err := d.sm2(d.priv, ct, l)
				if err != nil {
					return nil, false
				}
				key, _ := ParseSM4Key(string(pt))
				return key, true
			}
			return nil, false
		}
	}
	switch f.stage {
	case failNoSM2Key:
		r.Cause(diag.CauseKey, "the callback carries desKey (a digital envelope) but the decrypter has no SM2 private key: set DecrypterConfig.SM2PrivateKey")
		return diagnosisOf(r)
	case failNoSM4Key:
		r.Cause(diag.CauseKey, "the callback carries no desKey (a pre-shared key scheme) but the decrypter has no SM4 key: set DecrypterConfig.SM4Key")
		return diagnosisOf(r)
	case failDesKeyLong:
		r.Try("nothing: desKey is longer than any SM2-wrapped SM4 key")
		return diagnosisOf(r)
	case failDesKeyText:
		e.Stage = diag.StageDesKeyText
	case failDesKeySM2:
		e.Stage = diag.StageDesKeySM2
	case failDesKeyContent:
		e.Stage = diag.StageDesKeyContent
	case failEncryptText:
		e.Stage = diag.StageEncryptText
	case failEncryptSM4:
		e.Stage = diag.StageEncryptSM4
	}
	e.Preshared = env.DesKey == "" && f.key != nil
	diag.EnvelopeDiagnosis(r, e)
	return diagnosisOf(r)
}

// algorithm names the configured scheme.
func (d *decrypter) algorithm(envelope bool) string {
	s := "SM4-" + d.mode.String() + ", PKCS#7, of base64 encrypt"
	if !envelope {
		return s + ", pre-shared key"
	}
	return "SM2 (" + d.enc.String() + ") decryption of desKey, SM3 check; " + s
}

// sm2Fingerprint names an SM2 public key as `bizapi keys inspect` does:
// SHA256 of its uncompressed point.
func sm2Fingerprint(pub *sm2.PublicKey) string {
	b := make([]byte, 65)
	b[0] = 4
	pub.X.FillBytes(b[1:33])
	pub.Y.FillBytes(b[33:])
	return diag.FingerprintBytes(b)
}
