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
		"built-in fake",
		"Seeded the fake with 2400 payout requests",
		"2. Pending payout requests of cus_demo: 641,",
		"3. Canceled reconcile-demowithdr-",
		"status canceled, by customer (withdrawn by the customer)",
		"4. Pending payout requests of cus_demo now: 640,",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
