package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// FuzzCaptures feeds arbitrary captures to every parser of captured network
// data and to the commands that read them: none may panic, and masking must
// not grow a body without bound.
func FuzzCaptures(f *testing.F) {
	for _, s := range []string{
		`{"name": "Q", "data": {"id_card": "110101199003074477"}}`,
		"req=%7B%7D&sign=abc",
		"HTTP/1.1 200 OK\r\nApi-Sign: x\r\n\r\n{}",
		"POST / HTTP/1.1\r\nDECSHASH: 00\r\nContent-Length: 2\r\n\r\n{}",
		`{"type":"01","data":"{\"encrypt\":\"AAAA\",\"desKey\":\"BBBB\"}"}`,
		"a=1\nb=2\n",
		"Summary,20240105,HKD,0,0,0,0,0,0",
		`{"a":[1,{"b":"\u00e9"}],"c":null}`,
	} {
		f.Add([]byte(s))
	}
	bill, _ := os.ReadFile("testdata/bill_ok.csv")
	f.Add(bill)
	env := map[string]string{"S": "secret", "K": "MDEyMzQ1Njc4OUFCQ0RFRg=="}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = maskJSON(data, false)
		if n, err := diag.ParseJSON(data); err == nil {
			for _, s := range diag.Styles() {
				_ = n.Encode(s)
			}
			_ = n.FieldOrder("", nil)
			_ = n.KeysSorted()
		}
		_, _ = parseLevyCapture(data, "")
		_, _, _ = parseFields(data, "auto")
		_, _ = parseScancode(data)
		_, _, _ = billData(data)
		_, _ = parseDECSCapture(data, "", "")
		for _, args := range [][]string{
			{"levy", "verify", "--secret-env", "S"},
			{"allinpay", "verify", "--pub-file", keyDir + "platform_rsa_public.pem"},
			{"allinpay", "bill"},
			{"evidence", "verify", "--secret-env", "S", "--decshash", "00"},
			{"scancode", "decrypt", "--sm4-key-env", "K"},
		} {
			var o, e bytes.Buffer
			run(args, bytes.NewReader(data), &o, &e, func(k string) string { return env[k] })
		}
	})
}
