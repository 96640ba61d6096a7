package evidence_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// TestFakeRepeatedClick: en main.md, Start Data Fetching: "be sure to
// limit the interaction to prevent rapid repetitive clicks by users
// (rapid repetitive clicks will cause premature termination of user data
// fetching)"; −45027 "The current user already has a data fetching task
// in progress". A wrong host that calls start-vdi-x on every click (a new
// bizNo each time) loses the first session: it ends in daStatus 24 and its
// link no longer opens; only the last link works. Once the user is in the
// session, a further start for them is refused with −45027; and a start
// with a bizNo used before is refused with −45027 as well.
func TestFakeRepeatedClick(t *testing.T) {
	t.Parallel()
	srv, c, _ := fakeClient(t, nil, evidence.SuiteRSA)
	ctx := context.Background()
	first, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "click-1"}))
	if err != nil {
		t.Fatal(err)
	}
	// The wrong host: the button was clicked again before the first
	// answer was used.
	second, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "click-2"}))
	if err != nil {
		t.Fatal(err)
	}
	if h := srv.History(first.DaID); !slices.Equal(h, []evidence.DaStatus{0, 24}) {
		t.Errorf("first session after a repeated click: history %v; want [0 24]", h)
	}
	if got, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: first.DaID}); err != nil || got.DaStatus != evidence.DaStatusReentered || !got.Final() {
		t.Errorf("first session: %+v, %v; want final daStatus 24", got, err)
	}
	if code := open(t, first.RedirectURL); code != http.StatusGone {
		t.Errorf("first link after a repeated click: HTTP %d; want 410 (expired)", code)
	}
	if code := open(t, second.RedirectURL); code != http.StatusOK {
		t.Errorf("second link: HTTP %d; want 200", code)
	}
	// The user is in the second session: another start for them is
	// refused, and the session they are in goes on.
	_, err = c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "click-3"}))
	if !isCode(err, evidence.ErrorCodeTaskInProgress) {
		t.Errorf("start while the user is in a session: %v; want -45027", err)
	}
	if h := srv.History(second.DaID); !slices.Equal(h, []evidence.DaStatus{0}) {
		t.Errorf("the session the user is in: history %v; want [0]", h)
	}
	// The same bizNo again (a host that retries a start as is).
	_, err = c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "click-1", IDNo: "110101199003070011"}))
	if !isCode(err, evidence.ErrorCodeTaskInProgress) {
		t.Errorf("start with a bizNo used before: %v; want -45027", err)
	}
	// Another user is not affected.
	if _, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: "other-1", IDNo: "110101199003070011"})); err != nil {
		t.Errorf("another user's start: %v", err)
	}
}

func open(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
