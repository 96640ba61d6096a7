package scancode_test

import (
	"encoding/base64"
	"testing"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/google/go-cmp/cmp"
)

func TestQRCodeRoundTrip(t *testing.T) {
	t.Parallel()
	q := scancode.QRCode{Type: "06", TID: testTID, Extra: [][2]string{{"v", "1"}}}
	s := q.Encode()
	raw, _ := base64.StdEncoding.DecodeString(s)
	if want := "QRCodeType=06;TId=" + testTID + ";v=1;"; string(raw) != want {
		t.Errorf("Encode = %q; want base64 of %q", raw, want)
	}
	got, err := scancode.ParseQRCode(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q, got); diff != "" {
		t.Errorf("ParseQRCode mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"!!", base64.StdEncoding.EncodeToString([]byte("QRCodeType=06;")), base64.StdEncoding.EncodeToString([]byte("junk"))} {
		if _, err := scancode.ParseQRCode(bad); err == nil {
			t.Errorf("ParseQRCode(%q) = nil error", bad)
		}
	}
}

func TestTID(t *testing.T) {
	t.Parallel()
	if err := scancode.ValidateTID(testTID); err != nil {
		t.Errorf("ValidateTID(%q) = %v", testTID, err)
	}
	for _, bad := range []string{"", testTID[:42], testTID + "0", "M11000000-4" + testTID[11:], testTID[:11] + "g" + testTID[12:]} {
		if scancode.ValidateTID(bad) == nil {
			t.Errorf("ValidateTID(%q) = nil", bad)
		}
	}
	a, err := scancode.NewTID("M1100000034")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scancode.NewTID("M1100000034")
	if a == b || scancode.ValidateTID(a) != nil {
		t.Errorf("NewTID gave %q and %q", a, b)
	}
	if _, err := scancode.NewTID("short"); err == nil {
		t.Error("NewTID(short) = nil error")
	}
}
