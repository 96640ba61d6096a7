package levy

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// validateTaxpayer checks the identity fields shared by several interfaces.
func validateTaxpayer(c *validate.Collector, idCardField, idCard, nameField, name, phoneField, phone string, phoneMax int) {
	validateIDCard(c, idCardField, idCard)
	if c.Required(nameField, name) {
		c.MaxRunes(nameField, name, 10)
	}
	if phoneField != "" && c.Required(phoneField, phone) {
		c.MaxRunes(phoneField, phone, phoneMax)
	}
}

// validateIDCard checks a resident ID card number: 18 characters (GB
// 11643), or the 15 of first-generation cards, which the service still
// meets. The check digit is not verified here (see ValidIDCardChecksum).
func validateIDCard(c *validate.Collector, field, id string) {
	if !c.Required(field, id) {
		return
	}
	if n := len(id); (n != 15 && n != 18) || !wire.Digits(id[:min(n, 17)]) || (n == 18 && !wire.Digits(id[17:]) && id[17] != 'X' && id[17] != 'x') || (n == 15 && !wire.Digits(id)) {
		c.Addf(field, "is not a 15- or 18-character ID card number")
	}
}

// ValidIDCardChecksum reports whether an 18-character ID card number's
// last character is its GB 11643-1999 check digit (ISO 7064 MOD 11-2).
func ValidIDCardChecksum(id string) bool {
	if len(id) != 18 || !wire.Digits(id[:17]) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(id[i]-'0') * w
	}
	want := "10X98765432"[sum%11]
	got := id[17]
	if got == 'x' {
		got = 'X'
	}
	return got == want
}

func validateRequestID(c *validate.Collector, field, id string) {
	if c.Required(field, id) {
		c.MaxRunes(field, id, 32)
	}
}

// SyncSignRequest is SYNC_SIGN: a person signs the shared-economy service
// agreement with the qualified party (asynchronous; the result arrives as a
// notification within 24 hours).
type SyncSignRequest struct {
	RequestID     string `json:"request_id"`
	IDCard        string `json:"id_card"`
	RealName      string `json:"real_name"`
	Cellphone     string `json:"cellphone"`
	AgentParentID ID     `json:"agent_parent_id,omitempty"`
}

// Validate reports every bad field.
func (r *SyncSignRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "request_id", r.RequestID)
	validateTaxpayer(&c, "id_card", r.IDCard, "real_name", r.RealName, "cellphone", r.Cellphone, 11)
	validateID(&c, "agent_parent_id", r.AgentParentID)
	return validationError(OperationSyncSign, &c)
}

// String prints the request with its personal data masked.
func (r SyncSignRequest) String() string {
	type plain SyncSignRequest
	r.IDCard, r.RealName, r.Cellphone = mask.IDCard(r.IDCard), mask.Name(r.RealName), mask.Phone(r.Cellphone)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r SyncSignRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("request_id", r.RequestID), slog.String("id_card", mask.IDCard(r.IDCard)),
		slog.String("real_name", mask.Name(r.RealName)), slog.String("cellphone", mask.Phone(r.Cellphone)))
}

// SyncSignResponse acknowledges a SYNC_SIGN request.
type SyncSignResponse struct {
	RequestID string   `json:"request_id"`
	Metadata  Metadata `json:"-"`
}

// SyncSign asks a person to sign the service agreement. The result comes
// as a SYNC_SIGN notification within 24 hours; when signing fails no
// notification is sent (rule R4): query QUERY_SIGN_UP_BATCH after 24
// hours. ErrOutcomeUnknown is keyed by the request_id.
//
// Olading API: SYNC_SIGN (/api/tax/v1).
func (c *Client) SyncSign(ctx context.Context, r *SyncSignRequest) (*SyncSignResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationSyncSign)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out SyncSignResponse
	md, err := c.call(ctx, OperationSyncSign, r.RequestID, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationSyncSign, r.RequestID, "request_id", out.RequestID); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}

// SignUpRequest is SIGN_UP: a taxpayer signs the authorisation agreement.
type SignUpRequest struct {
	IDCard           string `json:"id_card"`
	Name             string `json:"name"`
	Cellphone        string `json:"cellphone"`
	BankcardNo       string `json:"bankcard_no"`
	Limit2           bool   `json:"-"` // two-factor check: sent as limit_2 "T"
	TaxAgentParentID ID     `json:"tax_agent_parent_id,omitempty"`
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
	validateID(&c, "tax_agent_parent_id", r.TaxAgentParentID)
	if r.TaxAgentParentID != "" && r.CreditCode == "" {
		c.Addf("credit_code", "is required when tax_agent_parent_id is set (the agreement is with the qualified party)")
	}
	c.MaxRunes("credit_code", r.CreditCode, 20)
	c.MaxRunes("customer_id", r.CustomerID, 50)
	return validationError(OperationSignUp, &c)
}

// String prints the request with its personal data masked.
func (r SignUpRequest) String() string {
	type plain SignUpRequest
	r.IDCard, r.Name, r.Cellphone, r.BankcardNo = mask.IDCard(r.IDCard), mask.Name(r.Name), mask.Phone(r.Cellphone), mask.BankCard(r.BankcardNo)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r SignUpRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id_card", mask.IDCard(r.IDCard)), slog.String("name", mask.Name(r.Name)),
		slog.String("cellphone", mask.Phone(r.Cellphone)), slog.String("bankcard_no", mask.BankCard(r.BankcardNo)))
}

// SignUpResponse is SIGN_UP's answer.
type SignUpResponse struct {
	IDCard   string     `json:"id_card"`
	Status   SignStatus `json:"status"`
	Metadata Metadata   `json:"-"`
}

// String prints the answer with the ID card masked.
func (r SignUpResponse) String() string {
	return fmt.Sprintf("{IDCard:%s Status:%s}", mask.IDCard(r.IDCard), r.Status)
}

// LogValue masks the ID card.
func (r SignUpResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id_card", mask.IDCard(r.IDCard)), slog.String("status", string(r.Status)))
}

// SignUp signs a taxpayer up; an already signed taxpayer answers SIGN at
// once without a notification (rule 2), so SIGN_UP is idempotent: after
// ErrOutcomeUnknown (whose Key is "", SIGN_UP has no request_id) send it
// again. The answer must name the ID card sent (§2.2's answer carries
// id_card; its check letter x and X are the same): a signed answer about
// another taxpayer, replayed, is ErrMalformedResponse inside
// ErrOutcomeUnknown.
//
// Olading API: SIGN_UP (/api/levy/v1).
func (c *Client) SignUp(ctx context.Context, r *SignUpRequest) (*SignUpResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationSignUp)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out SignUpResponse
	md, err := c.call(ctx, OperationSignUp, "", r, &out)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(out.IDCard, r.IDCard) {
		return nil, notEchoed(OperationSignUp, "", "id_card") // Key "": SIGN_UP has no request_id, and an ID card is never a key
	}
	if out.Status == "" {
		return nil, &OutcomeUnknownError{Operation: OperationSignUp, Err: fmt.Errorf("%w: the answer has no status", ErrMalformedResponse)}
	}
	out.Metadata = md
	return &out, nil
}

// SignUpQuery is one detail of QUERY_SIGN_UP_BATCH.
type SignUpQuery struct {
	IDCard           string `json:"id_card"`
	TaxAgentParentID ID     `json:"tax_agent_parent_id,omitempty"`
}

// String prints the detail with the ID card masked.
func (q SignUpQuery) String() string {
	return fmt.Sprintf("{IDCard:%s TaxAgentParentID:%s}", mask.IDCard(q.IDCard), q.TaxAgentParentID)
}

// LogValue masks the ID card.
func (q SignUpQuery) LogValue() slog.Value { return slog.StringValue(q.String()) }

// QuerySignUpBatchRequest is QUERY_SIGN_UP_BATCH (at most 500 details).
type QuerySignUpBatchRequest struct {
	BatchNo      string        `json:"batch_no"`
	BatchDetails []SignUpQuery `json:"batch_details"`
}

// String prints the request with the ID cards masked.
func (r QuerySignUpBatchRequest) String() string {
	return fmt.Sprintf("{BatchNo:%s BatchDetails:%v}", r.BatchNo, r.BatchDetails)
}

// LogValue masks the ID cards.
func (r QuerySignUpBatchRequest) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MaxSignUpBatch is the most details one QUERY_SIGN_UP_BATCH takes.
const MaxSignUpBatch = 500

// SplitSignUpQueries cuts details into batches of at most MaxSignUpBatch
// (rule 2: "单批次不超过 500 条"), one QUERY_SIGN_UP_BATCH each, each with
// its own batch_no.
func SplitSignUpQueries(details []SignUpQuery) [][]SignUpQuery {
	var out [][]SignUpQuery
	for len(details) > 0 {
		n := min(len(details), MaxSignUpBatch)
		out = append(out, details[:n:n])
		details = details[n:]
	}
	return out
}

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
		validateIDCard(&c, fmt.Sprintf("batch_details[%d].id_card", i), d.IDCard)
		validateID(&c, fmt.Sprintf("batch_details[%d].tax_agent_parent_id", i), d.TaxAgentParentID)
	}
	return validationError(OperationQuerySignUpBatch, &c)
}

// SignUpRecord is one answer detail.
type SignUpRecord struct {
	IDCard           string     `json:"id_card"`
	TaxAgentParentID ID         `json:"tax_agent_parent_id,omitempty"`
	Status           SignStatus `json:"status"`
}

// String prints the record with the ID card masked.
func (r SignUpRecord) String() string {
	return fmt.Sprintf("{IDCard:%s TaxAgentParentID:%s Status:%s}", mask.IDCard(r.IDCard), r.TaxAgentParentID, r.Status)
}

// LogValue masks the ID card.
func (r SignUpRecord) LogValue() slog.Value { return slog.StringValue(r.String()) }

// QuerySignUpBatchResponse is QUERY_SIGN_UP_BATCH's answer.
type QuerySignUpBatchResponse struct {
	BatchNo      string         `json:"batch_no"`
	BatchDetails []SignUpRecord `json:"batch_details"`
	Metadata     Metadata       `json:"-"`
}

// String prints the answer with the ID cards masked.
func (r QuerySignUpBatchResponse) String() string {
	return fmt.Sprintf("{BatchNo:%s BatchDetails:%v}", r.BatchNo, r.BatchDetails)
}

// LogValue masks the ID cards.
func (r QuerySignUpBatchResponse) LogValue() slog.Value { return slog.StringValue(r.String()) }

// QuerySignUpBatch queries the agreement state of up to 500 people. An
// answer whose batch_no is not the one sent (§2.6's answer carries it) is
// ErrMalformedResponse: a signed answer of another batch, replayed. The
// details are not matched one by one: batch_no, unique per merchant
// ("由商户保持唯一"), binds the answer to the request, and the service may
// write an ID card otherwise than it was sent (x as X).
//
// Olading API: QUERY_SIGN_UP_BATCH (/api/levy/v1).
func (c *Client) QuerySignUpBatch(ctx context.Context, r *QuerySignUpBatchRequest) (*QuerySignUpBatchResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationQuerySignUpBatch)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out QuerySignUpBatchResponse
	md, err := c.call(ctx, OperationQuerySignUpBatch, r.BatchNo, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationQuerySignUpBatch, r.BatchNo, "batch_no", out.BatchNo); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}
