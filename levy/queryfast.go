package levy

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/onepass"
	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// decodeQueryOrderFast reads the usual QUERY_ORDER_V2 answer, code 0 for
// op and a data object, in one pass into out, where decode would have
// jsonkeys.Check scan it and decodeSuccess decode it by reflection (the
// call a host repeats while it waits for an order: BenchmarkDecodeQueryOrder).
// It reports whether it did; on false out is zero again and decode goes
// on as it always has. It only ever accepts what jsonkeys.Check accepts and
// decodeSuccess decodes to the same result (TestDecodeQueryOrderFast,
// FuzzDecodeQueryOrderFast): the answer is UTF-8 (encoding/json would
// replace an invalid byte in a string), every key is ASCII without an
// escape and every object's keys are distinct under case folding (so no
// member jsonkeys.Check refuses, "data" once, and each key matched to the
// field encoding/json matches it to); a string field is a string without
// escapes; an ID, Amount or Time is a string without escapes read as its
// UnmarshalJSON reads it (with the same wire helpers), or any other
// value handed to that method, as encoding/json hands it; anything else (null
// where a string or an object is due, an escape, deep nesting: see
// onepass) is not read here. The strings of out share one copy of raw,
// which is at most the answer's bound (WithMaxResponseBytes).
func decodeQueryOrderFast(op Operation, raw []byte, out *QueryOrderResponse) bool {
	if !utf8.Valid(raw) {
		return false
	}
	d := onepass.New(raw)
	var name, code string
	hasCode, hasData := false, false
	d.Space()
	ok := d.Object(1, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "name"):
			name, ok = d.Str()
		case onepass.FoldIs(k, "code"):
			code, ok = d.Str()
			hasCode = ok
		case onepass.FoldIs(k, "message"):
			_, ok = d.Str()
		case onepass.FoldIs(k, "data"):
			ok = readQueryOrder(d, depth, out)
			hasData = ok
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
	if !ok || !hasCode || Code(code) != CodeOK || name != "" && Operation(name) != op || !hasData || !d.AtEnd() {
		*out = QueryOrderResponse{}
		return false
	}
	return true
}

// readQueryOrder reads QUERY_ORDER_V2's data object into r.
func readQueryOrder(d *onepass.Reader, depth int, r *QueryOrderResponse) bool {
	return d.Object(depth, func(k []byte, depth int) bool {
		var ok bool
		var v string
		switch {
		case onepass.FoldIs(k, "request_id"):
			r.RequestID, ok = d.Str()
		case onepass.FoldIs(k, "id_card"):
			r.IDCard, ok = d.Str()
		case onepass.FoldIs(k, "name"):
			r.Name, ok = d.Str()
		case onepass.FoldIs(k, "credit_code"):
			r.CreditCode, ok = d.Str()
		case onepass.FoldIs(k, "customer_id"):
			r.CustomerID, ok = d.Str()
		case onepass.FoldIs(k, "remit_order_list"):
			r.RemitOrderList, ok = readRemitOrders(d, depth)
		case onepass.FoldIs(k, "tax_mode"):
			v, ok = d.Str()
			r.TaxMode = TaxMode(v)
		case onepass.FoldIs(k, "arising_time"):
			ok = readTime(d, depth, &r.ArisingTime)
		case onepass.FoldIs(k, "accept_time"):
			ok = readTime(d, depth, &r.AcceptTime)
		case onepass.FoldIs(k, "cellphone"):
			r.Cellphone, ok = d.Str()
		case onepass.FoldIs(k, "bankcard_no"):
			r.BankcardNo, ok = d.Str()
		case onepass.FoldIs(k, "status"):
			v, ok = d.Str()
			r.Status = OrderStatus(v)
		case onepass.FoldIs(k, "fail_reason"):
			r.FailReason, ok = d.Str()
		case onepass.FoldIs(k, "task_id"):
			ok = readID(d, depth, &r.TaskID)
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
}

// readRemitOrders reads remit_order_list into a new, non-nil slice, as
// encoding/json does.
func readRemitOrders(d *onepass.Reader, depth int) ([]RemitOrder, bool) {
	list := []RemitOrder{}
	ok := d.Array(depth, func(depth int) bool {
		list = append(list, RemitOrder{})
		o := &list[len(list)-1]
		return d.Object(depth, func(k []byte, depth int) bool {
			var ok bool
			switch {
			case onepass.FoldIs(k, "order_id"):
				o.OrderID, ok = d.Str()
			case onepass.FoldIs(k, "tax_agent_location_id"):
				ok = readID(d, depth, &o.TaxAgentLocationID)
			case onepass.FoldIs(k, "amount"):
				ok = readAmount(d, depth, &o.Amount)
			case onepass.FoldIs(k, "fee"):
				ok = readAmount(d, depth, &o.Fee)
			case onepass.FoldIs(k, "actual_amount"):
				ok = readAmount(d, depth, &o.ActualAmount)
			case onepass.FoldIs(k, "compensate_fee"):
				ok = readAmount(d, depth, &o.CompensateFee)
			case onepass.FoldIs(k, "sum_fee"):
				ok = readAmount(d, depth, &o.SumFee)
			case onepass.FoldIs(k, "remit_status"):
				var v string
				v, ok = d.Str()
				o.RemitStatus = RemitStatus(v)
			default:
				ok = d.Skip(depth)
			}
			return ok
		})
	})
	return list, ok
}

// readID, readAmount and readTime read a value as the type's
// UnmarshalJSON does: a string without escapes here (its text is its
// bytes, so each reads what the method would have unquoted), anything
// else (a number, null) by the method itself.

func readID(d *onepass.Reader, depth int, id *ID) bool {
	if !d.AtString() {
		return unmarshalValue(d, depth, id)
	}
	s, ok := d.Str()
	*id = ID(s)
	return ok && wire.IDText(s)
}

func readAmount(d *onepass.Reader, depth int, a *Amount) bool {
	if !d.AtString() {
		return unmarshalValue(d, depth, a)
	}
	s, ok := d.Str()
	if !ok {
		return false
	}
	fen, ok := wire.AmountText(s)
	*a = Amount(fen)
	return ok
}

func readTime(d *onepass.Reader, depth int, t *Time) bool {
	if !d.AtString() {
		return unmarshalValue(d, depth, t)
	}
	s, ok := d.Str()
	if !ok || s == "" {
		return ok // "": the zero Time
	}
	t.Time, ok = wire.ParseTime(s)
	return ok
}

// unmarshalValue reads a value and hands its bytes to u, as encoding/json
// hands a json.Unmarshaler the value's text (null included): an ID,
// Amount or Time decodes here exactly as there, by its own method.
func unmarshalValue(d *onepass.Reader, depth int, u json.Unmarshaler) bool {
	start := d.Offset()
	return d.Skip(depth) && u.UnmarshalJSON(d.Since(start)) == nil
}
