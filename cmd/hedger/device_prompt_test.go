package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
)

// lockedBuffer is a writer safe to read while the spinner goroutine writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const promptSummary = "to 0x00000000000000000000000000000000000000A2, value 7 wei, nonce 0, gas 21000, gas price 1 gwei (legacy)"

// The lines a user sees for each device state, without a terminal: the same
// text chain/ printed before the states moved here.
func TestDevicePromptLines(t *testing.T) {
	for _, c := range []struct {
		name   string
		states []chain.DeviceState
		want   string
	}{
		{"ledger confirm", []chain.DeviceState{
			{Kind: chain.DeviceAwaitingConfirmation, Device: chain.Ledger, Summary: promptSummary, Timeout: 2 * time.Minute},
			{Kind: chain.DeviceConfirmFinished, Device: chain.Ledger},
		}, "confirm on your Ledger: " + promptSummary + " (waiting up to 2m0s)\n"},
		{"trezor confirm", []chain.DeviceState{
			{Kind: chain.DeviceAwaitingConfirmation, Device: chain.Trezor, Summary: promptSummary, Timeout: 90 * time.Second},
			{Kind: chain.DeviceConfirmFinished, Device: chain.Trezor},
		}, "confirm on your Trezor: " + promptSummary + " (waiting up to 1m30s)\n"},
		{"blind signing off", []chain.DeviceState{{Kind: chain.DeviceBlindSigningOff, Device: chain.Ledger}},
			"note: blind signing is off on your Ledger, so it will refuse contract calls: enable it in the Ethereum app (Settings > Blind signing)\n"},
		{"pin matrix", []chain.DeviceState{{Kind: chain.DevicePINMatrix, Device: chain.Trezor}},
			"your Trezor shows a scrambled PIN grid: type the positions of your PIN digits (7 8 9 / 4 5 6 / 1 2 3)\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b lockedBuffer
			p := newDevicePrompt(&b)
			for _, s := range c.states {
				p.OnState(s)
			}
			if got := b.String(); got != c.want {
				t.Fatalf("output = %q, want %q", got, c.want)
			}
		})
	}
}

// A regular file is not a terminal: one plain line, no spinner frames or
// carriage returns, even while the device waits.
func TestDevicePromptNoSpinnerOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := newDevicePrompt(f)
	if p.spin {
		t.Fatal("a regular file taken for a terminal")
	}
	p.OnState(chain.DeviceState{Kind: chain.DeviceAwaitingConfirmation, Device: chain.Ledger, Summary: promptSummary, Timeout: time.Minute})
	time.Sleep(250 * time.Millisecond) // room for a spinner to draw, were there one
	p.OnState(chain.DeviceState{Kind: chain.DeviceConfirmFinished, Device: chain.Ledger})
	out, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if want := "confirm on your Ledger: " + promptSummary + " (waiting up to 1m0s)\n"; string(out) != want {
		t.Fatalf("output = %q, want %q", out, want)
	}
}

// On a terminal: the summary line, then spinner frames counting down, and
// the spinner line erased once the device has answered.
func TestDevicePromptSpinner(t *testing.T) {
	var b lockedBuffer
	p := &devicePrompt{w: &b, spin: true}
	p.OnState(chain.DeviceState{Kind: chain.DeviceAwaitingConfirmation, Device: chain.Ledger, Summary: promptSummary, Timeout: 2 * time.Minute})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(b.String(), "⠙") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	p.OnState(chain.DeviceState{Kind: chain.DeviceConfirmFinished, Device: chain.Ledger})
	out := b.String()
	if !strings.HasPrefix(out, promptSummary+"\n\r⠋ confirm on your Ledger (2m0s left) ") ||
		!strings.Contains(out, "\r⠙ confirm on your Ledger (") || !strings.HasSuffix(out, "\r\033[K") {
		t.Fatalf("spinner output = %q", out)
	}
	// Finished stopped the spinner goroutine: nothing more is written.
	time.Sleep(150 * time.Millisecond)
	if b.String() != out {
		t.Fatalf("spinner kept drawing after the device answered: %q", b.String()[len(out):])
	}
	// A finished report with no prompt running is harmless.
	p.OnState(chain.DeviceState{Kind: chain.DeviceConfirmFinished, Device: chain.Ledger})
}

// hardwareOptions wires the renderer into the signer options, so the CLI
// user still sees the prompts.
func TestHardwareOptionsWiresDevicePrompt(t *testing.T) {
	var got chain.HardwareOptions
	app := &cli.App{Flags: deviceFlags(), Action: func(c *cli.Context) error {
		var err error
		got, err = hardwareOptions(c, "ledger")
		return err
	}}
	if err := app.Run([]string{"hedger", "--ledger", "--confirm-timeout", "45s"}); err != nil {
		t.Fatal(err)
	}
	if got.Kind != chain.Ledger || got.ConfirmTimeout != 45*time.Second || got.OnState == nil {
		t.Fatalf("options = %+v, want a Ledger with a 45s timeout and the device prompt as OnState", got)
	}
}
