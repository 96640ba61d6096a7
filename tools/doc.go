// Package tools holds the project's own release and CI tools (an untagged
// module, never required by the SDK's modules): modproxy builds a Go module
// proxy on disk from the tree, for the consumer check and the release
// script.
package tools
