//go:build windows

package chain

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockFD takes an exclusive, non-blocking lock on f (LockFileEx), held until
// f is closed; errLockHeld when another process holds it. Windows locks are
// mandatory for the bytes they cover, so the lock covers one byte far past
// any journal's end: readers (`hedger journal`) still read the file.
func lockFD(f *os.File) error {
	ol := &windows.Overlapped{Offset: 0, OffsetHigh: 0x7fffffff}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLockHeld
	}
	return err
}
