// Package bench holds the cross-module benchmark suite: each benchmark runs
// the SDK next to its floor (a hand-written stdlib implementation of the same
// exchange) or next to a popular SDK, as sub-benchmarks of one benchmark:
//
//	BenchmarkCanonical/sdk     BenchmarkCanonical/floor     BenchmarkCanonical/gopay
//
// so that one `go test -bench` run compares them and scripts/bench.sh can print
// each figure as a ratio to its floor. The scaling benchmarks
// (scaling_test.go: connections, calls/s, p50, p99 per caller count) and
// the hostile-answer benchmarks (hostile_test.go: peak heap per call
// against the response limit) report custom metrics instead;
// BenchmarkFastestSM (fastest_sm_test.go) holds the SDK's SM2/SM4 (tjfoc/gmsm)
// to the fastest Go implementation measured, emmansun/gmsm. The module is
// never tagged and no published module requires it; it is the only place that
// depends on github.com/go-pay/gopay and github.com/emmansun/gmsm.
package bench
