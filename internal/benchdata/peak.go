package benchdata

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
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
	return pages * uint64(os.Getpagesize())
}
