module github.com/bizapi-cn/go-sdk/evidence

go 1.26.0

replace github.com/bizapi-cn/go-sdk/internal => ../internal

require (
	github.com/bizapi-cn/go-sdk/internal v0.0.0-00010101000000-000000000000
	github.com/go-resty/resty/v2 v2.17.2
	github.com/jarcoal/httpmock v1.4.2
	github.com/tjfoc/gmsm v1.4.1
)

require (
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/google/go-cmp v0.7.0 // indirect
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)

replace github.com/bizapi-cn/go-sdk/store => ../store
