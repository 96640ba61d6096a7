module github.com/bizapi-cn/go-sdk/bench

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/allinpay v0.1.0
	github.com/bizapi-cn/go-sdk/evidence v0.1.0
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/levy v0.1.0
	github.com/bizapi-cn/go-sdk/scancode v0.1.0
	github.com/go-pay/gopay v1.5.101
)

require github.com/emmansun/gmsm v0.15.5

require (
	github.com/bizapi-cn/go-sdk/internal/testkit v0.0.0-00010101000000-000000000000
	github.com/bizapi-cn/go-sdk/store v0.1.0 // indirect
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/tjfoc/gmsm v1.4.1
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace (
	github.com/bizapi-cn/go-sdk/allinpay => ../allinpay
	github.com/bizapi-cn/go-sdk/evidence => ../evidence
	github.com/bizapi-cn/go-sdk/internal => ../internal
	github.com/bizapi-cn/go-sdk/levy => ../levy
	github.com/bizapi-cn/go-sdk/scancode => ../scancode
)

replace github.com/bizapi-cn/go-sdk/store => ../store

replace github.com/bizapi-cn/go-sdk/internal/testkit => ../internal/testkit
