// Package scancode is a client for the 中招互连 (ebinterlink) e-bidding app's QR-scan callbacks.
//
// This package is being built; see the project's issues for its scope.
package scancode
