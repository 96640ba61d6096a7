// Package evidence is a client for the DECS (Data Express Chain System) evidence and data-acquisition service.
//
// This package is being built; see the project's issues for its scope.
package evidence
