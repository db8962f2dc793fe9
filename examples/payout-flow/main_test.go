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
	for _, want := range []string{"built-in fake", "payoutRequest={{id}}", "3.1 Payout of 60.05 EUR created (201)", "3.2 Payout of 40.05 EUR created (201)",
		"result unknown/timeout", "a 201 is not \"paid\" until the result is approved", "final result approved/completed: paid 40.05 EUR", "is fulfilled: available 0.00, 2 allocations"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
