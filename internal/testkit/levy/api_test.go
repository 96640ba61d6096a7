package levy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
	"github.com/bizapi-cn/go-sdk/levy"
)

type kms struct{}

func (kms) Sign(context.Context, []byte) ([]byte, error) { return []byte("s"), nil }
func (kms) Verify(context.Context, []byte, []byte) error { return nil }

// TestOptionsRefuseBadValues (issue 13): nil, negative and empty values are
// refused by the option, never panic later.
func TestOptionsRefuseBadValues(t *testing.T) {
	t.Parallel()
	base := []levy.Option{levy.WithCredentials("k", "s"), levy.WithBaseURL(levy.TestBaseURL)}
	for name, o := range map[string]levy.Option{
		"nil option":          nil,
		"WithHTTPClient(nil)": levy.WithHTTPClient(nil),
		"WithSigner(nil)":     levy.WithSigner(nil),
		"WithVerifier(nil)":   levy.WithVerifier(nil),
		"WithClock(nil)":      levy.WithClock(nil),
		"WithLogger(nil)":     levy.WithLogger(nil),
		"WithUserAgent empty": levy.WithUserAgent(""),
		"WithUserAgent CRLF":  levy.WithUserAgent("a\r\nX-Evil: 1"),
		"WithTimeout(-1)":     levy.WithTimeout(-1),
		"WithTimeout(0)":      levy.WithTimeout(0),
		"WithRetries(-1)":     levy.WithRetries(-1),
		"WithMaxResponse(0)":  levy.WithMaxResponseBytes(0),
		"WithBaseURL ftp":     levy.WithBaseURL("ftp://x"),
		"WithClientKey empty": levy.WithClientKey(""),
		"WithCredentials":     levy.WithCredentials("", "s"),
	} {
		if _, err := levy.NewClient(append(base, o)...); err == nil {
			t.Errorf("%s: NewClient = nil error", name)
		}
	}
}

// TestNewClientNeedsClientKey (issue 13): a KMS signer still needs the
// client key, which every envelope carries.
func TestNewClientNeedsClientKey(t *testing.T) {
	t.Parallel()
	_, err := levy.NewClient(levy.WithSigner(kms{}), levy.WithVerifier(kms{}), levy.WithBaseURL(levy.TestBaseURL))
	if err == nil || !strings.Contains(err.Error(), "WithClientKey") {
		t.Errorf("KMS without client key: %v; want missing WithCredentials or WithClientKey", err)
	}
	if _, err := levy.NewClient(levy.WithClientKey("k"), levy.WithSigner(kms{}), levy.WithVerifier(kms{}), levy.WithBaseURL(levy.TestBaseURL)); err != nil {
		t.Errorf("KMS with client key: %v", err)
	}
	_, err = levy.NewClient()
	if err == nil || !strings.Contains(err.Error(), "WithCredentials or WithClientKey, WithBaseURL, WithSigner, WithVerifier") {
		t.Errorf("NewClient() = %v; want every missing option named at once", err)
	}
}

// TestNotificationVerifierNeedsOnlyTheKeys (issue 13): no base URL; a
// missing key fails at construction.
func TestNotificationVerifierNeedsOnlyTheKeys(t *testing.T) {
	t.Parallel()
	if _, err := levy.NewNotificationVerifier(levy.WithCredentials("k", "s")); err != nil {
		t.Errorf("client key + secret: %v", err)
	}
	if _, err := levy.NewNotificationVerifier(levy.WithClientKey("k"), levy.WithVerifier(kms{})); err != nil {
		t.Errorf("client key + verifier: %v", err)
	}
	for name, opts := range map[string][]levy.Option{
		"nothing":       nil,
		"verifier only": {levy.WithVerifier(kms{})},
		"key only":      {levy.WithClientKey("k")},
	} {
		if _, err := levy.NewNotificationVerifier(opts...); err == nil {
			t.Errorf("%s: nil error", name)
		}
	}
	if _, err := levy.ParseNotification(context.Background(), nil, http.Header{}, nil); err == nil {
		t.Error("ParseNotification(nil verifier) = nil error")
	}
	v, _ := levy.NewNotificationVerifier(levy.WithCredentials("k", "s"))
	fn := func(context.Context, *levy.Notification) error { return nil }
	for name, o := range map[string]levy.HandlerOption{
		"nil": nil, "WithDedupStore(nil)": levy.WithDedupStore(nil), "WithMaxBodyBytes(0)": levy.WithMaxBodyBytes(0),
		"WithReadTimeout(-1)": levy.WithReadTimeout(-time.Second),
	} {
		if _, err := levy.NewNotificationHandler(v, fn, o); err == nil {
			t.Errorf("handler %s: nil error", name)
		}
	}
	if _, err := levy.NewNotificationHandler(v, nil); err == nil {
		t.Error("handler without function: nil error")
	}
	if _, err := levy.NewNotificationHandler(v, fn, levy.WithoutDedup(), levy.WithMaxBodyBytes(1<<10), levy.WithReadTimeout(time.Second)); err != nil {
		t.Errorf("handler options: %v", err)
	}
}

// TestUserAgent carries the version. The request's other headers are
// pinned too: the form's Content-Type, and Accept application/json once
// (the client sets it, so that resty does not test the form type against
// its JSON and XML patterns on every call).
func TestUserAgent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, fixedTime)
	var ua string
	var hdr http.Header
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		hdr = r.Header.Clone()
		return nil, errors.New("x")
	})
	_, _ = c.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R"})
	if hdr.Get("Content-Type") != "application/x-www-form-urlencoded;charset=UTF-8" || len(hdr.Values("Accept")) != 1 || hdr.Get("Accept") != "application/json" {
		t.Errorf("request headers: %v", hdr)
	}
	if !regexp.MustCompile(`^bizapi-cn-go-sdk-levy/` + regexp.QuoteMeta(levy.Version) + ` go/\d`).MatchString(ua) {
		t.Errorf("User-Agent = %q", ua)
	}
	if id := c.NewRequestID(); len(id) != 32 || !strings.HasPrefix(id, fixedTime.In(cst).Format("20060102150405")) {
		t.Errorf("NewRequestID = %q; want 32 characters at the client's clock", id)
	}
}

// sensitive is masktest.Sensitive with levy's names: the spec's
// person-name fields (Name, RealName) added, and "key" left out, since
// levy's only Key fields are request ids (OutcomeUnknownError.Key); the
// secret is never a field of an exported type.
var sensitive = regexp.MustCompile(strings.TrimSuffix(strings.Replace(masktest.Sensitive.String(), "|key|", "|", 1), ")$") + "|name)$")

// TestMasking (issue 13): every type with personal data masks itself in
// fmt and slog, as a value and as a pointer; no such type is left out.
func TestMasking(t *testing.T) {
	t.Parallel()
	values := []any{
		levy.CreateOrderRequest{}, levy.QueryOrderResponse{}, levy.SyncSignRequest{}, levy.SignUpRequest{}, levy.SignUpResponse{},
		levy.SignUpQuery{}, levy.QuerySignUpBatchRequest{}, levy.SignUpRecord{}, levy.QuerySignUpBatchResponse{},
		levy.UploadTaxpayerAgreementRequest{}, levy.UploadIDCardImageRequest{}, levy.QueryIDCardImageRequest{},
		levy.UploadFaceIDVideoFrameRequest{}, levy.SignUpNotification{}, levy.File{}, levy.AddBankVoucherRequest{},
	}
	masktest.Check(t, sensitive, values...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "levy"), sensitive, values...)
}

// TestNoPanicOnMisuse (issue 13): a zero Client, a nil context, a zero
// verifier give errors.
func TestNoPanicOnMisuse(t *testing.T) {
	t.Parallel()
	var zero levy.Client
	if _, err := zero.QueryOrder(context.Background(), &levy.QueryOrderRequest{RequestID: "R1"}); err == nil {
		t.Error("zero Client: nil error")
	}
	if _, err := zero.UploadTaxpayerAgreement(context.Background(), &levy.UploadTaxpayerAgreementRequest{RequestID: "U1", IDCard: "110101199003074477", Name: "张三",
		Cellphone: "13800138000", TaxAgentParentID: "12", ContractID: "K1", ContractType: levy.ContractTypeEmpower, File: levy.FileFromBytes("k.pdf", []byte("%PDF-1.4"))}); err == nil {
		t.Error("zero Client upload: nil error")
	}
	c, _ := newMockClient(t, fixedTime)
	if _, err := c.QueryOrder(nil, &levy.QueryOrderRequest{RequestID: "R1"}); err == nil { //nolint:staticcheck
		t.Error("nil context: nil error")
	}
	if _, err := c.CreateOrder(context.Background(), nil); err == nil {
		t.Error("nil request: nil error")
	}
	if _, err := levy.ParseNotification(context.Background(), &levy.NotificationVerifier{}, nil, nil); err == nil {
		t.Error("zero verifier: nil error")
	}
	if _, err := levy.NewNotificationHandler(&levy.NotificationVerifier{}, func(context.Context, *levy.Notification) error { return nil }); err == nil {
		t.Error("handler on a zero verifier: nil error")
	}
}

// TestAPIErrorMasksEchoedNumbers: a provider message echoing an ID card
// or a phone number prints masked; Message keeps it.
func TestAPIErrorMasksEchoedNumbers(t *testing.T) {
	t.Parallel()
	e := &levy.APIError{Operation: levy.OperationCreateOrder, Code: "1010", Message: "身份证 110101199003074477 与姓名不符，手机 13800138000"}
	if s := e.Error(); strings.Contains(s, "110101199003074477") || strings.Contains(s, "13800138000") || !strings.Contains(s, "1010") {
		t.Errorf("Error() = %q", s)
	}
	if e.Message != "身份证 110101199003074477 与姓名不符，手机 13800138000" {
		t.Errorf("Message = %q; want it as received", e.Message)
	}
	// A notification's message prints the same way.
	n := levy.Notification{Operation: levy.OperationSyncSign, Code: "1010", Message: e.Message}
	for _, s := range []string{n.String(), fmt.Sprint(n), fmt.Sprintf("%+v", &n)} {
		if strings.Contains(s, "110101199003074477") || strings.Contains(s, "13800138000") || !strings.Contains(s, "110***********4477") {
			t.Errorf("notification printed %q", s)
		}
	}
}

// TestAmountConstructors (api-review 21): Yuan takes whole yuan, Fen the
// exact count of fen; each prints and parses back as the same amount.
func TestAmountConstructors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a    levy.Amount
		want string
	}{
		{levy.Yuan(1000), "1000.00"}, {levy.Yuan(0), "0.00"}, {levy.Yuan(-1), "-1.00"},
		{levy.Fen(1234), "12.34"}, {levy.Fen(5), "0.05"}, {levy.Fen(-150), "-1.50"}, {levy.Fen(-50), "-0.50"},
	} {
		if got := c.a.String(); got != c.want {
			t.Errorf("%d fen prints %q; want %q", c.a.Fen(), got, c.want)
		}
		if back, err := levy.ParseAmount(c.want); err != nil || back != c.a {
			t.Errorf("ParseAmount(%q) = %v, %v; want %d fen", c.want, back, err, c.a.Fen())
		}
	}
	if levy.Yuan(12) != levy.Fen(1200) {
		t.Error("Yuan(12) is not 1200 fen")
	}
}
