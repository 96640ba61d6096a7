package scancode

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/tjfoc/gmsm/sm2"
)

// Envelope is the decoded "data" parameter: the ciphertext and, for the
// digital-envelope scheme, the encrypted symmetric key.
type Envelope struct {
	Encrypt string `json:"encrypt"`          // base64 SM4 ciphertext of the payload JSON
	DesKey  string `json:"desKey,omitempty"` // base64 SM2 ciphertext of the SM4 key; optional
}

// Decrypter turns an Envelope into the payload's JSON. Hosts whose platform
// agreed another scheme with the provider plug their own in.
type Decrypter interface {
	Decrypt(ctx context.Context, env Envelope) ([]byte, error)
}

// DecrypterFunc adapts a function to Decrypter.
type DecrypterFunc func(ctx context.Context, env Envelope) ([]byte, error)

// Decrypt implements Decrypter.
func (f DecrypterFunc) Decrypt(ctx context.Context, env Envelope) ([]byte, error) { return f(ctx, env) }

// SM2Encoding is the layout of the SM2 ciphertext in desKey.
type SM2Encoding int

// SM2 encodings. SM2Auto tries ASN.1, C1C3C2 and C1C2C3 and keeps the one
// whose SM3 check passes.
const (
	SM2Auto SM2Encoding = iota
	SM2C1C3C2
	SM2C1C2C3
	SM2ASN1
)

// SM4Mode is the block mode of encrypt.
type SM4Mode int

// SM4 modes; both use PKCS#7 padding.
const (
	SM4ECB SM4Mode = iota
	SM4CBC
)

// DecrypterConfig configures the built-in decrypter (see protocols.md: the
// provider's cipher is not public). With SM2PrivateKey set, a callback that
// carries desKey is a digital envelope: desKey is SM2-decrypted into the
// SM4 key. With SM4Key set, a callback without desKey is decrypted with that
// pre-shared key. At least one of the two is required.
type DecrypterConfig struct {
	// SM2PrivateKey is the platform's SM2 private key: PEM (PKCS#8 or
	// SEC1), base64 DER, or 64 hex characters.
	SM2PrivateKey []byte
	// SM4Key is a pre-shared 16-byte key (see ParseSM4Key for text forms).
	SM4Key []byte
	// SM2Encoding of desKey; SM2Auto by default.
	SM2Encoding SM2Encoding
	// SM4Mode of encrypt; SM4ECB by default. SM4CBC needs IV.
	SM4Mode SM4Mode
	// IV is the 16-byte CBC initialisation vector.
	IV []byte
}

type decrypter struct {
	priv   *sm2.PrivateKey
	sm4Key []byte
	enc    SM2Encoding
	mode   SM4Mode
	iv     []byte
}

// NewDecrypter returns the built-in decrypter for cfg, checking the keys
// once. It is safe for concurrent use.
func NewDecrypter(cfg DecrypterConfig) (Decrypter, error) {
	d := &decrypter{enc: cfg.SM2Encoding, mode: cfg.SM4Mode}
	var problems []string
	if len(cfg.SM2PrivateKey) > 0 {
		k, err := keys.ParseSM2PrivateKey(cfg.SM2PrivateKey)
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
	if cfg.SM2Encoding < SM2Auto || cfg.SM2Encoding > SM2ASN1 {
		problems = append(problems, "SM2Encoding: unknown value")
	}
	switch cfg.SM4Mode {
	case SM4ECB:
	case SM4CBC:
		if len(cfg.IV) != 16 {
			problems = append(problems, fmt.Sprintf("IV: is %d bytes, want 16 for CBC", len(cfg.IV)))
		}
		d.iv = append([]byte(nil), cfg.IV...)
	default:
		problems = append(problems, "SM4Mode: unknown value")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("scancode: decrypter config: %s", strings.Join(problems, "; "))
	}
	return d, nil
}

// ErrDecrypt reports a callback whose data does not decrypt: wrong key,
// wrong scheme, or a corrupted or forged ciphertext.
var ErrDecrypt = errors.New("scancode: data does not decrypt")

func (d *decrypter) Decrypt(_ context.Context, env Envelope) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(env.Encrypt))
	if err != nil || len(ct) == 0 {
		return nil, fmt.Errorf("%w: encrypt is not base64", ErrDecrypt)
	}
	key := d.sm4Key
	if env.DesKey != "" {
		if d.priv == nil {
			return nil, fmt.Errorf("%w: desKey sent but no SM2 private key configured", ErrDecrypt)
		}
		if key, err = d.unwrap(env.DesKey); err != nil {
			return nil, err
		}
	} else if key == nil {
		return nil, fmt.Errorf("%w: no desKey sent and no pre-shared SM4 key configured", ErrDecrypt)
	}
	var pt []byte
	if d.mode == SM4CBC {
		pt, err = crypt.SM4CBCDecrypt(key, d.iv, ct)
	} else {
		pt, err = crypt.SM4ECBDecrypt(key, ct)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: encrypt", ErrDecrypt)
	}
	return pt, nil
}

// unwrap SM2-decrypts desKey into the 16-byte SM4 key. The key inside may be
// raw, or its hex or base64 text.
func (d *decrypter) unwrap(desKey string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(desKey))
	if err != nil {
		return nil, fmt.Errorf("%w: desKey is not base64", ErrDecrypt)
	}
	var pt []byte
	switch d.enc {
	case SM2C1C3C2:
		pt, err = crypt.SM2Decrypt(d.priv, ct, crypt.SM2C1C3C2)
	case SM2C1C2C3:
		pt, err = crypt.SM2Decrypt(d.priv, ct, crypt.SM2C1C2C3)
	case SM2ASN1:
		pt, err = crypt.SM2Decrypt(d.priv, ct, crypt.SM2ASN1)
	default:
		pt, _, err = crypt.SM2DecryptAuto(d.priv, ct)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: desKey", ErrDecrypt)
	}
	key, err := ParseSM4Key(string(pt))
	if err != nil {
		return nil, fmt.Errorf("%w: desKey holds no 16-byte SM4 key", ErrDecrypt)
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
