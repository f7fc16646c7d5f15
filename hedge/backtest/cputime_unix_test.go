//go:build unix

package backtest

import (
	"syscall"
	"time"
)

// cpuTime is this process's user + system CPU time (getrusage); ok is false
// when it cannot be read.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
