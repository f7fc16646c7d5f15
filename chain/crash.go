package chain

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// Crash points, for tests only: HEDGER_TEST_CRASH=<point>[:<n>] makes the
// process SIGKILL itself at the n-th time (default 1) it reaches <point>:
// before-send (the signed line is on disk, nothing broadcast), after-send
// (broadcast, no receipt yet) or after-receipt (confirmed, no outcome line).
// Only tests set it; it simulates a power cut at the worst moments.
var crash struct {
	once  sync.Once
	mu    sync.Mutex
	point string
	n     int
	seen  int
}

func crashPoint(point string) {
	crash.once.Do(func() {
		v := os.Getenv("HEDGER_TEST_CRASH")
		if v == "" {
			return
		}
		p, n, _ := strings.Cut(v, ":")
		crash.point, crash.n = p, 1
		if k, err := strconv.Atoi(n); err == nil && k > 0 {
			crash.n = k
		}
	})
	if crash.point == "" || crash.point != point {
		return
	}
	crash.mu.Lock()
	defer crash.mu.Unlock()
	if crash.seen++; crash.seen == crash.n {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way; never run past the crash point
	}
}
