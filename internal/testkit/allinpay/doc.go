// Package allinpay holds the tests of the allinpay module: unit tests on
// httpmock with their fixtures under testdata/, flows against allinpaytest,
// the reliability tables, fuzz targets with their corpora, benchmarks and
// the masking check. They live in the untagged testkit module so that the
// allinpay module requires no test-only module; allinpay keeps its runnable
// examples.
package allinpay
