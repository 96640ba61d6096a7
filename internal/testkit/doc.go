// Package testkit is the project's test-only module: the helpers that only
// tests use (tamper tables, delivery under load, golden fixtures, memory
// measurement, the masking check) and the tests that use them. It is never
// tagged and no published module requires it, so a host's module graph and
// downloads hold none of it, and an edit here forces no release.
package testkit
