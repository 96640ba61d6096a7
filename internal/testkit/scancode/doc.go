// Package scancode holds the tests of the scancode module: the parser and
// handler tests, the independent vectors, the reliability tables, the tId
// store, fuzz targets with their corpora, benchmarks and the masking check.
// They live in the untagged testkit module so that the scancode module
// requires no test-only module; scancode keeps its runnable examples and
// the tests of its unexported form readers.
package scancode
