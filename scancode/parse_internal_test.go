package scancode

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
)

// FuzzFormFields: formFields reads type, data and platformCode exactly as
// url.ParseQuery does (same refusals, same values, same counts).
func FuzzFormFields(f *testing.F) {
	for _, s := range []string{
		"type=01&data=%7B%22encrypt%22%3A%22AA%2B%2F%3D%22%7D&platformCode=M1100000034",
		"type=01&type=02", "a=1&&b&type=+0%31+", "data=%zz", "x=%2", "ty%70e=01", "type=01;data=x", "=&=&type",
		"data=a+b%20c&data=", "%FF=1&type=%e4%b8%ad",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if bytes.Count(body, []byte("&")) > 1000 {
			return // ParseQuery refuses very many pairs; formFields does not need to
		}
		vals, count, err := formFields(body)
		form, qerr := url.ParseQuery(string(body))
		if (err == nil) != (qerr == nil) {
			t.Fatalf("formFields err %v, ParseQuery err %v", err, qerr)
		}
		if err != nil {
			return
		}
		for i, k := range []string{"type", "data", "platformCode"} {
			if count[i] != len(form[k]) || (count[i] > 0 && string(vals[i]) != form[k][0]) {
				t.Fatalf("%s: formFields %q ×%d; ParseQuery %q", k, vals[i], count[i], form[k])
			}
		}
	})
}

// FuzzPlainEnvelope: whatever plainEnvelope reads, encoding/json reads the
// same way.
func FuzzPlainEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"encrypt":"AAAA","desKey":"BBBB"}`, ` { "desKey" : "B" , "encrypt" : "A" } `, `{}`, `{"ENCRYPT":"a"}`,
		`{"encrypt":"a","Encrypt":"b"}`, `{"encrypt":"a\/b"}`, `{"encrypt":"中文","x":"y"}`, `{"encrypt":"a"} x`,
		`{"encrypt":"a","n":1}`, "{\"encrypt\":\"\xff\"}", `{"deſKey":"k","encrypt":"e"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, ok := plainEnvelope(data)
		if !ok {
			return
		}
		var want Envelope
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("plainEnvelope read %q; encoding/json refuses it: %v", data, err)
		}
		if env != want {
			t.Fatalf("plainEnvelope = %+v; encoding/json = %+v", env.Encrypt+"|"+env.DesKey, want.Encrypt+"|"+want.DesKey)
		}
	})
}
