package benchdata

import (
	"errors"
	"testing"
	"time"
)

// TestMeasure: memory held while fn runs shows in the peak; fn's error is
// returned.
func TestMeasure(t *testing.T) {
	var keep []byte
	p, err := Measure(func() error {
		keep = make([]byte, 16<<20)
		for i := range keep {
			keep[i] = byte(i)
		}
		time.Sleep(20 * time.Millisecond) // at least a few samples
		return nil
	})
	if err != nil || p.Heap < 16<<20 {
		t.Errorf("Measure = %+v, %v; want a heap peak ≥ 16 MiB", p, err)
	}
	_ = keep
	want := errors.New("x")
	if _, err := Measure(func() error { return want }); err != want {
		t.Errorf("error = %v", err)
	}
}
