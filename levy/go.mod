module github.com/bizapi-cn/go-sdk/levy

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/bizapi-cn/go-sdk/store v0.1.0
	github.com/go-resty/resty/v2 v2.17.2
)

require golang.org/x/net v0.43.0 // indirect

// The workspace and GOWORK=off build against the tree; a host gets the
// required releases from the proxy (replace directives of a dependency are
// ignored).
replace (
	github.com/bizapi-cn/go-sdk/internal => ../internal
	github.com/bizapi-cn/go-sdk/store => ../store
)
