package scancode

import (
	"encoding/json"
	"errors"
	"strings"
)

// Type is the callback's "type" parameter, the kind of data the app shares:
// two characters (the seed: "type | varchar(2)"). ParseCallback refuses
// any other length; a two-character type that is not below is delivered
// with its raw payload.
type Type string

// The callback types of the seed. The provider's two doc sets differ in
// meaning for some numbers, so routing is by Type and an unknown Type is
// delivered with its raw payload, never rejected.
const (
	TypeScanStatus         Type = "01" // scan status: ScanStatus
	TypeUserInfo           Type = "02" // shared login user info: UserInfo
	TypeSealWithdrawal     Type = "03" // seal withdrawal: SealWithdrawal
	TypeEncryptionCert     Type = "05" // encryption certificate: EncryptionCert
	TypeDecryptResult      Type = "06" // decryption results: DecryptResult
	TypeSignCert           Type = "08" // SM2 signing certificate: SignCert
	TypeScannerUserInfo    Type = "09" // "who scans decrypts" user info: UserInfo
	TypeExitContinuousSign Type = "12" // exit continuous signing: ExitContinuousSign
	TypeSignerUserInfo     Type = "13" // user info of the signer: UserInfo
	TypeSignatureValues    Type = "14" // signature values: SignatureValues
)

// Known reports whether t is one of the types above.
func (t Type) Known() bool {
	switch t {
	case TypeScanStatus, TypeUserInfo, TypeSealWithdrawal, TypeEncryptionCert, TypeDecryptResult,
		TypeSignCert, TypeScannerUserInfo, TypeExitContinuousSign, TypeSignerUserInfo, TypeSignatureValues:
		return true
	}
	return false
}

// ScanState is isScaned.
type ScanState string

// Scan states.
const (
	ScanStateScanned    ScanState = "01"
	ScanStateNotScanned ScanState = "00"
)

// SharedCodeStatus is the state of the national shared e-trading code.
type SharedCodeStatus string

// Shared code states.
const (
	SharedCodeStatusNormal SharedCodeStatus = "01"
	SharedCodeStatusVoid   SharedCodeStatus = "02"
	SharedCodeStatusFrozen SharedCodeStatus = "03"
)

// LoginUserType says whether a person or an organisation logged in; the
// same codes serve certBelongType.
type LoginUserType string

// Login user types.
const (
	LoginUserTypePerson       LoginUserType = "01"
	LoginUserTypeOrganisation LoginUserType = "02"
)

// AlgorithmType is the certificate type of type 13.
type AlgorithmType string

// Certificate types.
const (
	AlgorithmTypeSM2 AlgorithmType = "00"
	AlgorithmTypeRSA AlgorithmType = "01"
)

// UseStatus says whether a seal was used.
type UseStatus string

// Use states.
const (
	UseStatusUnused UseStatus = "00"
	UseStatusUsed   UseStatus = "01"
)

// ExitSource is where an exit instruction came from.
type ExitSource string

// Exit sources.
const (
	ExitSourceApp      ExitSource = "00"
	ExitSourcePlatform ExitSource = "01"
)

// Payload is implemented by every typed payload.
type Payload interface {
	// EventID returns the payload's tId (event ID), whatever its spelling on
	// the wire.
	EventID() string
}

// ScanStatus is type 01.
type ScanStatus struct {
	TID                     string    `json:"tId"`
	UnifiedTransactionCode  string    `json:"unifiedTransactionCode"`
	PersonalTransactionCode string    `json:"personalTransactionCode"`
	IsScaned                ScanState `json:"isScaned"`
	QRCodeType              string    `json:"qRCodeType"`
}

// EventID implements Payload.
func (p *ScanStatus) EventID() string { return p.TID }

// UserInfo is types 02, 09 and 13 (13 adds AlgorithmType and
// CertBelongType). It carries personal data, masked when it is printed
// (fmt or slog, value or pointer).
type UserInfo struct {
	TID                     string           `json:"TId"`
	PersonName              string           `json:"personName"`
	TelephoneNum            string           `json:"telephoneNum"`
	IDCard                  string           `json:"idCard"`
	PersonalTransactionCode string           `json:"personalTransactionCode"`
	UnifiedTransactionCode  string           `json:"unifiedTransactionCode"`
	SharedCodeStatus        SharedCodeStatus `json:"sharedCodeStatus"`
	LegalCode               string           `json:"legalCode"`
	LegalName               string           `json:"legalName"`
	LegalRepresent          string           `json:"legalRepresent"`
	LegalIDCard             string           `json:"legalIDCard"`
	ManagerTelephoneNum     string           `json:"managerTelephoneNum"`
	CertSn                  string           `json:"certSn"`
	CAType                  string           `json:"caType"`
	CAOrgType               string           `json:"caOrgType"`
	SignOriVal              string           `json:"signOriVal"`
	SignatureValue          string           `json:"signatureValue"`
	PubCert                 string           `json:"pubCert"`
	Algorithm               string           `json:"algorithm"`
	AccessToken             string           `json:"accessToken"`
	LoginUserType           LoginUserType    `json:"loginUserType"`
	AlgorithmType           AlgorithmType    `json:"algorithmType,omitempty"`
	CertBelongType          LoginUserType    `json:"certBelongType,omitempty"`
}

// EventID implements Payload.
func (p *UserInfo) EventID() string { return p.TID }

// SealWithdrawal is type 03.
type SealWithdrawal struct {
	TID                     string    `json:"TId"`
	UseStatus               UseStatus `json:"useStatus"`
	PersonalTransactionCode string    `json:"personalTransactionCode"`
	UnifiedTransactionCode  string    `json:"unifiedTransactionCode"`
	CertSn                  string    `json:"certSn"`
	CAOrgType               string    `json:"caOrgType"`
	SignOriVal              string    `json:"signOriVal"`
	SignatureValue          string    `json:"signatureValue"`
	PubCert                 string    `json:"pubCert"`
	Algorithm               string    `json:"algorithm"`
}

// EventID implements Payload.
func (p *SealWithdrawal) EventID() string { return p.TID }

// EncryptionCert is type 05.
type EncryptionCert struct {
	TID                     string `json:"TId"`
	PersonalTransactionCode string `json:"personalTransactionCode"`
	CAOrgType               string `json:"caOrgType"`
	SignOriVal              string `json:"signOriVal"`
	SignatureValue          string `json:"signatureValue"`
	EncPubCert              string `json:"encPubCert"`
	SignCertSn              string `json:"signCertSn"`
	EncCertSn               string `json:"encCertSn"`
	PubCert                 string `json:"pubCert"`
	Algorithm               string `json:"algorithm"` // "SM2" or "RSA"
	TelephoneNum            string `json:"telephoneNum"`
}

// EventID implements Payload.
func (p *EncryptionCert) EventID() string { return p.TID }

// DecryptInfo is one entry of type 06's decryptInfoList.
type DecryptInfo struct {
	Key        string `json:"key"`
	DecryptStr string `json:"decryptStr"`
}

// DecryptResult is type 06.
type DecryptResult struct {
	TID                     string        `json:"TId"`
	PersonalTransactionCode string        `json:"personalTransactionCode"`
	DecryptInfoList         []DecryptInfo `json:"decryptInfoList"`
}

// EventID implements Payload.
func (p *DecryptResult) EventID() string { return p.TID }

// SignCert is type 08.
type SignCert struct {
	TID        string `json:"tId"`
	SignCertSn string `json:"signCertSn"`
	PubCert    string `json:"pubCert"`
}

// EventID implements Payload.
func (p *SignCert) EventID() string { return p.TID }

// ExitContinuousSign is type 12. The seed documents pid as "user name"; it
// is kept as sent.
type ExitContinuousSign struct {
	TID      string     `json:"tid"`
	PID      string     `json:"pid"`
	Source   ExitSource `json:"source"`
	ExitType string     `json:"exitType"` // "12": exit continuous signing
}

// EventID implements Payload.
func (p *ExitContinuousSign) EventID() string { return p.TID }

// SignatureValues is type 14.
type SignatureValues struct {
	TID                     string             `json:"TId"`
	UseStatus               UseStatus          `json:"useStatus"`
	PersonalTransactionCode string             `json:"personalTransactionCode"`
	UnifiedTransactionCode  string             `json:"unifiedTransactionCode"`
	CertSn                  string             `json:"certSn"`
	CAOrgType               string             `json:"caOrgType"`
	PubCert                 string             `json:"pubCert"`
	Algorithm               string             `json:"algorithm"`
	SignatureValueList      SignatureValueList `json:"signatureValueList"`
}

// EventID implements Payload.
func (p *SignatureValues) EventID() string { return p.TID }

// SignatureValueList is type 14's list of signature values. The seed types
// it "text: a group of hash values", so it accepts a JSON array of strings,
// a JSON array of objects (each kept as its JSON text), a string holding a
// JSON array, or a comma-separated string.
type SignatureValueList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *SignatureValueList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = nil
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err == nil {
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			var s string
			if json.Unmarshal(r, &s) != nil {
				s = string(r)
			}
			out = append(out, s)
		}
		*l = out
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("signatureValueList is neither a list nor a string")
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		return l.UnmarshalJSON([]byte(s))
	}
	if s == "" {
		*l = nil
		return nil
	}
	*l = strings.Split(s, ",")
	return nil
}

// newPayload returns an empty typed payload for t, or nil for an unknown t.
func newPayload(t Type) Payload {
	switch t {
	case TypeScanStatus:
		return new(ScanStatus)
	case TypeUserInfo, TypeScannerUserInfo, TypeSignerUserInfo:
		return new(UserInfo)
	case TypeSealWithdrawal:
		return new(SealWithdrawal)
	case TypeEncryptionCert:
		return new(EncryptionCert)
	case TypeDecryptResult:
		return new(DecryptResult)
	case TypeSignCert:
		return new(SignCert)
	case TypeExitContinuousSign:
		return new(ExitContinuousSign)
	case TypeSignatureValues:
		return new(SignatureValues)
	}
	return nil
}
