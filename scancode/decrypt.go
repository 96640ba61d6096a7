package scancode

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/tjfoc/gmsm/sm2"
)

// Envelope is the decoded "data" parameter: the ciphertext and, for the
// digital-envelope scheme, the encrypted symmetric key. It prints only the
// lengths of both.
type Envelope struct {
	Encrypt string `json:"encrypt"`          // base64 SM4 ciphertext of the payload JSON
	DesKey  string `json:"desKey,omitempty"` // base64 SM2 ciphertext of the SM4 key; optional
}

// String prints the lengths of the ciphertexts, never their text.
func (e Envelope) String() string {
	return "Envelope{encrypt=" + lenOf(e.Encrypt) + " desKey=" + lenOf(e.DesKey) + "}"
}

// GoString is String, so %#v masks too.
func (e Envelope) GoString() string { return e.String() }

// LogValue implements slog.LogValuer with the lengths only.
func (e Envelope) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("encryptLen", len(e.Encrypt)), slog.Int("desKeyLen", len(e.DesKey)))
}

// Decrypter turns an Envelope into the payload's JSON. Hosts whose platform
// agreed another scheme with the provider plug their own in; an error it
// returns is wrapped to match ErrDecrypt.
type Decrypter interface {
	Decrypt(ctx context.Context, env Envelope) ([]byte, error)
}

// DecrypterFunc adapts a function to Decrypter.
type DecrypterFunc func(ctx context.Context, env Envelope) ([]byte, error)

// Decrypt implements Decrypter.
func (f DecrypterFunc) Decrypt(ctx context.Context, env Envelope) ([]byte, error) { return f(ctx, env) }

// SM2Encoding is the layout of the SM2 ciphertext in desKey.
type SM2Encoding int

// SM2 encodings. SM2EncodingAuto tries ASN.1, C1C3C2 and C1C2C3 and keeps
// the one whose SM3 check passes (up to three SM2 decryptions for a forged
// desKey: set the platform's encoding where it is known).
const (
	SM2EncodingAuto SM2Encoding = iota
	SM2EncodingC1C3C2
	SM2EncodingC1C2C3
	SM2EncodingASN1
)

// String names the encoding.
func (e SM2Encoding) String() string {
	switch e {
	case SM2EncodingAuto:
		return "auto"
	case SM2EncodingC1C3C2:
		return "C1C3C2"
	case SM2EncodingC1C2C3:
		return "C1C2C3"
	case SM2EncodingASN1:
		return "ASN.1"
	}
	return "SM2Encoding(" + strconv.Itoa(int(e)) + ")"
}

// SM4Mode is the block mode of encrypt.
type SM4Mode int

// SM4 modes; both use PKCS#7 padding.
const (
	SM4ModeECB SM4Mode = iota
	SM4ModeCBC
)

// String names the mode.
func (m SM4Mode) String() string {
	switch m {
	case SM4ModeECB:
		return "ECB"
	case SM4ModeCBC:
		return "CBC"
	}
	return "SM4Mode(" + strconv.Itoa(int(m)) + ")"
}

// DecrypterConfig configures the built-in decrypter (see protocols.md: the
// provider's cipher is not public). With SM2PrivateKey set, a callback that
// carries desKey is a digital envelope: desKey is SM2-decrypted into the
// SM4 key. With SM4Key set, a callback without desKey is decrypted with that
// pre-shared key. At least one of the two is required. It prints whether
// each key is set, never the key.
type DecrypterConfig struct {
	// SM2PrivateKey is the platform's SM2 private key: PEM (PKCS#8 or
	// SEC1), base64 DER, or 64 hex characters.
	SM2PrivateKey []byte
	// SM4Key is a pre-shared 16-byte key (see ParseSM4Key for text forms).
	SM4Key []byte
	// SM2Encoding of desKey; SM2EncodingAuto by default.
	SM2Encoding SM2Encoding
	// SM4Mode of encrypt; SM4ModeECB by default. SM4ModeCBC needs IV.
	SM4Mode SM4Mode
	// IV is the 16-byte CBC initialisation vector.
	IV []byte
	// Diagnostics makes a failed decryption carry a diagnosis
	// (DecryptError.Diagnosis): the scheme, the key by fingerprint, the
	// variants tried and the likely cause. Off by default: the diagnosis
	// tries variants of the data (at most 3 extra SM2 decryptions, the
	// rest linear in the data), which is work on unauthenticated input; it
	// is for a developer finding a misconfiguration, not for every forged
	// callback. It never makes a callback decrypt that did not.
	Diagnostics bool
}

// String says which keys are set and the scheme, never a key.
func (c DecrypterConfig) String() string {
	return "DecrypterConfig{SM2PrivateKey=" + setOrNot(len(c.SM2PrivateKey)) + " SM4Key=" + setOrNot(len(c.SM4Key)) +
		" SM2Encoding=" + c.SM2Encoding.String() + " SM4Mode=" + c.SM4Mode.String() + " IV=" + setOrNot(len(c.IV)) + "}"
}

// GoString is String, so %#v masks too.
func (c DecrypterConfig) GoString() string { return c.String() }

// LogValue implements slog.LogValuer: which keys are set, never a key.
func (c DecrypterConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("SM2PrivateKey", setOrNot(len(c.SM2PrivateKey))),
		slog.String("SM4Key", setOrNot(len(c.SM4Key))),
		slog.String("SM2Encoding", c.SM2Encoding.String()),
		slog.String("SM4Mode", c.SM4Mode.String()),
		slog.String("IV", setOrNot(len(c.IV))),
	)
}

func setOrNot(n int) string {
	if n == 0 {
		return "unset"
	}
	return "[set]"
}

type decrypter struct {
	priv   *sm2.PrivateKey
	sm4Key []byte
	enc    SM2Encoding
	mode   SM4Mode
	iv     []byte
	diag   bool
	// sm2 is gm.SM2Decrypt; a test counts its calls.
	sm2 func(priv *sm2.PrivateKey, ct []byte, enc gm.SM2Encoding) ([]byte, error)
}

// NewDecrypter returns the built-in decrypter for cfg, checking the keys
// once and naming every problem at once. It is safe for concurrent use.
func NewDecrypter(cfg DecrypterConfig) (Decrypter, error) {
	d := &decrypter{enc: cfg.SM2Encoding, mode: cfg.SM4Mode, diag: cfg.Diagnostics, sm2: gm.SM2Decrypt}
	var problems []string
	if len(cfg.SM2PrivateKey) > 0 {
		k, err := gm.ParseSM2PrivateKey(cfg.SM2PrivateKey)
		if err != nil {
			problems = append(problems, "SM2PrivateKey: "+strings.TrimPrefix(err.Error(), "keys: "))
		}
		d.priv = k
	}
	if len(cfg.SM4Key) > 0 {
		if len(cfg.SM4Key) != 16 {
			problems = append(problems, fmt.Sprintf("SM4Key: is %d bytes, want 16", len(cfg.SM4Key)))
		}
		d.sm4Key = append([]byte(nil), cfg.SM4Key...)
	}
	if len(cfg.SM2PrivateKey) == 0 && len(cfg.SM4Key) == 0 {
		problems = append(problems, "one of SM2PrivateKey and SM4Key is required")
	}
	if cfg.SM2Encoding < SM2EncodingAuto || cfg.SM2Encoding > SM2EncodingASN1 {
		problems = append(problems, "SM2Encoding: unknown value "+strconv.Itoa(int(cfg.SM2Encoding)))
	}
	switch cfg.SM4Mode {
	case SM4ModeECB:
		if len(cfg.IV) > 0 {
			problems = append(problems, "IV: set for ECB, which takes none")
		}
	case SM4ModeCBC:
		if len(cfg.IV) != 16 {
			problems = append(problems, fmt.Sprintf("IV: is %d bytes, want 16 for CBC", len(cfg.IV)))
		}
		d.iv = append([]byte(nil), cfg.IV...)
	default:
		problems = append(problems, "SM4Mode: unknown value "+strconv.Itoa(int(cfg.SM4Mode)))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("scancode: decrypter config: %s", strings.Join(problems, "; "))
	}
	return d, nil
}

// ErrDecrypt reports a callback whose data does not decrypt: wrong key,
// wrong scheme, or a corrupted or forged ciphertext. The protocol has no
// signature, so this is its trust failure (what ErrInvalidSignature is in
// the other modules).
var ErrDecrypt = errors.New("scancode: data does not decrypt")

// maxDesKey bounds the base64 desKey: an SM2 ciphertext of a 16-byte key
// given raw, as hex or as base64 is at most 97+44 bytes (C1C3C2) or about
// 160 (ASN.1). A longer one is refused before any SM2 work.
const maxDesKey = 512

func (d *decrypter) Decrypt(_ context.Context, env Envelope) ([]byte, error) {
	pt, f := d.open(env)
	if f == nil {
		return pt, nil
	}
	e := &DecryptError{reason: f.reason}
	if d.diag {
		e.diag = d.diagnose(env, f)
	}
	return nil, e
}

// failure is where and why a decryption stopped.
type failure struct {
	reason string // the error text after "scancode: data does not decrypt: "
	stage  failStage
	key    []byte // the SM4 key, once known
}

type failStage int

const (
	failNoSM2Key failStage = iota
	failNoSM4Key
	failDesKeyLong
	failDesKeyText
	failDesKeySM2
	failDesKeyContent
	failEncryptText
	failEncryptSM4
)

func (d *decrypter) open(env Envelope) ([]byte, *failure) {
	// The cheap refusals first: the key (a fixed-size SM2 decryption)
	// before the ciphertext (linear in its size).
	key := d.sm4Key
	if env.DesKey != "" {
		if d.priv == nil {
			return nil, &failure{reason: "desKey sent but no SM2 private key configured", stage: failNoSM2Key}
		}
		var f *failure
		if key, f = d.unwrap(env.DesKey); f != nil {
			return nil, f
		}
	} else if key == nil {
		return nil, &failure{reason: "no desKey sent and no pre-shared SM4 key configured", stage: failNoSM4Key}
	}
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(env.Encrypt))
	if err != nil || len(ct) == 0 || len(ct)%16 != 0 {
		return nil, &failure{reason: "encrypt is not base64 of whole SM4 blocks", stage: failEncryptText, key: key}
	}
	pt, err := d.sm4(key, d.iv, ct)
	if err != nil {
		return nil, &failure{reason: "encrypt", stage: failEncryptSM4, key: key}
	}
	return pt, nil
}

// sm4 decrypts ct in the configured mode (iv is ignored for ECB).
func (d *decrypter) sm4(key, iv, ct []byte) ([]byte, error) {
	if d.mode == SM4ModeCBC {
		return gm.SM4CBCDecrypt(key, iv, ct)
	}
	return gm.SM4ECBDecrypt(key, ct)
}

// layouts are the SM2 encodings configured, in the order tried (that of
// gm.SM2DecryptAuto for SM2EncodingAuto).
func (d *decrypter) layouts() []gm.SM2Encoding {
	switch d.enc {
	case SM2EncodingC1C3C2:
		return []gm.SM2Encoding{gm.SM2C1C3C2}
	case SM2EncodingC1C2C3:
		return []gm.SM2Encoding{gm.SM2C1C2C3}
	case SM2EncodingASN1:
		return []gm.SM2Encoding{gm.SM2ASN1}
	}
	return []gm.SM2Encoding{gm.SM2ASN1, gm.SM2C1C3C2, gm.SM2C1C2C3}
}

// unwrap SM2-decrypts desKey into the 16-byte SM4 key. The key inside may be
// raw, or its hex or base64 text.
func (d *decrypter) unwrap(desKey string) ([]byte, *failure) {
	desKey = strings.TrimSpace(desKey)
	if len(desKey) > maxDesKey {
		return nil, &failure{reason: fmt.Sprintf("desKey is %d characters, longer than any SM2-wrapped SM4 key", len(desKey)), stage: failDesKeyLong}
	}
	ct, err := base64.StdEncoding.DecodeString(desKey)
	if err != nil {
		return nil, &failure{reason: "desKey is not base64", stage: failDesKeyText}
	}
	var pt []byte
	for _, enc := range d.layouts() {
		if pt, err = d.sm2(d.priv, ct, enc); err == nil {
			break
		}
	}
	if err != nil {
		return nil, &failure{reason: "desKey", stage: failDesKeySM2}
	}
	key, err := ParseSM4Key(string(pt))
	if err != nil {
		return nil, &failure{reason: "desKey holds no 16-byte SM4 key", stage: failDesKeyContent}
	}
	return key, nil
}

// ParseSM4Key reads a 16-byte SM4 key given raw, as 32 hex characters or as
// base64 (the forms of the SCANCODE_SM4_KEY variable and of a desKey's
// plaintext). The error never contains the key.
func ParseSM4Key(s string) ([]byte, error) {
	t := strings.TrimSpace(s)
	if len(t) == 32 {
		if b, err := hex.DecodeString(t); err == nil {
			return b, nil
		}
	}
	if b, err := base64.StdEncoding.DecodeString(t); err == nil && len(b) == 16 {
		return b, nil
	}
	if len(s) == 16 {
		return []byte(s), nil
	}
	return nil, errors.New("scancode: SM4 key is not 16 bytes raw, 32 hex characters or base64 of 16 bytes")
}

// lenOf prints a length for a masked field ("" stays empty).
func lenOf(s string) string {
	if s == "" {
		return ""
	}
	return "[" + strconv.Itoa(len(s)) + " bytes]"
}
