package decs

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// membersNamed counts the top-level members of the JSON object raw that
// encoding/json would decode into a field called name, by decoding raw
// token by token: the reference AtMostOneMember must never contradict.
// ok is false when raw is not one JSON object.
func membersNamed(raw []byte, name string) (n int, escaped, ok bool) {
	if !json.Valid(raw) {
		return 0, false, false
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return 0, false, false
	}
	for d.More() {
		off := d.InputOffset()
		t, err := d.Token()
		if err != nil {
			return 0, false, false
		}
		key := t.(string)
		if bytes.IndexByte(raw[off:d.InputOffset()], '\\') >= 0 {
			escaped = true
		}
		// A field's name matches with encoding/json's folding: for an
		// ASCII name like data, ASCII case (no letter of it has another
		// simple fold).
		if strings.EqualFold(key, name) {
			n++
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return 0, false, false
		}
	}
	if _, err := d.Token(); err != nil {
		return 0, false, false
	}
	return n, escaped, true
}

var memberCases = []string{
	`{"errorCode":0,"data":{"daId":"A"}}`,
	`{"data":{"data":1,"x":[{"data":2}]},"errorCode":0}`,
	`{"data":1,"data":2}`,
	`{"data":1,"DATA":2}`,
	`{"Data":null}`,
	`{"d\u0061ta":1,"data":2}`,
	`{"x":"data","y":["data","data"],"data":3}`,
	`{"x":"\"data\"","data":3}`,
	`{"x":{"a":"}"},"data":1,"z":[1,{"data":2}],"data":5}`,
	`{}`, `[]`, `["data","data"]`, `"data"`, `{"data"`, `{"a":"b`,
}

// TestAtMostOneMember: on every case that is a JSON object,
// AtMostOneMember is true exactly when the reference finds at most one
// member named data and no escaped name; on anything else it may say
// anything but must not panic.
func TestAtMostOneMember(t *testing.T) {
	for _, c := range memberCases {
		checkMembers(t, []byte(c))
	}
	if !AtMostOneMember([]byte(memberCases[1]), "data") || AtMostOneMember([]byte(memberCases[2]), "data") || AtMostOneMember([]byte(memberCases[3]), "data") {
		t.Error("nested data members counted, or a duplicate missed")
	}
}

func checkMembers(t *testing.T, raw []byte) {
	got := AtMostOneMember(raw, "data")
	n, escaped, ok := membersNamed(raw, "data")
	if !ok {
		return
	}
	if want := n <= 1 && !escaped; got != want {
		t.Fatalf("AtMostOneMember(%s) = %v; the reference counts %d members named data (escaped names: %v)", raw, got, n, escaped)
	}
}

func FuzzAtMostOneMember(f *testing.F) {
	for _, c := range memberCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkMembers(t, raw) })
}
