// Package nonce makes random identifiers from crypto/rand: request nonces
// and caller-side request IDs.
package nonce

import (
	"crypto/rand"
	"time"
)

const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// Alnum returns n random characters from [0-9a-zA-Z], uniformly distributed.
func Alnum(n int) string {
	out := make([]byte, n)
	buf := make([]byte, n+n/2+8)
	i := 0
	for i < n {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+).
		for _, b := range buf {
			if b >= 248 { // 248 = 4*62: reject to keep the distribution uniform.
				continue
			}
			out[i] = alnum[b%62]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out)
}

// TimeID returns a sortable identifier: the time t in UTC+8 as
// yyyyMMddHHmmss followed by n random alphanumerics.
func TimeID(t time.Time, n int) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("20060102150405") + Alnum(n)
}
