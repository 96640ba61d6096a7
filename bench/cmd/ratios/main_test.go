package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRatios(t *testing.T) {
	in := `goos: linux
BenchmarkCanonical/floor-2   100   100 ns/op   0 B/op   0 allocs/op
BenchmarkCanonical/floor-2   100   120 ns/op   0 B/op   0 allocs/op
BenchmarkCanonical/floor-2   100   110 ns/op   0 B/op   0 allocs/op
BenchmarkCanonical/sdk-2     100   220 ns/op   0 B/op   1 allocs/op
BenchmarkCanonical/gopay-2   100   5500 ns/op  5000 B/op   44 allocs/op
BenchmarkUpload/sdk          10    9000 ns/op  0.05 peak-heap/file
BenchmarkScalingLevy/callers=64/tuned-2  1  200 ns/op  100 calls/s  150 conns/op
BenchmarkScalingLevy/callers=64/sdk-2    1  100 ns/op  190 calls/s  64 conns/op
BenchmarkScalingLevy/callers=64/sdk-2    1  100 ns/op  210 calls/s  64 conns/op
BenchmarkScalingLevy/callers=64/paired-2 1  300 ns/op  0.91 sdk/tuned
BenchmarkParse/not_UTF-8     100   300 ns/op   2 allocs/op
BenchmarkParse/not_UTF-8-2   100   200 ns/op   2 allocs/op
BenchmarkParse/floor         100   100 ns/op   1 allocs/op
BenchmarkParse/floor-2       100   100 ns/op   1 allocs/op
PASS`
	var out bytes.Buffer
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	// Columns are padded to the widest cell: compare with runs of spaces
	// taken as one.
	got := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"BenchmarkCanonical (cpu 2)/sdk", "2.00x", "inf",
		"BenchmarkCanonical (cpu 2)/gopay", "25.00x",
		"BenchmarkUpload/sdk", "peak-heap/file=0.05",
		// the scaling benchmarks compare the SDK with the tuned client
		"BenchmarkScalingLevy/callers=64 (cpu 2)/sdk tuned 0.50x", "calls/s=200[190..210]", "conns/op=64",
		// a paired leg carries its own ratio and is compared with nothing
		"BenchmarkScalingLevy/callers=64 (cpu 2)/paired - - -", "sdk/tuned=0.91",
		// a name ending in "-8" is not GOMAXPROCS 8 when the run also
		// printed it with a suffix
		"BenchmarkParse/not_UTF-8 floor 3.00x 2.00x", "BenchmarkParse (cpu 2)/not_UTF-8 floor 2.00x 2.00x",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
