package kv_test

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/benchdata"
	"github.com/bizapi-cn/go-sdk/internal/kv"
)

// BenchmarkAppendCanonical: the canonical string of a 25-field request next
// to the hand-written appender (target ≤ 2x the floor, ≤ 2 allocs/op).
func BenchmarkAppendCanonical(b *testing.B) {
	r := benchdata.NewPayRequest()
	if got, _ := kv.AppendCanonical(nil, r, "signature"); string(got) != string(benchdata.AppendFloor(nil, r)) {
		b.Fatalf("sdk and floor disagree:\n%s\n%s", got, benchdata.AppendFloor(nil, r))
	}
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf = benchdata.AppendFloor(buf[:0], r)
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = kv.AppendCanonical(buf[:0], r, "signature"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk-fresh-buffer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := kv.AppendCanonical(nil, r, "signature"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
