package evidence_test

import (
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
)

func TestDaStatus(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s                     evidence.DaStatus
		final, success, valid bool
		mode                  evidence.Mode
	}{
		{evidence.DaStatusDownloading, false, false, false, evidence.ModeVDI},
		{evidence.DaStatusFirstStageDone, false, false, true, evidence.ModeVDI},
		{evidence.DaStatusSuccess, true, true, true, evidence.ModeBoth},
		{evidence.DaStatusTimeout, true, false, true, evidence.ModeBoth},
		{evidence.DaStatusSourceSystemFailure, true, false, false, evidence.ModeVDI},
		{evidence.DaStatusBeehiveTimeout, true, false, false, evidence.ModeBeehive},
		{evidence.DaStatus(77), true, false, false, ""}, // in [13,100]: final by the rule
		{evidence.DaStatus(7), false, false, false, ""},
	} {
		if c.s.IsFinal() != c.final || c.s.IsSuccess() != c.success || c.s.IsValidOperation() != c.valid || c.s.Mode() != c.mode {
			t.Errorf("%d (%s): final %v success %v valid %v mode %q", c.s, c.s, c.s.IsFinal(), c.s.IsSuccess(), c.s.IsValidOperation(), c.s.Mode())
		}
	}
	end := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	if !evidence.DaStatusTimeout.CanReuseEmail(end, end.Add(22*time.Hour)) || evidence.DaStatusTimeout.CanReuseEmail(end, end.Add(23*time.Hour)) ||
		evidence.DaStatusBeehiveTimeout.CanReuseEmail(end, end.Add(time.Hour)) {
		t.Error("CanReuseEmail: the 23-hour rule applies to 20 and 25 only")
	}
}
