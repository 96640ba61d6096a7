module github.com/bizapi-cn/go-sdk/internal

go 1.26.0

require (
	github.com/go-resty/resty/v2 v2.17.2
	github.com/tjfoc/gmsm v1.4.1
)

require (
	github.com/bizapi-cn/go-sdk/store v0.1.0
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)

replace github.com/bizapi-cn/go-sdk/store => ../store
