package levy_test

import (
	"github.com/bizapi-cn/go-sdk/internal/sign"
)

func hmacB64(secret, msg string) string {
	return sign.NewHMACSHA256([]byte(secret)).Base64([]byte(msg))
}
