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
	if strings.Count(out.String(), "transaction txn_") != 2 {
		t.Errorf("want two payouts:\n%s", out.String())
	}
	for _, want := range []string{"built-in fake", "payoutRequest={{id}}",
		"3.1 Allocated 60.05 EUR to inst_demo", "3.2 Allocated 40.05 EUR to inst_demo", "pending", "payout request in-progress: available 0.00, 2 allocations",
		"times the second payout out at first", "completed: transaction txn_", "approved/completed, paid 40.05 EUR",
		"is fulfilled: available 0.00, 2 allocations", "6. PayInFull again: 2 allocations, all final"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
