package main

import (
	"strings"
	"testing"

	"github.com/paysdk/rebilly/examples/internal/demo"
)

func TestRunOffline(t *testing.T) {
	out := demo.RunOffline(t, run)
	if strings.Count(out, "transaction txn_") != 2 {
		t.Errorf("want two payouts:\n%s", out)
	}
	for _, want := range []string{"built-in fake", "payoutRequest={{id}}",
		"3.1 Allocated 60.05 EUR to inst_demo", "3.2 Allocated 40.05 EUR to inst_demo", "pending", "payout request in-progress: available 0.00, 2 allocations",
		"times the second payout out at first", "completed: transaction txn_", "approved/completed, paid 40.05 EUR",
		"is fulfilled: available 0.00, 2 allocations", "6. PayInFull again: 2 allocations, all final"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
