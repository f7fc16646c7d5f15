//go:build !unix

package backtest

import "time"

// cpuTime is not read off Unix (syscall.Getrusage is Unix-only): the
// benchmark then reports wall time only.
func cpuTime() (time.Duration, bool) { return 0, false }
