module github.com/bizapi-cn/go-sdk/internal/testkit

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/levy v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/google/go-cmp v0.7.0
	github.com/jarcoal/httpmock v1.4.2
	github.com/tjfoc/gmsm v1.4.1
)

require (
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)

require (
	github.com/bizapi-cn/go-sdk/allinpay v0.1.0
	github.com/bizapi-cn/go-sdk/evidence v0.1.0
	github.com/bizapi-cn/go-sdk/scancode v0.1.0
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	golang.org/x/net v0.43.0 // indirect
)

replace (
	github.com/bizapi-cn/go-sdk/internal => ../
	github.com/bizapi-cn/go-sdk/store => ../../store
)

replace github.com/bizapi-cn/go-sdk/levy => ../../levy

replace github.com/bizapi-cn/go-sdk/allinpay => ../../allinpay

replace github.com/bizapi-cn/go-sdk/scancode => ../../scancode

replace github.com/bizapi-cn/go-sdk/evidence => ../../evidence
