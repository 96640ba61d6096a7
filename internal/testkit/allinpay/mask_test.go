package allinpay_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/testkit/masktest"
)

// sensitive is the house pattern with allinpay's customer ids added
// (bankUserId: the WeChat openid or Alipay userId), and without "key": the
// one field of that name is OutcomeUnknownError.Key, an outTransNo (the
// keys themselves never leave the options).
var sensitive = regexp.MustCompile(strings.Replace(strings.TrimSuffix(masktest.Sensitive.String(), ")$")+"|bankuserid)$", "|key|", "|", 1))

// TestMasking (issue 13): every exported type with a secret or a customer
// id masks it through fmt and slog, as a value and as a pointer, and no
// such type is left out of the check.
func TestMasking(t *testing.T) {
	t.Parallel()
	if sensitive.MatchString("Key") || !sensitive.MatchString("AuthCode") || !sensitive.MatchString("BankUserID") {
		t.Fatalf("pattern %s", sensitive)
	}
	values := []any{allinpay.PayRequest{}, allinpay.PayResponse{}, allinpay.QueryOrderResponse{}, allinpay.Notification{}, allinpay.BillRow{}}
	masktest.Check(t, sensitive, values...)
	masktest.Covered(t, filepath.Join("..", "..", "..", "allinpay"), sensitive, values...)
	f := allinpay.Fields{"signature": "SIGNATURE-SECRET", "bankUserId": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "authCode": "134567890123456789"}
	masktest.Check(t, sensitive, struct{ Fields allinpay.Fields }{f})
	for _, s := range []string{fmtAll(f), fmtAll(allinpay.PayResponse{Result: allinpay.Result{Fields: f}})} {
		for _, secret := range []string{"SIGNATURE-SECRET", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "134567890123456789"} {
			if regexp.MustCompile(regexp.QuoteMeta(secret)).MatchString(s) {
				t.Errorf("%q printed in %s", secret, s)
			}
		}
	}
}

func fmtAll(v any) string {
	return fmt.Sprintf("%v|%+v|%s", v, v, v)
}

// TestAPIErrorMasksEchoedNumbers (api-review 28): a platform message
// echoing a card or phone number of the request prints masked, and cut;
// the method Message keeps the text as received.
func TestAPIErrorMasksEchoedNumbers(t *testing.T) {
	t.Parallel()
	const msg = "卡号6222020200112233445 持卡人手机13800138000 校验失败"
	for _, e := range []*allinpay.APIError{
		{Operation: allinpay.TransTypeTransQuery, ReturnCode: "0001", ReturnMsg: msg},
		{Operation: allinpay.TransTypeTransQuery, ReturnCode: allinpay.ReturnCodeSuccess, ResultCode: "3999", ResultMsg: msg},
	} {
		s := e.Error()
		if strings.Contains(s, "6222020200112233445") || strings.Contains(s, "13800138000") || !strings.Contains(s, "622************3445") || !strings.Contains(s, string(e.Code())) {
			t.Errorf("Error() = %q", s)
		}
		if e.Message() != msg {
			t.Errorf("Message() = %q; want it as received", e.Message())
		}
	}
	long := &allinpay.APIError{Operation: allinpay.TransTypeTransQuery, ReturnCode: "0001", ReturnMsg: strings.Repeat("错", 5000) + "\x1b[2J"}
	if s := long.Error(); len([]rune(s)) > 400 || strings.Contains(s, "\x1b") {
		t.Errorf("a 5,000-rune message printed %d runes: %.80q…", len([]rune(s)), s)
	}
}
