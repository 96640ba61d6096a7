// Package evidence holds the tests of the evidence module: unit tests on
// httpmock with their fixtures under testdata/, flows against evidencetest
// in both crypto suites, the reliability tables, fuzz targets with their
// corpora, benchmarks and the masking check. They live in the untagged
// testkit module so that the evidence module requires no test-only module;
// evidence keeps its runnable examples and the docs' hash sample, which
// reads its unexported body builder.
package evidence
