package evidence_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// TestDenseAnswerRefused: DECS answers carry no signature, so an answer
// of empty objects (10 MiB of {} in childDaList decoded into 688 MiB of
// heap, BenchmarkHostileEvidence) is refused before it is decoded, while a
// real status with children still decodes.
func TestDenseAnswerRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dense := `{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","daStatus":10,"ext":{"childDaList":[` +
		strings.TrimSuffix(strings.Repeat(`{},`, 200_000), ",") + `]}}}`
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, dense))
	c := newClient(t, mt)
	if _, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"}); !errors.Is(err, evidence.ErrMalformedResponse) {
		t.Fatalf("200,000 empty children: %v; want ErrMalformedResponse", err)
	}

	real := `{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","daStatus":10,"ext":{"childDaList":[` +
		strings.TrimSuffix(strings.Repeat(`{"daId":"DA2","daStatus":"10"},`, 50), ",") + `]}}}`
	mt = httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, real))
	c = newClient(t, mt)
	s, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
	if err != nil || len(s.Ext.ChildDaList) != 50 {
		t.Fatalf("a status with 50 children: %v, %v", s, err)
	}
}
