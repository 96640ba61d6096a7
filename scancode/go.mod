module github.com/bizapi-cn/go-sdk/scancode

go 1.26.0

replace github.com/bizapi-cn/go-sdk/internal => ../internal
