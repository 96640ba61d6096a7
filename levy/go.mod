module github.com/bizapi-cn/go-sdk/levy

go 1.26.0

replace github.com/bizapi-cn/go-sdk/internal => ../internal
