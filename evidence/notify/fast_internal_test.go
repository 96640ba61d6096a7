package notify

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/onepass/onepasstest"
)

// fastCases are bodies of the common shape (decodeFast reads them) and
// near misses (decodeTree does).
var fastCases = []string{
	`{"auth":{"nonce":"n0nce0000000000000000000000000001"},"data":{"authorizedTs":1700000000000,"bizAppId":"IDAkEBvb","bizNo":"B1","daId":"DA1","daStatus":10,"ext":{"daSubStatus":"","fileKey":"MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="},"fileUrlList":["https://cos.example.com/f1.pdf"],"jsonResult":10,"site":"tax"},"func":"daFileParsed","v":"2.0.0"}`,
	`{"func":"daFailed","v":"2.0.0","data":{"daId":"x","ext":{"childDaList":[{"daStatus":"10","daId":"c","site":"s","daSubStatus":81530}]}}}`,
	`{"func":"daFailed","data":{"daStatus":"x1"}}`,
	`{"func":"daFailed","data":{"daStatus":1e400,"authorizedTs":"1"}}`,
	`{"func":"daFailed","data":{"daStatus":1e300}}`,
	`{"func":"daFailed","data":{"x":1e400}}`,
	`{"func":"daFailed","data":{"x":1e-400}}`,
	` { "func" : "daFailed" , "data" : { "daId" : "x" , "bizNo" : "b" } } `,
	`{"func":"daFailed","data":{"bizNo":"b","daId":"x"}}`,
	`{"func":"daFailed","data":{"daId":"x","bizNo":"b"}}`,
	`{"FUNC":"daFailed","Data":{"DAID":"x","DaStatus":"+7","JSONRESULT":""}}`,
	`{"func":"daFailed","data":{"daId":"x","DAID":"y"}}`,
	`{"func":"daFailed","data":{"daId":"x","daId":"y"}}`,
	`{"func":"daFailed","data":{"d\u0061Id":"x","daId":"y"}}`,
	`{"func":"daFailed","data":{"daId":"x\ny"}}`,
	`{"func":"daFailed","data":{"daId":"x\u0041y"}}`,
	`{"func":"daFailed","data":null}`,
	`{"func":"daFailed","data":"x"}`,
	`{"func":"daFailed"}`,
	`{"func":"","data":{}}`,
	`{"func":7}`,
	`{"func":"daFailed","auth":null}`,
	`{"func":"daFailed","auth":{"nonce":"n","other":[1,2,{"a":{"b":[]}}]}}`,
	`{"func":"daFailed","data":{"daId":null}}`,
	`{"func":"daFailed","data":{"certResult":1.0,"authorizedTs":-0}}`,
	`{"func":"daFailed","data":{"certResult":-12,"authorizedTs":123456789012345678}}`,
	`{"func":"daFailed","data":{"authorizedTs":1234567890123456789}}`,
	`{"func":"daFailed","data":{"authorizedTs":99999999999999999999}}`,
	`{"func":"daSubmittedApp","data":{"submitId":"S","siteList":["a","b"],"submitTime":"2023-05-22 10:22:55","fileUrlList":[]}}`,
	`{"func":"daSubmittedApp","data":{"siteList":[],"ext":{"pdfPassword":["p"],"exceptionPages":[],"attach":"a","userId":"u","province":"p","city":"c"}}}`,
	`{"func":"daSubmittedApp","data":{"siteList":[null]}}`,
	`{"func":"daSubmittedApp","data":{"ext":{"childDaList":[]}}}`,
	`{"func":"daSubmittedApp","data":{"ext":{"childDaList":[null]}}}`,
	`{"func":"daSubmittedApp","data":{"ext":{"daSubStatus":true}}}`,
	`{"func":"daSubmittedApp","data":{"ext":{"daSubStatus":-1.5e3}}}`,
	`{"func":"daFailed","data":{"x":{"y":{"Z":1,"z":2}}}}`,
	`{"func":"daFailed","data":{"x":{"y":1},"x":{"Y":1,"y":2}}}`,
	`{"func":"daFailed","data":{"x":[{"a":1,"A":2}]}}`,
	`{"func":"daFailed","data":{"\u00e9":1,"\u00c9":2}}`,
	`{"func":"daFailed","data":{"é":1,"É":2}}`,
	`{"func":"daFailed","data":{"é":"ü"}}`,
	`{"func":"daFailed","data":{"k":1,"\u212a":2}}`,
	`{"func":"daFailed","data":{"daStatuſ":1,"daStatus":2}}`,
	`{"func":"daFailed","data":{"a":true,"b":false,"c":null,"d":-0.5e+2}}`,
	`{"func":"daFailed","data":{"a":tru}}`,
	`{"func":"daFailed","data":{"a":01}}`,
	`{"func":"daFailed","data":{"a":1,}}`,
	`{"func":"daFailed","data":{}} x`,
	`{"func":"daFailed","data":{}}{}`,
	`[]`, `null`, `"x"`, ``,
	`{"func":"daFailed","data":{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}`,
}

// checkSame fails unless decodeFast, where it reads a body, gives what
// decodeTree (the verdict on every body) gives for it.
func checkSame(t *testing.T, body []byte) {
	t.Helper()
	if !utf8.Valid(body) {
		return // decode refuses it before either
	}
	got, ok := decodeFast(body)
	if !ok {
		return
	}
	want, err := decodeTree(body)
	if err != nil {
		t.Fatalf("%q: read in one pass, but decodeTree refuses it: %v", body, err)
	}
	if !reflect.DeepEqual(got, want) { //nolint:forbidigo // go-cmp is no dependency of this module; unexported fields are compared too
		t.Fatalf("%q:\n got %#v\nwant %#v", body, got, want)
	}
}

func TestDecodeFastMatchesTree(t *testing.T) {
	t.Parallel()
	for _, c := range fastCases {
		checkSame(t, []byte(c))
	}
}

// TestDecodeFastTaken: the common shape is read in one pass (the
// benchmark's body among them), whatever is unusual is not.
func TestDecodeFastTaken(t *testing.T) {
	t.Parallel()
	for i, want := range map[int]bool{0: true, 1: true, 7: true, 9: true, 10: true, 11: false, 12: false, 13: false, 14: false, 16: true, 18: true, 28: true, 29: true} {
		if _, ok := decodeFast([]byte(fastCases[i])); ok != want {
			t.Errorf("%s: one pass %v, want %v", fastCases[i], ok, want)
		}
	}
}

// FuzzDecodeFastMatchesTree: on any bytes decodeFast reads, its
// notification is decodeTree's.
func FuzzDecodeFastMatchesTree(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkSame(t, body) })
}

// TestDecodeFastReadsEveryField: a notification with every member of
// NotificationData set, the members of the embedded StatusExt among them
// (found by reflection, so that a member added to the
// types and not to fast.go fails here) is read in one pass and equals
// decodeTree's.
func TestDecodeFastReadsEveryField(t *testing.T) {
	t.Parallel()
	data := onepasstest.Sample(reflect.TypeFor[NotificationData](), 0)
	body := []byte(`{"auth":{"nonce":"n1"},"data":` + data + `,"func":"daFileParsed","v":"2.0.0"}`)
	got, ok := decodeFast(body)
	if !ok {
		t.Fatalf("%s: not read in one pass", body)
	}
	want, err := decodeTree(body)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) { //nolint:forbidigo // go-cmp is no dependency of this module; unexported fields are compared too
		t.Fatalf("%s:\n got %#v\nwant %#v", body, got, want)
	}
}
