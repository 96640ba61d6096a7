package gm

import (
	"github.com/tjfoc/gmsm/sm3"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

// NewHMACSM3 returns an HMAC-SM3 signer keyed with key (the DECS national
// suite).
func NewHMACSM3(key []byte) *sign.HMAC {
	return sign.NewHMAC("HMAC-SM3", sm3.New, key)
}
