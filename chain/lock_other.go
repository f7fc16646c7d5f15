//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package chain

import (
	"errors"
	"os"
)

// lockFD: this OS has no file lock hedger knows how to take, and sending
// without one could let two hedgers double a trade, so it refuses.
func lockFD(*os.File) error {
	return errors.New("file locking is not supported on this operating system")
}
