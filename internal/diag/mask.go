package diag

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Personal names the kind of personal data or secret a field holds, from
// its name, or "" for an ordinary field. nested says the field is not at the
// top of its document (a levy envelope's "name" is the interface name, its
// data.name is a person's).
func Personal(key string, nested bool) string {
	k := strings.ToLower(strings.ReplaceAll(key, "_", ""))
	switch k {
	case "idcard", "idno", "idcardno", "certno", "certificateno", "identityno":
		return "id"
	case "bankcardno", "bankcard", "cardno", "accountno", "bankaccount", "cardnumber":
		return "card"
	case "cellphone", "phone", "mobile", "telephonenum", "telephone", "phoneno", "mobileno":
		return "phone"
	case "username", "personname", "realname", "payername", "accountname", "openid":
		return "name"
	case "name":
		if nested {
			return "name"
		}
	case "secret", "appkey", "filekey", "pdfpassword", "aeskey", "deskey", "sm4key", "password", "key", "privatekey":
		return "secret"
	}
	return ""
}

// MaskValue masks v as the kind of data kind is ("value": every rune
// hidden, the length kept).
func MaskValue(kind, v string) string {
	switch kind {
	case "id":
		return mask.IDCard(v)
	case "card":
		return mask.BankCard(v)
	case "phone":
		return mask.Phone(v)
	case "name":
		return mask.Name(v)
	case "secret":
		return mask.Secret(v)
	case "value":
		return mask.Middle(v, 0, 0)
	}
	return v
}

// MaskForm masks the values of a form as m says.
func MaskForm(vals map[string]string, m Masking) map[string]string {
	if m == Reveal {
		return vals
	}
	out := make(map[string]string, len(vals))
	for k, v := range vals {
		out[k] = MaskValue(memberKind(k, true, m), v)
	}
	return out
}

// FingerprintRSA names an RSA public key without showing it: SHA256 of its
// SPKI DER, base64, as OpenSSH prints them.
func FingerprintRSA(pub *rsa.PublicKey) string {
	if pub == nil || pub.N == nil {
		return "none"
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "unknown"
	}
	return FingerprintBytes(der)
}

// FingerprintBytes is the fingerprint of an encoded public key (for SM2:
// the uncompressed point).
func FingerprintBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Secret is how a secret appears in a diagnosis: hidden, with its length
// and the first 4 bytes of its SHA-256, so that two secrets can be told
// apart (compare with `bizapi` output) but not recovered.
func Secret(b []byte) string {
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s (%d bytes, sha256 %s)", mask.Secret("x"), len(b), hex.EncodeToString(sum[:4]))
}

// PlusFix undoes the URL-decoding damage that turns '+' into ' '. It
// reports whether anything changed.
func PlusFix(s string) (string, bool) {
	if !strings.Contains(s, " ") {
		return s, false
	}
	return strings.ReplaceAll(s, " ", "+"), true
}
