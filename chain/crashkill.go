//go:build hedger_crashtest

package chain

import (
	"os"
	"strconv"
	"strings"
	"sync"
)

// crashFromEnv is the hook HEDGER_TEST_CRASH asks for, or nil.
func crashFromEnv() func(string) {
	v := os.Getenv("HEDGER_TEST_CRASH")
	if v == "" {
		return nil
	}
	p, n, _ := strings.Cut(v, ":")
	want := 1
	if k, err := strconv.Atoi(n); err == nil && k > 0 {
		want = k
	}
	var mu sync.Mutex
	seen := 0
	return func(point string) {
		if point != p {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if seen++; seen == want {
			killSelf()
		}
	}
}

// killSelf ends the process at once, as a power cut would: SIGKILL on Unix,
// TerminateProcess on Windows; no deferred function or buffer flush runs.
func killSelf() {
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		_ = p.Kill()
	}
	select {} // the kill is on its way; never run past the crash point
}
