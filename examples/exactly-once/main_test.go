package main

import (
	"testing"

	"github.com/paysdk/rebilly/examples/internal/demo"
)

func TestRunOffline(t *testing.T) {
	demo.RunOffline(t, run,
		"call 1: ErrOutcomeUnknown after 4 attempts",
		"call 2: transaction txn_", "answered unknown/timeout; waiting for the final result",
		"First process: transaction txn_", "final result approved: paid",
		"call 1: ErrDuplicateRequest", "the payout request's allocations name transaction txn_",
		"Restarted process: transaction txn_",
		"holds 1 transaction(s): paid exactly once",
	)
}
