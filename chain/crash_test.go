package chain

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The crash hook exists only in a -tags hedger_crashtest build: the package
// as released has neither the function that kills the process nor the
// environment variable's name.
func TestCrashHookOnlyWithBuildTag(t *testing.T) {
	nm := func(tags ...string) string {
		out := filepath.Join(t.TempDir(), "chain.a")
		args := append([]string{"build", "-o", out}, tags...)
		if b, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
		b, err := exec.Command("go", "tool", "nm", out).CombinedOutput()
		if err != nil {
			t.Fatalf("go tool nm: %v\n%s", err, b)
		}
		return string(b)
	}
	if syms := nm(); strings.Contains(syms, "crashFromEnv") || strings.Contains(syms, "killSelf") {
		t.Fatal("the release build of chain/ has the crash hook")
	}
	if syms := nm("-tags", "hedger_crashtest"); !strings.Contains(syms, "chain.crashFromEnv") {
		t.Fatal("the hedger_crashtest build lacks the crash hook")
	}
}
