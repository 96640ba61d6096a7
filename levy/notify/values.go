package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// ID is an identifier the spec types I (an integer of up to 20 digits):
// tax_agent_parent_id, tax_agent_location_id, agent_parent_id, task_id, in
// requests, answers and notifications. It is held as its decimal text, so 20 digits never
// overflow, and decodes from a JSON number, a string of digits or ""
// (the spec's own CLOSE_ORDER_NOTICE sample sends "tax_agent_location_id":
// ""). It encodes as a JSON number; the empty ID as null. An ID with a
// leading zero ("012", read from a string) has no JSON number form and
// does not encode (levy's Validate refuses it in a request).
type ID string

// errID describes a bad ID without echoing the value.
var errID = errors.New("levy: an id is not an integer of at most 20 digits")

// UnmarshalJSON reads a number, a string of digits, "" or null.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*id = ""
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return errID
		}
	}
	if !wire.IDText(s) {
		return errID
	}
	*id = ID(s)
	return nil
}

// MarshalJSON writes the digits as a JSON number (null when empty); an ID
// that is not digits, or has a leading zero (012 is not JSON), is an error.
func (id ID) MarshalJSON() ([]byte, error) {
	if id == "" {
		return []byte("null"), nil
	}
	if !wire.IDText(string(id)) || (len(id) > 1 && id[0] == '0') {
		return nil, errID
	}
	return []byte(id), nil
}

// String returns the digits.
func (id ID) String() string { return string(id) }

// Amount is an amount of yuan held exactly as fen (0.01 yuan). On the wire
// it is a string with two decimals, "12.34"; floats never appear.
type Amount int64

// Yuan returns the Amount of y whole yuan (Yuan(1000) is 1000.00). For an
// amount with fen use Fen (Fen(1234) is 12.34) or, from text, ParseAmount.
// A y beyond ±92,233,720,368,547,758 does not fit and wraps, as int64
// arithmetic does.
func Yuan(y int64) Amount { return Amount(y * 100) }

// Fen returns the Amount of n fen (0.01 yuan): Fen(1234) is 12.34.
func Fen(n int64) Amount { return Amount(n) }

// ParseAmount parses "12", "12.3" or "12.34" (an optional leading '-'),
// rejecting more than two decimals, exponents and anything not a number.
func ParseAmount(s string) (Amount, error) {
	fen, ok := wire.ParseFen(s)
	if !ok {
		return 0, fmt.Errorf("levy: amount %q is not yuan with at most two decimals", s)
	}
	return Amount(fen), nil
}

// String returns the amount as yuan with exactly two decimals.
func (a Amount) String() string {
	n := int64(a)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Fen returns the amount in fen.
func (a Amount) Fen() int64 { return int64(a) }

// MarshalJSON writes the amount as a JSON string "12.34".
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(`"` + a.String() + `"`), nil }

// UnmarshalJSON reads a JSON string (or, leniently, a JSON number text)
// with at most two decimals.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	fen, ok := wire.AmountText(s)
	if !ok {
		return errors.New("levy: amount is not yuan with at most two decimals")
	}
	*a = Amount(fen)
	return nil
}

// Time is a wire timestamp "2006-01-02T15:04:05.000" in Beijing time
// (seconds-only text is accepted on input).
type Time struct{ time.Time }

// MarshalJSON writes the Beijing-time text.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(t.In(wire.CST).Format(wire.TimestampLayout))
}

// UnmarshalJSON reads the Beijing-time text; "" is the zero Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return errTime
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	v, ok := wire.ParseTime(s)
	if !ok {
		return errTime
	}
	t.Time = v
	return nil
}

// errTime is Time.UnmarshalJSON's error: a plain value, safe to print
// (a *json.UnmarshalTypeError without a Type panics in Error).
var errTime = errors.New("levy: a time is not yyyy-MM-ddTHH:mm:ss.SSS in Beijing time")

// RemitOrder is one remit order of a levy order.
type RemitOrder struct {
	OrderID            string      `json:"order_id"`
	TaxAgentLocationID ID          `json:"tax_agent_location_id"`
	Amount             Amount      `json:"amount"`
	Fee                Amount      `json:"fee"`
	ActualAmount       Amount      `json:"actual_amount"`
	CompensateFee      Amount      `json:"compensate_fee"`
	SumFee             Amount      `json:"sum_fee"`
	RemitStatus        RemitStatus `json:"remit_status"`
}

// Paid reports a remit order whose tax was paid: confirmed CONTINUE (the
// step the host sent with levy.Client.ConfirmOrder), then REMIT (§3.3 出款成功) or
// CLOSE (§2.5: "缴税成功后再变为 CLOSE 状态"). The wire has no field that
// tells this CLOSE from §3.3's "已关闭，客户已取消": only the step sent
// does.
func (r RemitOrder) Paid(confirmed NextStep) bool {
	return confirmed == NextStepContinue && (r.RemitStatus == RemitStatusRemit || r.RemitStatus == RemitStatusClose)
}

// Cancelled reports a remit order closed without payment: CLOSE after
// CANCEL, or never confirmed (confirmed "") and closed after 72 hours
// (§2.4, §3.3 "已关闭，客户已取消").
func (r RemitOrder) Cancelled(confirmed NextStep) bool {
	return r.RemitStatus == RemitStatusClose && confirmed != NextStepContinue
}
