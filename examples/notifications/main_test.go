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
		"result unknown/timeout: not paid yet",
		"onResult: transaction txn_", "is approved/completed (confirmed by GET",
		"delivery: answered [204], delivered true",
		"paid: 75.00 USD",
		"answered 403 Forbidden; onResult calls still 1",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
