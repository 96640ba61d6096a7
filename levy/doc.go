// Package levy is a client for the Olading (阿拉钉) freelancer tax-levy API.
//
// This package is being built; see the project's issues for its scope.
package levy
