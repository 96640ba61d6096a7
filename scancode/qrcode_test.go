package scancode_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

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

func TestMemoryTIDStore(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	s := scancode.NewMemoryTIDStore(time.Minute, func() time.Time { return now })
	ctx := context.Background()
	c1 := &scancode.Callback{Type: scancode.TypeScanStatus, Payload: &scancode.ScanStatus{TID: testTID}}
	c2 := &scancode.Callback{Type: scancode.TypeUserInfo, Payload: &scancode.UserInfo{TID: testTID}}
	_ = s.Put(ctx, c1)
	_ = s.Put(ctx, c2)
	got, _ := s.Get(ctx, testTID)
	if len(got) != 2 || got[0] != c1 || got[1] != c2 {
		t.Fatalf("Get = %v; want [01 02] in order", got)
	}
	now = now.Add(2 * time.Minute)
	if got, _ := s.Get(ctx, testTID); got != nil {
		t.Errorf("Get after expiry = %v; want nil", got)
	}
}

func TestUserInfoMasking(t *testing.T) {
	t.Parallel()
	u := &scancode.UserInfo{TID: "t", PersonName: "王小五", TelephoneNum: "13900139000", IDCard: "110101199003074477", AccessToken: "secret-token"}
	for _, s := range []string{u.String(), u.LogValue().String()} {
		for _, leak := range []string{"小五", "13900139000", "110101199003074477", "secret-token"} {
			if strings.Contains(s, leak) {
				t.Errorf("%q leaks %q", s, leak)
			}
		}
	}
}
