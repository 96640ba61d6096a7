package diag

import (
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// TestDECSHash: the causes bizapi's exact comparison meets (the SDK
// compares case-insensitively and accepts the raw body first), on the
// docs' request sample: lowercase hex, no appKey suffix, the body hashed
// unsorted, integers written as floats, and nothing recognised.
func TestDECSHash(t *testing.T) {
	t.Parallel()
	appKey := []byte("FcuMaP8q39Q4IigraXdDKpvaOhF2PqNptq86ZHYRvtMjAdVZIOSEfW4t6IdxUJu9")
	mac := sign.NewHMACSHA256(appKey)
	sorted := []byte(`{"arg":{"a":"xxx","b":2},"auth":{"appId":"IDAkEBvb","nonce":"n"},"v":"1.0.0"}`)
	unsorted := []byte(`{"v":"1.0.0","auth":{"nonce":"n","appId":"IDAkEBvb"},"arg":{"b":2,"a":"xxx"}}`)
	with := func(m []byte) []byte { return append(append([]byte(nil), m...), appKey...) }
	good := mac.UpperHex(with(sorted))
	for _, tc := range []struct {
		name, hash string
		body       []byte
		authentic  bool
		want       string
	}{
		{"lowercase", strings.ToLower(good), sorted, true, CauseFieldCase},
		{"no suffix", mac.UpperHex(sorted), sorted, true, CauseFields},
		{"unsorted", mac.UpperHex(with(unsorted)), unsorted, true, CauseFieldOrder},
		{"floats", good, []byte(strings.Replace(string(sorted), `"b":2`, `"b":2.0`, 1)), true, CauseReencoded},
		{"null added", good, []byte(strings.Replace(string(sorted), `"v":`, `"x":null,"v":`, 1)), false, CauseReencoded},
		{"changed", good, []byte(strings.Replace(string(sorted), "xxx", "xxy", 1)), true, CauseReencoded},
	} {
		r := &Report{}
		DECSHash(r, mac.UpperHex, appKey, tc.body, tc.hash, tc.authentic)
		if !r.Has(tc.want) || len(r.Causes) != 1 {
			t.Errorf("%s: causes %v; want one %s", tc.name, r.Causes, tc.want)
		}
		if strings.Contains(r.Signed, "xxx") || strings.Contains(r.Signed, "IDAkEBvb") {
			t.Errorf("%s: the signed form shows a value: %s", tc.name, r.Signed)
		}
	}
	r := &Report{}
	DECSHash(r, mac.UpperHex, appKey, []byte(strings.Replace(string(sorted), "xxx", "xxy", 1)), good, true)
	if !strings.Contains(r.Causes[0].Text, "DECSSIGN verifies") {
		t.Errorf("authentic header, changed body: %q", r.Causes[0].Text)
	}
}
