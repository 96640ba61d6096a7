module github.com/bizapi-cn/go-sdk/cmd/bizapi

go 1.26.0

require (
	github.com/bizapi-cn/go-sdk/internal v0.1.0
	github.com/tjfoc/gmsm v1.4.1
)

require (
	golang.org/x/crypto v0.41.0 // indirect
	golang.org/x/sys v0.35.0 // indirect
)

// No replace directives: `go install github.com/bizapi-cn/go-sdk/cmd/bizapi@vX`
// refuses a module that has any. The workspace builds it against the tree;
// the consumer check installs it from a proxy made of the tree.
