package allinpay_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
)

// billFile generates a reconciliation file of n rows.
func billFile(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "20240101,6666666600003,Test Merchant,T01,T%08d,ALIPAY_SCANCODE,,,,,2024-01-01 10:%02d:%02d,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,\r\n", i, i/60%60, i%60)
	}
	fmt.Fprintf(&b, "Summary,20240101,HKD,%d.%02d,%d.%02d,%d.%02d,%d,%d.%02d,0.00\r\n", 1050*n/100, 1050*n%100, 6*n/100, 6*n%100, 1044*n/100, 1044*n%100, n, 1050*n/100, 1050*n%100)
	return b.Bytes()
}

// BenchmarkBillReader parses a 100k-row file (target ≥ 100 MB/s; memory
// independent of the file's size since rows are read one at a time).
func BenchmarkBillReader(b *testing.B) {
	data := billFile(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		br := allinpay.NewBillReader(bytes.NewReader(data))
		for {
			_, err := br.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
