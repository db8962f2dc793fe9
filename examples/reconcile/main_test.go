package main

import (
	"testing"

	"github.com/paysdk/rebilly/examples/internal/demo"
)

func TestRunOffline(t *testing.T) {
	demo.RunOffline(t, run,
		"built-in fake",
		"Seeded the fake with 2400 payout requests",
		"2. Pending payout requests of cus_demo: 641,",
		"3. Canceled reconcile-demowithdr-",
		"status canceled, by customer (withdrawn by the customer)",
		"4. Pending payout requests of cus_demo now: 640,",
	)
}
