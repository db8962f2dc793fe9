// Package spectest holds only tests: it checks openapi.yaml against Rebilly's official
// definitions, and the generated package gen and package money against openapi.yaml.
//
// The package has no non-test code and nothing imports it. Its tests read
// ../../openapi.yaml, ../../gen/rebilly.gen.go, the samples in testdata/ and, when it is
// present, the official reference beside the repository
// (../../../shared/reference/rebilly-payouts-official.yaml).
package spectest
