//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package chain

import (
	"errors"
	"os"
	"syscall"
)

// lockFD takes an exclusive, non-blocking advisory lock on f (flock), held
// until f is closed; errLockHeld when another process holds it.
func lockFD(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLockHeld
	}
	return err
}
