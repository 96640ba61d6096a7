// Package levy holds the tests of the levy module: unit tests on httpmock
// with their fixtures under testdata/, flows against levytest, the
// reliability tables, fuzz targets with their corpora, benchmarks and the
// masking check. They live in the untagged testkit module so that the levy
// module requires no test-only module; levy keeps its runnable examples.
package levy
