module github.com/bizapi-cn/go-sdk/examples

go 1.26.0

replace (
	github.com/bizapi-cn/go-sdk/allinpay => ../allinpay
	github.com/bizapi-cn/go-sdk/evidence => ../evidence
	github.com/bizapi-cn/go-sdk/internal => ../internal
	github.com/bizapi-cn/go-sdk/levy => ../levy
	github.com/bizapi-cn/go-sdk/scancode => ../scancode
)
