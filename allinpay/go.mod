module github.com/bizapi-cn/go-sdk/allinpay

go 1.26.0

replace github.com/bizapi-cn/go-sdk/internal => ../internal
