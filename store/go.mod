module github.com/bizapi-cn/go-sdk/store

go 1.26.0
