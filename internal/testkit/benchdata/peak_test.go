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
	if _, err := Measure(func() error { return want }); !errors.Is(err, want) {
		t.Errorf("error = %v", err)
	}
}

// TestPDF: the stream has the size asked for and starts with %PDF-, read
// in any chunk size.
func TestPDF(t *testing.T) {
	for _, chunk := range []int{1, 3, 4096} {
		r := PDF(10000)
		var got []byte
		buf := make([]byte, chunk)
		for {
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				break
			}
		}
		if len(got) != 10000 || string(got[:5]) != "%PDF-" || got[5] != 'x' || got[9999] != 'x' {
			t.Errorf("chunk %d: %d bytes, starts %q", chunk, len(got), got[:min(8, len(got))])
		}
	}
}
