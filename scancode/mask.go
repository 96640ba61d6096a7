package scancode

import (
	"log/slog"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Every type that carries personal data (names, ID card numbers, phone
// numbers, the personal transaction code), certificates, signature values,
// tokens or decrypted results prints itself masked: String (so %v, %+v and
// %s), GoString (%#v) and LogValue (slog), all on value receivers so that a
// value and a pointer print alike. Each type lists its fields once, in
// fields(); the three methods render that list.

// field is one printed member: its wire name and its masked value.
type field struct{ name, value string }

// render prints name{k=v k=v}, leaving out empty values.
func render(name string, fs []field) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	first := true
	for _, f := range fs {
		if f.value == "" {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(f.name)
		b.WriteByte('=')
		b.WriteString(f.value)
	}
	b.WriteByte('}')
	return b.String()
}

// group is the slog form of fs, leaving out empty values.
func group(fs []field) slog.Value {
	attrs := make([]slog.Attr, 0, len(fs))
	for _, f := range fs {
		if f.value != "" {
			attrs = append(attrs, slog.String(f.name, f.value))
		}
	}
	return slog.GroupValue(attrs...)
}

// Masking rules, one per kind of data.
func maskCode(s string) string { return mask.Middle(s, 4, 4) } // personal transaction code
func maskBlob(s string) string { return lenOf(s) }             // certificates, signatures, decrypted text
func count(n int, what string) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + " " + what
}

func (p ScanStatus) fields() []field {
	return []field{
		{"tId", p.TID}, {"unifiedTransactionCode", p.UnifiedTransactionCode},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"isScaned", string(p.IsScaned)}, {"qRCodeType", p.QRCodeType},
	}
}

// String prints the payload with the personal transaction code masked.
func (p ScanStatus) String() string { return render("ScanStatus", p.fields()) }

// GoString is String, so %#v masks too.
func (p ScanStatus) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p ScanStatus) LogValue() slog.Value { return group(p.fields()) }

func (p UserInfo) fields() []field {
	return []field{
		{"tId", p.TID},
		{"personName", mask.Name(p.PersonName)},
		{"telephoneNum", mask.Phone(p.TelephoneNum)},
		{"idCard", mask.IDCard(p.IDCard)},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"unifiedTransactionCode", p.UnifiedTransactionCode},
		{"sharedCodeStatus", string(p.SharedCodeStatus)},
		{"legalCode", p.LegalCode},
		{"legalName", p.LegalName}, // an organisation's name
		{"legalRepresent", mask.Name(p.LegalRepresent)},
		{"legalIDCard", mask.IDCard(p.LegalIDCard)},
		{"managerTelephoneNum", mask.Phone(p.ManagerTelephoneNum)},
		{"certSn", p.CertSn}, {"caType", p.CAType}, {"caOrgType", p.CAOrgType},
		{"signOriVal", maskBlob(p.SignOriVal)},
		{"signatureValue", maskBlob(p.SignatureValue)},
		{"pubCert", maskBlob(p.PubCert)},
		{"algorithm", p.Algorithm},
		{"accessToken", mask.Secret(p.AccessToken)},
		{"loginUserType", string(p.LoginUserType)},
		{"algorithmType", string(p.AlgorithmType)},
		{"certBelongType", string(p.CertBelongType)},
	}
}

// String prints the user info masked: names keep their first character,
// ID card and phone numbers their ends, the token, signature and
// certificate only their presence or length.
func (p UserInfo) String() string { return render("UserInfo", p.fields()) }

// GoString is String, so %#v masks too.
func (p UserInfo) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p UserInfo) LogValue() slog.Value { return group(p.fields()) }

func (p SealWithdrawal) fields() []field {
	return []field{
		{"tId", p.TID}, {"useStatus", string(p.UseStatus)},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"unifiedTransactionCode", p.UnifiedTransactionCode},
		{"certSn", p.CertSn}, {"caOrgType", p.CAOrgType},
		{"signOriVal", maskBlob(p.SignOriVal)}, {"signatureValue", maskBlob(p.SignatureValue)},
		{"pubCert", maskBlob(p.PubCert)}, {"algorithm", p.Algorithm},
	}
}

// String prints the payload, the signature and certificate as lengths.
func (p SealWithdrawal) String() string { return render("SealWithdrawal", p.fields()) }

// GoString is String, so %#v masks too.
func (p SealWithdrawal) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p SealWithdrawal) LogValue() slog.Value { return group(p.fields()) }

func (p EncryptionCert) fields() []field {
	return []field{
		{"tId", p.TID},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"caOrgType", p.CAOrgType},
		{"signOriVal", maskBlob(p.SignOriVal)}, {"signatureValue", maskBlob(p.SignatureValue)},
		{"encPubCert", maskBlob(p.EncPubCert)}, {"signCertSn", p.SignCertSn}, {"encCertSn", p.EncCertSn},
		{"pubCert", maskBlob(p.PubCert)}, {"algorithm", p.Algorithm},
		{"telephoneNum", mask.Phone(p.TelephoneNum)},
	}
}

// String prints the payload masked: the phone number keeps its ends, the
// certificates and signature only their length.
func (p EncryptionCert) String() string { return render("EncryptionCert", p.fields()) }

// GoString is String, so %#v masks too.
func (p EncryptionCert) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p EncryptionCert) LogValue() slog.Value { return group(p.fields()) }

func (d DecryptInfo) fields() []field {
	return []field{{"key", maskBlob(d.Key)}, {"decryptStr", maskBlob(d.DecryptStr)}}
}

// String prints the lengths of the key and the decrypted text only.
func (d DecryptInfo) String() string { return render("DecryptInfo", d.fields()) }

// GoString is String, so %#v masks too.
func (d DecryptInfo) GoString() string { return d.String() }

// LogValue implements slog.LogValuer, masked as String.
func (d DecryptInfo) LogValue() slog.Value { return group(d.fields()) }

func (p DecryptResult) fields() []field {
	return []field{
		{"tId", p.TID},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"decryptInfoList", count(len(p.DecryptInfoList), "entries")},
	}
}

// String prints the payload with the number of decrypted entries, never
// their content.
func (p DecryptResult) String() string { return render("DecryptResult", p.fields()) }

// GoString is String, so %#v masks too.
func (p DecryptResult) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p DecryptResult) LogValue() slog.Value { return group(p.fields()) }

func (p SignCert) fields() []field {
	return []field{{"tId", p.TID}, {"signCertSn", p.SignCertSn}, {"pubCert", maskBlob(p.PubCert)}}
}

// String prints the payload, the certificate as its length.
func (p SignCert) String() string { return render("SignCert", p.fields()) }

// GoString is String, so %#v masks too.
func (p SignCert) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p SignCert) LogValue() slog.Value { return group(p.fields()) }

func (p ExitContinuousSign) fields() []field {
	return []field{{"tid", p.TID}, {"pid", mask.Name(p.PID)}, {"source", string(p.Source)}, {"exitType", p.ExitType}}
}

// String prints the payload with the user name (pid) masked.
func (p ExitContinuousSign) String() string { return render("ExitContinuousSign", p.fields()) }

// GoString is String, so %#v masks too.
func (p ExitContinuousSign) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p ExitContinuousSign) LogValue() slog.Value { return group(p.fields()) }

func (p SignatureValues) fields() []field {
	return []field{
		{"tId", p.TID}, {"useStatus", string(p.UseStatus)},
		{"personalTransactionCode", maskCode(p.PersonalTransactionCode)},
		{"unifiedTransactionCode", p.UnifiedTransactionCode},
		{"certSn", p.CertSn}, {"caOrgType", p.CAOrgType},
		{"pubCert", maskBlob(p.PubCert)}, {"algorithm", p.Algorithm},
		{"signatureValueList", p.SignatureValueList.String()},
	}
}

// String prints the payload with the number of signature values, never the
// values.
func (p SignatureValues) String() string { return render("SignatureValues", p.fields()) }

// GoString is String, so %#v masks too.
func (p SignatureValues) GoString() string { return p.String() }

// LogValue implements slog.LogValuer, masked as String.
func (p SignatureValues) LogValue() slog.Value { return group(p.fields()) }

// String prints how many values the list holds, never the values.
func (l SignatureValueList) String() string { return count(len(l), "values") }

// GoString is String, so %#v masks too.
func (l SignatureValueList) GoString() string { return l.String() }

// LogValue implements slog.LogValuer, masked as String.
func (l SignatureValueList) LogValue() slog.Value { return slog.StringValue(l.String()) }

func (c Callback) fields() []field {
	payload := ""
	if s, ok := c.Payload.(interface{ String() string }); ok && !isNilPayload(c.Payload) {
		payload = s.String()
	}
	return []field{
		{"type", string(c.Type)}, {"platformCode", c.PlatformCode}, {"tId", printableTID(c.EventID())},
		{"payload", payload}, {"raw", lenOf(string(c.Raw))},
	}
}

// String prints the callback's type, platform code and tId, its payload
// masked (see the payload types) and the length of its raw JSON, never the
// raw JSON itself.
func (c Callback) String() string { return render("Callback", c.fields()) }

// GoString is String, so %#v masks too.
func (c Callback) GoString() string { return c.String() }

// LogValue implements slog.LogValuer: the payload through its own
// LogValue, the raw JSON as its length.
func (c Callback) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(c.Type))}
	if c.PlatformCode != "" {
		attrs = append(attrs, slog.String("platformCode", c.PlatformCode))
	}
	if id := printableTID(c.EventID()); id != "" {
		attrs = append(attrs, slog.String("tId", id))
	}
	if lv, ok := c.Payload.(slog.LogValuer); ok && !isNilPayload(c.Payload) {
		attrs = append(attrs, slog.Any("payload", lv.LogValue()))
	}
	return slog.GroupValue(append(attrs, slog.Int("rawLen", len(c.Raw)))...)
}

// isNilPayload reports a typed nil pointer in the Payload interface, whose
// value-receiver methods would panic.
func isNilPayload(p Payload) bool {
	switch v := p.(type) {
	case nil:
		return true
	case *ScanStatus:
		return v == nil
	case *UserInfo:
		return v == nil
	case *SealWithdrawal:
		return v == nil
	case *EncryptionCert:
		return v == nil
	case *DecryptResult:
		return v == nil
	case *SignCert:
		return v == nil
	case *ExitContinuousSign:
		return v == nil
	case *SignatureValues:
		return v == nil
	}
	return false
}

// printableTID is a tId as printed: itself when it could be a store key,
// else only its length (it came out of a payload and may be anything).
func printableTID(id string) string {
	if id != "" && checkStoreTID(id) != nil {
		return lenOf(id)
	}
	return id
}
