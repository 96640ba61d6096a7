package evidence

import (
	"reflect"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/onepass/onepasstest"
)

// The testkit's TestDecodeAsTwoSteps and FuzzDecodeAsTwoSteps hold
// GetStatus, fast path included, to the documented two-step reading from
// outside. These tests hold decodeStatusFast to decodeSuccess directly,
// and show that the fast path is the one taken for the usual answers (so
// that those tests do not pass through the fallback alone).

// statusCases are answers of the usual shape and near misses.
var statusCases = []string{
	`{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA20240101000001","bizNo":"B1","daStatus":10,"jsonResult":10,"authorizedTs":1700000000000,"ext":{"daSubStatus":"","childDaList":[]}}}`,
	`{"errorCode":0,"data":{"daId":"DA1","bizNo":"B1","daStatus":10,"browsingSite":"chrome-shopee-data","appId":"IDAkEBvb","certResult":0,"jsonResult":10,"authorizedTs":1700000000000,"ext":{"province":"广东","city":"深圳","daSubStatus":"","childDaList":[{"daId":"DA2","site":"tax","daStatus":"10","daSubStatus":"81535"}]}}}`,
	` { "data" : { "daId" : "DA1" , "daStatus" : "3" } , "errorCode" : -0 } `,
	`{"ERRORCODE":0,"Data":{"DAID":"DA1","DaStatus":"+7","JSONRESULT":""}}`,
	`{"errorCode":0,"data":{"daId":"DA1","ext":{"daSubStatus":81530,"childDaList":[{"daStatus":12,"x":[1,{"y":null}]}]}},"extra":[true,false,null,-1.5e3]}`,
	`{"errorCode":0,"data":{}}`,
	// near misses: decodeSuccess decides
	`{"errorCode":1,"data":{"daId":"DA1"}}`,
	`{"errorCode":0.0,"data":{"daId":"DA1"}}`,
	`{"errorCode":"0","data":{"daId":"DA1"}}`,
	`{"errorCode":null,"data":{"daId":"DA1"}}`,
	`{"errorCode":0,"errorMessage":null,"data":{"daId":"DA1"}}`,
	`{"errorCode":0,"errorMessage":5,"data":{"daId":"DA1"}}`,
	`{"errorCode":0}`,
	`{"errorCode":0,"data":null}`,
	`{"errorCode":0,"data":"x"}`,
	`{"errorCode":0,"data":{"daId":"DA1"},"data":{"daId":"DA2"}}`,
	`{"errorCode":0,"errorCode":0,"data":{"daId":"DA1"}}`,
	`{"errorCode":0,"data":{"daId":"DA1","DAID":"DA2"}}`,
	`{"errorCode":0,"data":{"d\u0061Id":"DA1"}}`,
	`{"errorCode":0,"data":{"daId":"DA\u0031"}}`,
	"{\"errorCode\":0,\"data\":{\"daId\":\"DA\xff\"}}", // not UTF-8: encoding/json reads U+FFFD
	`{"errorCode":0,"data":{"daId":null}}`,
	`{"errorCode":0,"data":{"daStatus":"x"}}`,
	`{"errorCode":0,"data":{"daStatus":1e2}}`,
	`{"errorCode":0,"data":{"authorizedTs":99999999999999999999}}`,
	`{"errorCode":0,"data":{"certResult":1.5}}`,
	`{"errorCode":0,"data":{"ext":{"childDaList":[null]}}}`,
	`{"errorCode":0,"data":{"ext":{"childDaList":null}}}`,
	`{"errorCode":0,"data":{"ext":{"daSubStatus":true}}}`,
	`{"errorCode":0,"data":{"daStatuſ":1}}`,
	`{"errorCode":0,"data":{"daId":"DA1"}} x`,
	`{"errorCode":0,"data":{"daId":"DA1"},}`,
	`{"errorCode":0,"data":{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}`,
	`[]`, `null`, `0`, ``,
}

// checkStatusSame fails unless decodeStatusFast, where it reads an
// answer, gives what decodeSuccess gives for it, and leaves out zero
// where it does not.
func checkStatusSame(t *testing.T, raw []byte) {
	t.Helper()
	var got GetStatusResponse
	if !decodeStatusFast(raw, &got) {
		if !reflect.DeepEqual(got, GetStatusResponse{}) { //nolint:forbidigo // go-cmp is no dependency of this module
			t.Fatalf("%q: not read in one pass, but out = %#v", raw, got)
		}
		return
	}
	var want GetStatusResponse
	if !decodeSuccess(raw, &want) {
		t.Fatalf("%q: read in one pass, but decodeSuccess refuses it", raw)
	}
	if !reflect.DeepEqual(got, want) { //nolint:forbidigo // go-cmp is no dependency of this module
		t.Fatalf("%q:\n got %#v\nwant %#v", raw, got, want)
	}
}

func TestDecodeStatusFast(t *testing.T) {
	t.Parallel()
	for _, c := range statusCases {
		checkStatusSame(t, []byte(c))
	}
}

// TestDecodeStatusFastTaken: the usual answers (the docs' fields, the
// benchmark's body) are read in one pass; the near misses are not.
func TestDecodeStatusFastTaken(t *testing.T) {
	t.Parallel()
	for i, c := range statusCases {
		var s GetStatusResponse
		if got, want := decodeStatusFast([]byte(c), &s), i < 6; got != want {
			t.Errorf("%s: one pass %v, want %v", c, got, want)
		}
	}
}

// FuzzDecodeStatusFast: on any answer decodeStatusFast reads, its
// response is decodeSuccess's.
func FuzzDecodeStatusFast(f *testing.F) {
	for _, c := range statusCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkStatusSame(t, raw) })
}

// TestDecodeStatusFastReadsEveryField: an answer with every member of
// GetStatusResponse set (found by reflection, so that a field added to
// the type and not to statusfast.go fails here) is read in one pass and
// equals decodeSuccess's.
func TestDecodeStatusFastReadsEveryField(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"errorCode":0,"errorMessage":"OK","data":` + onepasstest.Sample(reflect.TypeFor[GetStatusResponse](), 0) + `}`)
	var got GetStatusResponse
	if !decodeStatusFast(raw, &got) {
		t.Fatalf("%s: not read in one pass", raw)
	}
	checkStatusSame(t, raw)
}

// BenchmarkDecodeStatus: the usual get-da-status answer (the docs'
// fields, one child session) read in one pass and by decodeSuccess.
func BenchmarkDecodeStatus(b *testing.B) {
	raw := []byte(statusCases[1])
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var s GetStatusResponse
			if !decodeStatusFast(raw, &s) {
				b.Fatal("not read")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var s GetStatusResponse
			if !decodeSuccess(raw, &s) {
				b.Fatal("not read")
			}
		}
	})
}
