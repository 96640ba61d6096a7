package evidence_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/jarcoal/httpmock"
)

// FuzzParseNotification: any body and headers end in a verified
// notification or ErrInvalidSignature (or a decode error after
// verification); without the operator's key nothing is ever accepted.
func FuzzParseNotification(f *testing.F) {
	f.Add("C3AF574420D41A7CEE9C44FCFC84FE15D36D5C97A80111278B82CCEAFCDC7C96", "AAAA", []byte(`{"func":"daFailed","v":"2.0.0","data":{"daId":"x"}}`))
	f.Add("", "", []byte(`{"a":`))
	f.Fuzz(func(t *testing.T, hash, sig string, body []byte) {
		c := newClient(t, httpmock.NewMockTransport())
		n, err := c.ParseNotification(context.Background(), hash, sig, body)
		if err == nil {
			t.Fatalf("accepted a notification the operator did not sign: %+v", n)
		}
		if !errors.Is(err, evidence.ErrInvalidSignature) && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}
