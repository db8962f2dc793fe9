// Package spectest holds only tests: it checks openapi.yaml against Rebilly's official
// definitions, and the generated package gen and package money against openapi.yaml.
//
// The package has no non-test code and nothing imports it. Its tests read
// ../../openapi.yaml, ../../gen/rebilly.gen.go, the samples in testdata/ and, when they are
// present, the two official extracts beside the repository
// (../../../shared/reference/rebilly-payouts-official.yaml and
// rebilly-payouts-more-official.yaml). Without them the comparisons are skipped, except
// when CI=true, where a missing extract fails the tests.
package spectest
