module github.com/bizapi-cn/go-sdk/internal/testkit

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/levy v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/google/go-cmp v0.7.0
	github.com/jarcoal/httpmock v1.4.2
)

require (
	github.com/bizapi-cn/go-sdk/allinpay v0.1.0
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	golang.org/x/net v0.43.0 // indirect
)

replace (
	github.com/bizapi-cn/go-sdk/internal => ../
	github.com/bizapi-cn/go-sdk/store => ../../store
)

replace github.com/bizapi-cn/go-sdk/levy => ../../levy

replace github.com/bizapi-cn/go-sdk/allinpay => ../../allinpay
