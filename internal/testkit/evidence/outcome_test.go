package evidence_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/jarcoal/httpmock"
)

// TestKeyRefreshNeverResends: the field-key refresh (a −43037 or −44050
// answer: en main.md, Start Data Fetching, "-43037 | AES_DECRYPT_EXCEPTION
// | AES decryption failed, please use the latest AES key") sends a start
// or an upload again only after a definite answer. The same code in a 5xx
// body (a gateway's, or the service's mid-failure) is an outcome unknown:
// exactly one request, ErrOutcomeUnknown, and no new key fetched on its
// word. The second answer would succeed, so a resend shows as no error.
func TestKeyRefreshNeverResends(t *testing.T) {
	t.Parallel()
	v := docs(t)
	start := func(ctx context.Context, c *evidence.Client) error {
		_, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "B-43037"}))
		return err
	}
	upload := func(ctx context.Context, c *evidence.Client) error {
		_, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: "tax",
			Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 agreement"))}})
		return err
	}
	for _, op := range []struct {
		path, ok string
		call     func(context.Context, *evidence.Client) error
	}{
		{evidence.OperationStartAcquisition, `{"errorCode":0,"data":{"daId":"DA2","redirectUrl":"https://h5.example/e?daId=DA2"}}`, start},
		{evidence.OperationUploadUserProtocol, `{"errorCode":0,"data":{"result":true}}`, upload},
	} {
		for _, tc := range []struct {
			status int
			code   evidence.ErrorCode
			// sent is the requests of op, keys the update-aes-key calls.
			sent, keys int
			unknown    bool
		}{
			{http.StatusBadGateway, evidence.ErrorCodeAESDecrypt, 1, 1, true},
			{http.StatusInternalServerError, evidence.ErrorCodeAESDecryptB, 1, 1, true},
			{http.StatusServiceUnavailable, evidence.ErrorCodeAESDecrypt, 1, 1, true},
			// A definite refusal: the key is replaced and the call sent
			// once more, which succeeds.
			{http.StatusOK, evidence.ErrorCodeAESDecrypt, 2, 2, false},
		} {
			name := fmt.Sprintf("%s %d %d", op.path, tc.status, tc.code)
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodPost, base+evidence.OperationUpdateAESKey,
				httpmock.NewStringResponder(200, `{"errorCode":0,"data":{"aeskey":"`+v.AESKey.EncryptedB64+`"}}`))
			first := true
			mt.RegisterResponder(http.MethodPost, base+op.path, func(*http.Request) (*http.Response, error) {
				if first {
					first = false
					return httpmock.NewStringResponse(tc.status, fmt.Sprintf(`{"errorCode":%d,"errorMessage":"AES_DECRYPT_EXCEPTION"}`, tc.code)), nil
				}
				return httpmock.NewStringResponse(200, op.ok), nil
			})
			err := op.call(context.Background(), newClient(t, mt))
			var ou *evidence.OutcomeUnknownError
			if got := errors.As(err, &ou) && errors.Is(err, evidence.ErrOutcomeUnknown) && ou.Operation == op.path; got != tc.unknown || !tc.unknown && err != nil {
				t.Errorf("%s: err = %v; want outcome unknown %v", name, err, tc.unknown)
			}
			calls := mt.GetCallCountInfo()
			if n := calls["POST "+base+op.path]; n != tc.sent {
				t.Errorf("%s: %d requests sent; want %d", name, n, tc.sent)
			}
			if n := calls["POST "+base+evidence.OperationUpdateAESKey]; n != tc.keys {
				t.Errorf("%s: %d update-aes-key calls; want %d", name, n, tc.keys)
			}
		}
	}
}
