package demo

import (
	"io"
	"strings"
	"testing"
)

// RunOffline runs an example's run function against the built-in fake (the sandbox
// variables cleared) for its smoke test, fails t if it errs or its output lacks one of want,
// and returns the output for further checks.
func RunOffline(t *testing.T, run func(io.Writer) error, want ...string) string {
	t.Helper()
	for _, k := range []string{"REBILLY_API_KEY", "REBILLY_ORGANIZATION_ID"} {
		t.Setenv(k, "")
	}
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	return out.String()
}
