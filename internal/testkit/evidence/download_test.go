package evidence_test

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
)

// TestFileName: the object name of a presigned URL, unescaped, and never
// something that leaves a folder when joined to it.
func TestFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://cos.example/b/DA1_h_app-tax-income_income1.html?sign=x": "DA1_h_app-tax-income_income1.html",
		"https://cos.example/b/%E4%B8%AA%E7%A8%8E.pdf?q":                 "个税.pdf",
		"https://cos.example/b/..":                                       "",
		"https://cos.example/b/..%2F..%2Fetc%2Fpasswd":                   "passwd",
		`https://cos.example/b/..%5C..%5Cwin.ini`:                        "win.ini",
		"https://cos.example/":                                           "",
		"https://cos.example":                                            "",
		"https://cos.example/b/x%00y":                                    "",
		"://bad":                                                         "",
	} {
		if got := evidence.FileName(in); got != want {
			t.Errorf("FileName(%q) = %q; want %q", in, got, want)
		}
	}
}
