module github.com/bizapi-cn/go-sdk/internal/testkit

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/google/go-cmp v0.7.0
)

replace (
	github.com/bizapi-cn/go-sdk/internal => ../
	github.com/bizapi-cn/go-sdk/store => ../../store
)
