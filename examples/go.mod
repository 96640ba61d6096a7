module github.com/bizapi-cn/go-sdk/examples

go 1.26.0

replace (
	github.com/bizapi-cn/go-sdk/allinpay => ../allinpay
	github.com/bizapi-cn/go-sdk/evidence => ../evidence
	github.com/bizapi-cn/go-sdk/internal => ../internal
	github.com/bizapi-cn/go-sdk/levy => ../levy
	github.com/bizapi-cn/go-sdk/scancode => ../scancode
)

require (
	github.com/bizapi-cn/go-sdk/allinpay v0.1.0
	github.com/bizapi-cn/go-sdk/evidence v0.1.0
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/levy v0.1.0
	github.com/bizapi-cn/go-sdk/scancode v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
)

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/tjfoc/gmsm v1.4.1 // indirect
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)

replace github.com/bizapi-cn/go-sdk/store => ../store
