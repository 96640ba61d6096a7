package levy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// Time is notify.Time; see there.
type Time = notify.Time

// CreateOrderRequest is CREATE_ORDER_V2. Exactly one of Profit and
// PayAmount, and exactly one of CreditCode and CustomerID, is required.
type CreateOrderRequest struct {
	RequestID          string  `json:"request_id"`
	IDCard             string  `json:"id_card"`
	Name               string  `json:"name"`
	TaxAgentParentID   ID      `json:"tax_agent_parent_id"`
	TaxAgentLocationID ID      `json:"tax_agent_location_id,omitempty"`
	CreditCode         string  `json:"credit_code,omitempty"`
	CustomerID         string  `json:"customer_id,omitempty"`
	Cellphone          string  `json:"cellphone"`
	BankcardNo         string  `json:"bankcard_no"`
	Profit             *Amount `json:"profit,omitempty"`     // the taxpayer's income after tax
	PayAmount          *Amount `json:"pay_amount,omitempty"` // what the enterprise pays
	TaxMode            TaxMode `json:"tax_mode"`
	Limit2             bool    `json:"-"`
	TaskID             ID      `json:"task_id,omitempty"`
	Remark             string  `json:"remark,omitempty"`
}

// MarshalJSON adds limit_2 "T" when Limit2 is set.
func (r CreateOrderRequest) MarshalJSON() ([]byte, error) {
	type plain CreateOrderRequest
	return withLimit2(plain(r), r.Limit2)
}

// Validate reports every bad field.
func (r *CreateOrderRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "request_id", r.RequestID)
	validateTaxpayer(&c, "id_card", r.IDCard, "name", r.Name, "cellphone", r.Cellphone, 20)
	if r.TaxAgentParentID == "" {
		c.Addf("tax_agent_parent_id", "is required")
	}
	validateID(&c, "tax_agent_parent_id", r.TaxAgentParentID)
	validateID(&c, "tax_agent_location_id", r.TaxAgentLocationID)
	c.ExactlyOne([]string{"credit_code", "customer_id"}, r.CreditCode, r.CustomerID)
	c.MaxRunes("credit_code", r.CreditCode, 20)
	c.MaxRunes("customer_id", r.CustomerID, 50)
	if c.Required("bankcard_no", r.BankcardNo) {
		c.MaxRunes("bankcard_no", r.BankcardNo, 20)
	}
	if (r.Profit == nil) == (r.PayAmount == nil) {
		c.Addf("profit|pay_amount", "exactly one of profit, pay_amount is required")
	}
	if r.Profit != nil && *r.Profit <= 0 {
		c.Addf("profit", "must be positive")
	}
	if r.PayAmount != nil && *r.PayAmount <= 0 {
		c.Addf("pay_amount", "must be positive")
	}
	if c.Required("tax_mode", string(r.TaxMode)) {
		validate.OneOf(&c, "tax_mode", r.TaxMode, TaxModeGeneral, TaxModeSpecial)
	}
	validateID(&c, "task_id", r.TaskID)
	if len(r.TaskID) > 10 {
		c.Addf("task_id", "has more than 10 digits")
	}
	c.MaxRunes("remark", r.Remark, 100)
	return validationError(OperationCreateOrder, &c)
}

// String prints the request with its personal data masked, for fmt's %v,
// %+v and %s alike.
func (r CreateOrderRequest) String() string {
	type plain CreateOrderRequest
	r.IDCard, r.Name, r.Cellphone, r.BankcardNo = mask.IDCard(r.IDCard), mask.Name(r.Name), mask.Phone(r.Cellphone), mask.BankCard(r.BankcardNo)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r CreateOrderRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("request_id", r.RequestID), slog.String("id_card", mask.IDCard(r.IDCard)),
		slog.String("name", mask.Name(r.Name)), slog.String("cellphone", mask.Phone(r.Cellphone)),
		slog.String("bankcard_no", mask.BankCard(r.BankcardNo)))
}

// CreateOrderResponse is CREATE_ORDER_V2's answer: the order was accepted
// (ACCEPT); the result arrives as a notification.
type CreateOrderResponse struct {
	RequestID  string   `json:"request_id"`
	AcceptTime Time     `json:"accept_time"`
	Metadata   Metadata `json:"-"`
}

// ConfirmDeadline is when the spec's 72 hours after accept_time run out:
// a remit order still unconfirmed then is closed (CLOSE_ORDER_NOTICE).
func (r *CreateOrderResponse) ConfirmDeadline() time.Time {
	if r.AcceptTime.IsZero() {
		return time.Time{}
	}
	return r.AcceptTime.Add(72 * time.Hour)
}

// CreateOrder submits a levy order. It is never retried after the request
// may have left: unless a verified, fully decoded answer arrives it
// returns an *OutcomeUnknownError (ErrOutcomeUnknown) keyed by the
// request_id, and ReconcileOrder tells what happened.
//
// Olading API: CREATE_ORDER_V2 (/api/levy/v1).
func (c *Client) CreateOrder(ctx context.Context, r *CreateOrderRequest) (*CreateOrderResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationCreateOrder)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out CreateOrderResponse
	md, err := c.call(ctx, OperationCreateOrder, r.RequestID, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationCreateOrder, r.RequestID, "request_id", out.RequestID); err != nil {
		return nil, err
	}
	if out.AcceptTime.IsZero() {
		return nil, &OutcomeUnknownError{Operation: OperationCreateOrder, Key: r.RequestID,
			Err: fmt.Errorf("%w: the answer has no accept_time", ErrMalformedResponse)}
	}
	out.Metadata = md
	return &out, nil
}

// ReconcileOrder is the step after CreateOrder's ErrOutcomeUnknown: it
// queries the order by the error's request_id (QUERY_ORDER_V2, retried as
// queries are). err must hold an *OutcomeUnknownError of CREATE_ORDER_V2.
// It returns one of three outcomes:
//
//   - the order: the provider has it (whatever its status);
//   - an error matching ErrOrderNotFound (a verified *APIError with code
//     0002, see there): the provider does not know the request_id, and
//     CreateOrder may be sent again with the same request_id (never a new
//     one: should the order exist after all, the used request_id lets the
//     provider recognise it; levytest refuses it). An error answer holds
//     no request_id (§1.1.2's data is empty), so this one cannot be bound
//     to the query: a signed 0002 of another query, replayed, reads the
//     same. The resend under the same request_id is what keeps that
//     safe: a provider that has the order refuses the used request_id.
//     So a resend refused with 0002 (the request was validated: no
//     parameter is missing) says the order exists after all: query it;
//   - any other error, a verified one included (0001 系统失败 once the
//     retries are used up, 0003, an answer for another order), is an
//     *OutcomeUnknownError of CREATE_ORDER_V2 with the same Key, its cause
//     inside (errors.As finds the *APIError): the order may exist, the
//     outcome is still unknown. Call ReconcileOrder again later, with this
//     error or the first.
//
// A *ValidationError (a Key that is no request_id) is returned as it is.
func (c *Client) ReconcileOrder(ctx context.Context, err error) (*QueryOrderResponse, error) {
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.Operation != OperationCreateOrder || ou.Key == "" {
		return nil, errors.New("levy: ReconcileOrder: want an outcome-unknown error of CREATE_ORDER_V2")
	}
	q, qerr := c.QueryOrder(ctx, &QueryOrderRequest{RequestID: ou.Key})
	var ve *ValidationError
	switch {
	case qerr == nil:
		return q, nil
	case errors.Is(qerr, ErrOrderNotFound), errors.As(qerr, &ve):
		return nil, qerr
	}
	return nil, &OutcomeUnknownError{Operation: OperationCreateOrder, Key: ou.Key, Err: qerr}
}

// ConfirmOrderRequest is CONFIRM_ORDER_V2.
type ConfirmOrderRequest struct {
	OrderID     string   `json:"order_id"`
	ArisingTime Time     `json:"arising_time"`
	NextStep    NextStep `json:"next_step"`
}

// Validate reports every bad field.
func (r *ConfirmOrderRequest) Validate() error {
	var c validate.Collector
	if c.Required("order_id", r.OrderID) {
		c.MaxRunes("order_id", r.OrderID, 32)
	}
	if r.ArisingTime.IsZero() {
		c.Addf("arising_time", "is required")
	}
	if c.Required("next_step", string(r.NextStep)) {
		validate.OneOf(&c, "next_step", r.NextStep, NextStepContinue, NextStepCancel)
	}
	return validationError(OperationConfirmOrder, &c)
}

// ConfirmOrderResponse is CONFIRM_ORDER_V2's answer.
type ConfirmOrderResponse struct {
	OrderID  string   `json:"order_id"`
	Metadata Metadata `json:"-"`
}

// ConfirmOrder continues (irrevocably: the remit order goes PROCESS, then
// CLOSE once the tax is paid) or cancels (CLOSE at once) an accepted remit
// order. ErrOutcomeUnknown is keyed by the order_id; QueryOrder of the
// levy order shows the remit order's status.
//
// Olading API: CONFIRM_ORDER_V2 (/api/levy/v1).
func (c *Client) ConfirmOrder(ctx context.Context, r *ConfirmOrderRequest) (*ConfirmOrderResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationConfirmOrder)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out ConfirmOrderResponse
	md, err := c.call(ctx, OperationConfirmOrder, r.OrderID, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationConfirmOrder, r.OrderID, "order_id", out.OrderID); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}

// QueryOrderRequest is QUERY_ORDER_V2.
type QueryOrderRequest struct {
	RequestID string `json:"request_id"`
}

// Validate reports every bad field.
func (r *QueryOrderRequest) Validate() error {
	var c validate.Collector
	validateRequestID(&c, "request_id", r.RequestID)
	return validationError(OperationQueryOrder, &c)
}

// RemitOrder is notify.RemitOrder; see there.
type RemitOrder = notify.RemitOrder

// QueryOrderResponse is QUERY_ORDER_V2's answer.
type QueryOrderResponse struct {
	RequestID      string       `json:"request_id"`
	IDCard         string       `json:"id_card"`
	Name           string       `json:"name"`
	CreditCode     string       `json:"credit_code"`
	CustomerID     string       `json:"customer_id"`
	RemitOrderList []RemitOrder `json:"remit_order_list"`
	TaxMode        TaxMode      `json:"tax_mode"`
	ArisingTime    Time         `json:"arising_time"`
	AcceptTime     Time         `json:"accept_time"`
	Cellphone      string       `json:"cellphone"`
	BankcardNo     string       `json:"bankcard_no"`
	Status         OrderStatus  `json:"status"`
	FailReason     string       `json:"fail_reason"`
	TaskID         ID           `json:"task_id"`
	Metadata       Metadata     `json:"-"`
}

// Created reports §3.2's CLOSE with the remit orders created (the order
// may be paid and confirmed); Failed the three other CLOSE cases.
func (r *QueryOrderResponse) Created() bool { return r.asNotification().Created() }

// Failed reports an order closed without remit orders (FailReason says
// why).
func (r *QueryOrderResponse) Failed() bool { return r.asNotification().Failed() }

// asNotification is the order as its CREATE_ORDER_V2 notification says
// it: §3.2's reading of status, remit orders and fail_reason is written
// once, there.
func (r *QueryOrderResponse) asNotification() *OrderNotification {
	return &OrderNotification{RequestID: r.RequestID, RemitOrderList: r.RemitOrderList, Status: r.Status, FailReason: r.FailReason}
}

// RemitOrders returns the order's request_id and remit orders, where
// CloseOrderNotification.RemitOrder looks ("" and none for a nil answer).
func (r *QueryOrderResponse) RemitOrders() (requestID string, list []RemitOrder) {
	if r == nil {
		return "", nil
	}
	return r.RequestID, r.RemitOrderList
}

// String prints the answer with its personal data masked.
func (r QueryOrderResponse) String() string {
	type plain QueryOrderResponse
	r.IDCard, r.Name, r.Cellphone, r.BankcardNo = mask.IDCard(r.IDCard), mask.Name(r.Name), mask.Phone(r.Cellphone), mask.BankCard(r.BankcardNo)
	return fmt.Sprintf("%+v", plain(r))
}

// LogValue masks personal data.
func (r QueryOrderResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.String("request_id", r.RequestID), slog.String("status", string(r.Status)),
		slog.String("id_card", mask.IDCard(r.IDCard)), slog.String("name", mask.Name(r.Name)), slog.String("cellphone", mask.Phone(r.Cellphone)),
		slog.String("bankcard_no", mask.BankCard(r.BankcardNo)), slog.Int("remit_orders", len(r.RemitOrderList)))
}

// QueryOrder returns a levy order by its request_id. Queries are retried on
// transport errors and 5xx. An answer whose request_id is not the one asked
// (§2.7's answer carries it) is ErrMalformedResponse: answers carry no
// timestamp, so a signed answer about another order can be replayed, and
// its remit orders must never be confirmed. An order the provider does not
// know is an *APIError matching ErrOrderNotFound.
//
// Olading API: QUERY_ORDER_V2 (/api/levy/v1).
func (c *Client) QueryOrder(ctx context.Context, r *QueryOrderRequest) (*QueryOrderResponse, error) {
	if r == nil {
		return nil, errNilRequest(OperationQueryOrder)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out QueryOrderResponse
	md, err := c.call(ctx, OperationQueryOrder, r.RequestID, r, &out)
	if err != nil {
		return nil, err
	}
	if err := echoed(OperationQueryOrder, r.RequestID, "request_id", out.RequestID); err != nil {
		return nil, err
	}
	out.Metadata = md
	return &out, nil
}

// WaitFinal queries the order every interval until it is CLOSE (§3.2: its
// remit orders created, or refused; Created and Failed tell which),
// bounded by ctx alone. The CREATE_ORDER_V2 notification says the same
// without polling; WaitFinal is for a host that missed it. A query error
// ends the wait (queries are already retried inside).
func (c *Client) WaitFinal(ctx context.Context, r *QueryOrderRequest, interval time.Duration) (*QueryOrderResponse, error) {
	if interval <= 0 {
		return nil, fmt.Errorf("levy: WaitFinal: interval %v, want a positive duration", interval)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		q, err := c.QueryOrder(ctx, r)
		if err != nil || q.Status == OrderStatusClose {
			return q, err
		}
		select {
		case <-ctx.Done():
			return q, fmt.Errorf("levy: WaitFinal: order %s still %s: %w", r.RequestID, q.Status, ctx.Err())
		case <-t.C:
		}
	}
}

// errNilRequest reports a nil request.
func errNilRequest(op Operation) error {
	return &ValidationError{Operation: op, Fields: []FieldError{{Field: "request", Message: "is nil"}}}
}
