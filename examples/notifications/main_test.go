package main

import (
	"testing"

	"github.com/paysdk/rebilly/examples/internal/demo"
)

func TestRunOffline(t *testing.T) {
	demo.RunOffline(t, run,
		"built-in fake",
		"result unknown/timeout: not paid yet",
		"onResult: transaction txn_", "is approved/completed (confirmed by GET",
		"delivery: answered [204], delivered true",
		"paid: 75.00 USD",
		"answered 403 Forbidden; onResult calls still 1",
	)
}
