module github.com/bizapi-cn/go-sdk/bench

go 1.26.0

require github.com/bizapi-cn/go-sdk/internal v0.0.0

require github.com/go-pay/gopay v1.5.101

replace github.com/bizapi-cn/go-sdk/internal => ../internal
