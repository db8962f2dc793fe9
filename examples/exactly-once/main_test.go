package main

import (
	"strings"
	"testing"
)

func TestRunOffline(t *testing.T) {
	for _, k := range []string{"REBILLY_API_KEY", "REBILLY_ORGANIZATION_ID"} {
		t.Setenv(k, "")
	}
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"call 1: ErrOutcomeUnknown after 4 attempts",
		"call 2: transaction txn_", "answered unknown/timeout; waiting for the final result",
		"First process: transaction txn_", "final result approved: paid",
		"call 1: ErrDuplicateRequest", "the payout request's allocations name transaction txn_",
		"Restarted process: transaction txn_",
		"holds 1 transaction(s): paid exactly once",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
