// Package allinpay is a client for the Allinpay International OATS QR payment API.
//
// This package is being built; see the project's issues for its scope.
package allinpay
