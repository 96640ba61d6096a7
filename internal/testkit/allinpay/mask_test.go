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
