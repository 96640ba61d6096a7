package levy

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
)

// These tests hold decodeQueryOrderFast to the path it stands in front
// of (jsonkeys.Check, then decodeSuccess) directly, and show that it is
// the path taken for the usual answers; the testkit's tests hold
// QueryOrder, fast path included, to the spec's fields from outside.

// queryOrderFull is QUERY_ORDER_V2's answer with every field of §2.7's
// two tables.
const queryOrderFull = `{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R20220630000001","id_card":"110101199003074514","name":"张三","credit_code":"91110000100000000X","customer_id":"C1","remit_order_list":[{"order_id":"RO1","tax_agent_location_id":101,"amount":"100.00","fee":"6.00","actual_amount":"106.00","compensate_fee":"0.50","sum_fee":"6.50","remit_status":"REMIT"},{"order_id":"RO2","tax_agent_location_id":"102","amount":"1","fee":"0.1","actual_amount":"1.11","compensate_fee":"0.01","sum_fee":"0.11","remit_status":"CLOSE"}],"tax_mode":"GENERAL","arising_time":"2022-06-30T10:00:00.000","accept_time":"2022-06-30 10:00:01","cellphone":"13800000000","bankcard_no":"6222020000000000000","status":"CLOSE","fail_reason":"x","task_id":1234567890}}`

// queryCases are answers of the usual shape (the first queryTaken) and
// near misses.
var queryCases = []string{
	queryOrderFull,
	`{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R20220630000001","status":"CLOSE","remit_order_list":[]}}`,
	`{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R1","status":"CLOSE","remit_order_list":[{"order_id":"RO1","tax_agent_location_id":101,"amount":"100.00","fee":"6.00","actual_amount":"106.00","compensate_fee":"0.00","sum_fee":"6.00","remit_status":"ACCEPT"}]}}`,
	` { "code" : "0" , "data" : { "request_id" : "R1" , "status" : "ACCEPT" , "task_id" : "" , "arising_time" : "" } } `,
	`{"CODE":"0","Name":"QUERY_ORDER_V2","DATA":{"Request_ID":"R1","STATUS":"PROCESS","remit_order_list":[{"Amount":12.3,"tax_agent_location_id":null,"fee":null,"sum_fee":"null","compensate_fee":""}]}}`,
	`{"code":"0","data":{"request_id":"R1","accept_time":null,"task_id":null,"x":[1,{"y":null}],"remit_order_list":[{"z":true}]},"extra":[true,false,null,-1.5e3]}`,
	`{"code":"0","data":{}}`,
	// near misses: the path behind decides
	`{"name":"QUERY_ORDER_V2","code":"1001","message":"失败","data":{"request_id":"R1"}}`,
	`{"name":"CREATE_ORDER_V2","code":"0","data":{"request_id":"R1"}}`,
	`{"code":0,"data":{"request_id":"R1"}}`,
	`{"code":null,"data":{"request_id":"R1"}}`,
	`{"code":"0","message":null,"data":{"request_id":"R1"}}`,
	`{"code":"0","message":5,"data":{"request_id":"R1"}}`,
	`{"code":"0","name":null,"data":{"request_id":"R1"}}`,
	`{"code":"0"}`,
	`{"code":"0","data":null}`,
	`{"code":"0","data":"x"}`,
	`{"code":"0","data":{"request_id":"R1"},"data":{"request_id":"R2"}}`,
	`{"code":"0","code":"0","data":{"request_id":"R1"}}`,
	`{"code":"0","data":{"request_id":"R1","REQUEST_ID":"R2"}}`,
	`{"code":"0","data":{"request_id":"R1","x":{"a":1,"A":2}}}`,
	`{"code":"0","data":{"request_id":"R1"},"x":{"a":1,"a":2}}`,
	`{"code":"0","data":{"request_\u0069d":"R1"}}`,
	`{"code":"0","data":{"request_id":"R\u0031"}}`,
	"{\"code\":\"0\",\"data\":{\"request_id\":\"R\xff\"}}", // not UTF-8: encoding/json reads U+FFFD
	`{"code":"0","data":{"request_id":null}}`,
	`{"code":"0","data":{"request_id":1}}`,
	`{"code":"0","data":{"task_id":"12a"}}`,
	`{"code":"0","data":{"task_id":123456789012345678901}}`,
	`{"code":"0","data":{"task_id":1.5}}`,
	`{"code":"0","data":{"arising_time":"yesterday"}}`,
	`{"code":"0","data":{"arising_time":20220630}}`,
	`{"code":"0","data":{"remit_order_list":[{"amount":"1.234"}]}}`,
	`{"code":"0","data":{"remit_order_list":[{"amount":"1.0\u0030"}]}}`,
	`{"code":"0","data":{"remit_order_list":[null]}}`,
	`{"code":"0","data":{"remit_order_list":null}}`,
	`{"code":"0","data":{"remit_order_list":{}}}`,
	`{"code":"0","data":{"status":true}}`,
	`{"code":"0","data":{"requeſt_id":"R1"}}`,
	`{"code":"0","data":{"request_id":"R1"}} x`,
	`{"code":"0","data":{"request_id":"R1"},}`,
	`{"code":"0","data":{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}`,
	`[]`, `null`, `0`, ``,
}

// queryTaken is how many of queryCases the fast path reads.
const queryTaken = 7

// checkQuerySame fails unless decodeQueryOrderFast, where it reads an
// answer, gives what decode's path behind it gives (jsonkeys.Check
// passes, decodeSuccess decodes the same response), and leaves out zero
// where it does not.
func checkQuerySame(t *testing.T, raw []byte) {
	t.Helper()
	var got QueryOrderResponse
	if !decodeQueryOrderFast(OperationQueryOrder, raw, &got) {
		if !reflect.DeepEqual(got, QueryOrderResponse{}) { //nolint:forbidigo // go-cmp is no dependency of this module
			t.Fatalf("%q: not read in one pass, but out = %#v", raw, got)
		}
		return
	}
	if err := jsonkeys.Check(raw); err != nil {
		t.Fatalf("%q: read in one pass, but jsonkeys.Check refuses it: %v", raw, err)
	}
	var want QueryOrderResponse
	if !decodeSuccess(OperationQueryOrder, raw, &want) {
		t.Fatalf("%q: read in one pass, but decodeSuccess refuses it", raw)
	}
	if !reflect.DeepEqual(got, want) { //nolint:forbidigo // go-cmp is no dependency of this module
		t.Fatalf("%q:\n got %#v\nwant %#v", raw, got, want)
	}
}

func TestDecodeQueryOrderFast(t *testing.T) {
	t.Parallel()
	for _, c := range queryCases {
		checkQuerySame(t, []byte(c))
	}
}

// TestDecodeQueryOrderFastTaken: the usual answers (every field of the
// spec, the testkit's fixture, the benchmark's body) are read in one
// pass; the near misses are not.
func TestDecodeQueryOrderFastTaken(t *testing.T) {
	t.Parallel()
	for i, c := range queryCases {
		var r QueryOrderResponse
		if got, want := decodeQueryOrderFast(OperationQueryOrder, []byte(c), &r), i < queryTaken; got != want {
			t.Errorf("%s: one pass %v, want %v", c, got, want)
		}
	}
}

// FuzzDecodeQueryOrderFast: on any answer decodeQueryOrderFast reads,
// jsonkeys.Check passes and the response is decodeSuccess's.
func FuzzDecodeQueryOrderFast(f *testing.F) {
	for _, c := range queryCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkQuerySame(t, raw) })
}

// TestDecodeQueryOrderFastReadsEveryField: queryOrderFull sets every
// field of QueryOrderResponse and RemitOrder (checked by reflection, so
// that a field added to either type and not to queryfast.go, nor to the
// sample, fails here), and the one pass reads it as decodeSuccess does.
func TestDecodeQueryOrderFastReadsEveryField(t *testing.T) {
	t.Parallel()
	var got QueryOrderResponse
	if !decodeQueryOrderFast(OperationQueryOrder, []byte(queryOrderFull), &got) {
		t.Fatal("queryOrderFull: not read in one pass")
	}
	checkQuerySame(t, []byte(queryOrderFull))
	zeroFields(t, reflect.ValueOf(got), "QueryOrderResponse")
	for i, o := range got.RemitOrderList {
		zeroFields(t, reflect.ValueOf(o), fmt.Sprintf("RemitOrderList[%d]", i))
	}
}

// zeroFields fails for each field of the struct v that is zero, except
// those encoding/json never sets (json:"-").
func zeroFields(t *testing.T, v reflect.Value, name string) {
	t.Helper()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Tag.Get("json") == "-" {
			continue
		}
		if v.Field(i).IsZero() {
			t.Errorf("%s.%s is zero: the sample or the one pass misses it", name, f.Name)
		}
	}
}

// BenchmarkDecodeQueryOrder: QUERY_ORDER_V2's answer with every field
// read in one pass, and by the path behind it (jsonkeys.Check, then
// decodeSuccess).
func BenchmarkDecodeQueryOrder(b *testing.B) {
	raw := []byte(queryOrderFull)
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var r QueryOrderResponse
			if !decodeQueryOrderFast(OperationQueryOrder, raw, &r) {
				b.Fatal("not read")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var r QueryOrderResponse
			if jsonkeys.Check(raw) != nil || !decodeSuccess(OperationQueryOrder, raw, &r) {
				b.Fatal("not read")
			}
		}
	})
}
