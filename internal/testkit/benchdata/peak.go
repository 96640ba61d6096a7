package benchdata

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Peak samples the heap (and, on Linux, the resident set) every 2 ms while
// a benchmark runs fn, and returns the peaks above the values before it
// started: what fn held in memory at its worst.
type Peak struct {
	Heap, RSS uint64
}

// Measure runs fn and returns its peak memory above the baseline.
func Measure(fn func() error) (Peak, error) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap, baseRSS := ms.HeapAlloc, rss()
	var peakHeap, peakRSS atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > baseHeap && m.HeapAlloc-baseHeap > peakHeap.Load() {
				peakHeap.Store(m.HeapAlloc - baseHeap)
			}
			if r := rss(); r > baseRSS && r-baseRSS > peakRSS.Load() {
				peakRSS.Store(r - baseRSS)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err := fn()
	close(stop)
	wg.Wait()
	return Peak{Heap: peakHeap.Load(), RSS: peakRSS.Load()}, err
}

// rss is the resident set size from /proc/self/statm (0 elsewhere).
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(string(f[1]), 10, 64)
	return pages * uint64(os.Getpagesize()) //nolint:gosec // a page size is positive
}

// ReportPeak runs fn once per iteration of b under Measure and reports the
// worst peak heap and resident set over size as "peak-heap/file" and
// "peak-rss/file": the memory benchmarks' figure against their target.
func ReportPeak(b *testing.B, size int64, fn func() error) {
	b.Helper()
	var worst Peak
	for b.Loop() {
		p, err := Measure(fn)
		if err != nil {
			b.Fatal(err)
		}
		worst.Heap, worst.RSS = max(worst.Heap, p.Heap), max(worst.RSS, p.RSS)
	}
	b.ReportMetric(float64(worst.Heap)/float64(size), "peak-heap/file")
	b.ReportMetric(float64(worst.RSS)/float64(size), "peak-rss/file")
	b.SetBytes(size)
}

// PDF returns a size-byte stream that starts like a PDF ("%PDF-"),
// generated as it is read: a large upload or download that is never held
// in memory by the benchmark itself.
func PDF(size int64) io.Reader { return &pdfStream{left: size, size: size} }

type pdfStream struct{ left, size int64 }

func (r *pdfStream) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), r.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	if off := r.size - r.left; off < 5 {
		copy(p[:n], "%PDF-"[off:])
	}
	r.left -= n
	return int(n), nil
}
