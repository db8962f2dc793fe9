package spectest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childLoadEnv, when set, makes TestMissingReferenceFailsInCI load the official file it
// names instead of running its checks: the test runs this binary again with it set.
const childLoadEnv = "SPECTEST_CHILD_LOAD_OFFICIAL"

// TestMissingReferenceFailsInCI checks what loadOfficial does when an official file is
// absent: it skips on a developer's machine, and fails when CI=true, so that CI never
// passes without having compared openapi.yaml with the official definitions.
func TestMissingReferenceFailsInCI(t *testing.T) {
	if path := os.Getenv(childLoadEnv); path != "" {
		loadOfficial(t, path)
		t.Log("loaded")
		return
	}
	tests := []struct {
		ci       string
		wantFail bool
		wantText string
	}{
		{ci: "true", wantFail: true, wantText: "CI=true requires it"},
		{ci: "", wantFail: false, wantText: "--- SKIP"},
		{ci: "false", wantFail: false, wantText: "--- SKIP"},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMissingReferenceFailsInCI$", "-test.v", "-test.count=1")
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, childLoadEnv+"=") {
					env = append(env, kv)
				}
			}
			cmd.Env = append(env, "CI="+tt.ci, childLoadEnv+"=testdata/no-such-official-file.yaml")
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("running the test binary: %v", err)
			}
			if failed := err != nil; failed != tt.wantFail {
				t.Errorf("with CI=%q, a missing official file: failed = %v, want %v; output:\n%s", tt.ci, failed, tt.wantFail, out)
			}
			if !strings.Contains(string(out), tt.wantText) {
				t.Errorf("with CI=%q, output lacks %q:\n%s", tt.ci, tt.wantText, out)
			}
		})
	}
}
