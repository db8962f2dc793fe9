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
	if !strings.Contains(out.String(), "holds 1 transaction(s): paid exactly once") {
		t.Errorf("output:\n%s", out.String())
	}
}
