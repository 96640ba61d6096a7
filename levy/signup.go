package levy

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// validateTaxpayer checks the identity fields shared by several interfaces.
func validateTaxpayer(c *validate.Collector, idCardField, idCard, nameField, name, phoneField, phone string, phoneMax int) {
	if c.Required(idCardField, idCard) {
		c.ExactRunes(idCardField, idCard, 18)
	}
	if c.Required(nameField, name) {
		c.MaxRunes(nameField, name, 10)
	}
	if phoneField != "" && c.Required(phoneField, phone) {
		c.MaxRunes(phoneField, phone, phoneMax)
	}
}

func validateRequestID(c *validate.Collector, field, id string) {
	if c.Required(field, id) {
		c.MaxRunes(field, id, 32)
	}
}

// SyncSignRequest is SYNC_SIGN: a person signs the shared-economy service
// agreement with the qualified party (asynchronous; the result arrives as a
// notice within 24 hours).
type SyncSignRequest struct {
	RequestID     string `json:"request_id"`
	IDCard        string `json:"id_card"`
	RealName      string `json:"real_name"`
	Cellphone     string `json:"cellphone"`
	AgentParentID int64  `json:"agent_parent_id,omitempty"`
}

// Validate reports every bad field.
func (r *SyncSignRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "request_id", r.RequestID)
	validateTaxpayer(&c, "id_card", r.IDCard, "real_name", r.RealName, "cellphone", r.Cellphone, 11)
	return validationError(NameSyncSign, &c)
}

// LogValue masks personal data.
func (r *SyncSignRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("request_id", r.RequestID), slog.String("id_card", mask.IDCard(r.IDCard)),
		slog.String("real_name", mask.Name(r.RealName)), slog.String("cellphone", mask.Phone(r.Cellphone)))
}

// SyncSignResponse acknowledges a SYNC_SIGN request.
type SyncSignResponse struct {
	RequestID string `json:"request_id"`
}

// SyncSign asks a person to sign the service agreement.
//
// Olading API: SYNC_SIGN (/api/tax/v1).
func (c *Client) SyncSign(ctx context.Context, r *SyncSignRequest) (*SyncSignResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out SyncSignResponse
	if err := c.call(ctx, NameSyncSign, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SignUpRequest is SIGN_UP: a taxpayer signs the authorisation agreement.
type SignUpRequest struct {
	IDCard           string `json:"id_card"`
	Name             string `json:"name"`
	Cellphone        string `json:"cellphone"`
	BankcardNo       string `json:"bankcard_no"`
	Limit2           bool   `json:"-"` // two-factor check: sent as limit_2 "T"
	TaxAgentParentID int64  `json:"tax_agent_parent_id,omitempty"`
	CreditCode       string `json:"credit_code,omitempty"`
	CustomerID       string `json:"customer_id,omitempty"`
}

// MarshalJSON adds limit_2 "T" when Limit2 is set, after the fields in
// their wire order.
func (r SignUpRequest) MarshalJSON() ([]byte, error) {
	type plain SignUpRequest
	return withLimit2(plain(r), r.Limit2)
}

// withLimit2 encodes v and, when on, appends "limit_2":"T".
func withLimit2(v any, on bool) ([]byte, error) {
	b, err := marshal(v)
	if err != nil || !on {
		return b, err
	}
	if len(b) > 2 {
		return append(b[:len(b)-1], `,"limit_2":"T"}`...), nil
	}
	return []byte(`{"limit_2":"T"}`), nil
}

// Validate reports every bad field.
func (r *SignUpRequest) Validate() error {
	var c validate.Collector
	validateTaxpayer(&c, "id_card", r.IDCard, "name", r.Name, "cellphone", r.Cellphone, 20)
	if c.Required("bankcard_no", r.BankcardNo) {
		c.MaxRunes("bankcard_no", r.BankcardNo, 20)
	}
	if r.TaxAgentParentID != 0 && r.CreditCode == "" {
		c.Addf("credit_code", "is required when tax_agent_parent_id is set (the agreement is with the qualified party)")
	}
	c.MaxRunes("credit_code", r.CreditCode, 20)
	c.MaxRunes("customer_id", r.CustomerID, 50)
	return validationError(NameSignUp, &c)
}

// LogValue masks personal data.
func (r *SignUpRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id_card", mask.IDCard(r.IDCard)), slog.String("name", mask.Name(r.Name)),
		slog.String("cellphone", mask.Phone(r.Cellphone)), slog.String("bankcard_no", mask.BankCard(r.BankcardNo)))
}

// SignUpResponse is SIGN_UP's answer.
type SignUpResponse struct {
	IDCard string     `json:"id_card"`
	Status SignStatus `json:"status"`
}

// SignUp signs a taxpayer up; an already signed taxpayer answers SIGN at
// once without a notice.
//
// Olading API: SIGN_UP (/api/levy/v1).
func (c *Client) SignUp(ctx context.Context, r *SignUpRequest) (*SignUpResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out SignUpResponse
	if err := c.call(ctx, NameSignUp, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SignUpQuery is one detail of QUERY_SIGN_UP_BATCH.
type SignUpQuery struct {
	IDCard           string `json:"id_card"`
	TaxAgentParentID int64  `json:"tax_agent_parent_id,omitempty"`
}

// QuerySignUpBatchRequest is QUERY_SIGN_UP_BATCH (at most 500 details).
type QuerySignUpBatchRequest struct {
	BatchNo      string        `json:"batch_no"`
	BatchDetails []SignUpQuery `json:"batch_details"`
}

// MaxSignUpBatch is the most details one QUERY_SIGN_UP_BATCH takes.
const MaxSignUpBatch = 500

// Validate reports every bad field.
func (r *QuerySignUpBatchRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "batch_no", r.BatchNo)
	switch n := len(r.BatchDetails); {
	case n == 0:
		c.Addf("batch_details", "is required")
	case n > MaxSignUpBatch:
		c.Addf("batch_details", "has %d details, at most %d allowed", n, MaxSignUpBatch)
	}
	for i, d := range r.BatchDetails {
		if c.Required(fmt.Sprintf("batch_details[%d].id_card", i), d.IDCard) {
			c.ExactRunes(fmt.Sprintf("batch_details[%d].id_card", i), d.IDCard, 18)
		}
	}
	return validationError(NameQuerySignUpBatch, &c)
}

// SignUpRecord is one answer detail.
type SignUpRecord struct {
	IDCard           string     `json:"id_card"`
	TaxAgentParentID int64      `json:"tax_agent_parent_id,omitempty"`
	Status           SignStatus `json:"status"`
}

// QuerySignUpBatchResponse is QUERY_SIGN_UP_BATCH's answer.
type QuerySignUpBatchResponse struct {
	BatchNo      string         `json:"batch_no"`
	BatchDetails []SignUpRecord `json:"batch_details"`
}

// QuerySignUpBatch queries the agreement state of up to 500 people.
//
// Olading API: QUERY_SIGN_UP_BATCH (/api/levy/v1).
func (c *Client) QuerySignUpBatch(ctx context.Context, r *QuerySignUpBatchRequest) (*QuerySignUpBatchResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out QuerySignUpBatchResponse
	if err := c.call(ctx, NameQuerySignUpBatch, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
