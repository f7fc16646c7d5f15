package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/hedger/hedger/chain"
)

// devicePrompt renders a hardware wallet's chain.DeviceState reports for the
// user: "confirm on your X" with, on a terminal, a spinner counting down the
// confirmation timeout; one-line notes for blind signing and the Trezor PIN
// grid. chain/ only reports states; all terminal output lives here.
type devicePrompt struct {
	w    io.Writer
	spin bool // animate: w is a terminal

	mu   sync.Mutex
	stop func() // ends the running confirmation prompt; nil when none
}

func newDevicePrompt(w io.Writer) *devicePrompt {
	return &devicePrompt{w: w, spin: isTerminal(w)}
}

// OnState is the chain.HardwareOptions.OnState callback.
func (p *devicePrompt) OnState(s chain.DeviceState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch s.Kind {
	case chain.DeviceAwaitingConfirmation:
		p.endPrompt()
		p.stop = startPrompt(p.w, p.spin, fmt.Sprintf("confirm on your %s", s.Device.Name()), s.Summary, s.Timeout)
	case chain.DeviceConfirmFinished:
		p.endPrompt()
	case chain.DeviceBlindSigningOff:
		fmt.Fprintln(p.w, "note: blind signing is off on your Ledger, so it will refuse contract calls: enable it in the Ethereum app (Settings > Blind signing)")
	case chain.DevicePINMatrix:
		fmt.Fprintln(p.w, "your Trezor shows a scrambled PIN grid: type the positions of your PIN digits (7 8 9 / 4 5 6 / 1 2 3)")
	}
}

func (p *devicePrompt) endPrompt() {
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
}

// startPrompt prints "label: detail (waiting up to T)" or, on a terminal,
// the detail and a spinner with the time left until the returned stop is
// called, which erases the spinner line.
func startPrompt(w io.Writer, spin bool, label, detail string, timeout time.Duration) (stop func()) {
	if !spin {
		fmt.Fprintf(w, "%s: %s (waiting up to %s)\n", label, detail, timeout)
		return func() {}
	}
	fmt.Fprintf(w, "%s\n", detail)
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		frames := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
		start := time.Now()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			left := max(timeout-time.Since(start), 0).Round(time.Second)
			fmt.Fprintf(w, "\r%c %s (%s left) ", frames[i%len(frames)], label, left)
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-exited }
}

// isTerminal: a character device, so "\r" redraws make sense there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
