//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair. The master stays non-blocking (it
// is never asked for Fd) so reads can have deadlines.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	rc, err := m.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n uint32
	var ierr error
	if err := rc.Control(func(fd uintptr) {
		if ierr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ierr == nil {
			n, ierr = unix.IoctlGetUint32(int(fd), unix.TIOCGPTN)
		}
	}); err != nil || ierr != nil {
		t.Fatalf("unlockpt/ptsname: %v %v", err, ierr)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pty's slave: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// echoOn reports whether the terminal echoes input (ECHO in its local modes).
func echoOn(t *testing.T, tty *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatalf("TCGETS: %v", err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// TestE2EKeystorePromptOnPTY: `accounts --keystore NAME` for a Foundry key
// (no address in the file) with no --password-file, on a terminal, asks for
// the passphrase on stderr naming the file, reads it with echo off, lists
// the address, and leaves the terminal echoing again. Nothing typed shows:
// not on the terminal, not in the output.
func TestE2EKeystorePromptOnPTY(t *testing.T) {
	e2eSkipIfShort(t)
	t.Parallel()
	cli := e2eNewCLI(t, "")
	const pass = "typed pass 5e7a"
	key, blob := e2eEncryptedKey(t, pass)
	addr := crypto.PubkeyToAddress(key.PublicKey)
	var m map[string]any
	if err := json.Unmarshal(blob, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "address") // as `cast wallet import` writes it
	blob, _ = json.Marshal(m)
	dir := filepath.Join(cli.workDir, "home", ".foundry", "keystores")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "hot")
	if err := os.WriteFile(file, blob, 0o600); err != nil {
		t.Fatal(err)
	}

	master, slave := openPTY(t)
	if !echoOn(t, slave) {
		t.Fatal("a new terminal does not echo")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli.bin, "accounts", "--keystore", "hot")
	cmd.Dir, cmd.Env = cli.workDir, cli.env(nil)
	var out bytes.Buffer
	var errb lockedBuffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, &out, &errb
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Type only once the prompt is out and echo is off: what a user types
	// earlier would be echoed by the terminal, not by hedger.
	prompt := "passphrase for " + file + ": "
	var echoOffBy time.Time // once the prompt is out
	for {
		if echoOffBy.IsZero() && strings.Contains(errb.String(), prompt) {
			echoOffBy = time.Now().Add(30 * time.Second)
		}
		if !echoOffBy.IsZero() && !echoOn(t, slave) {
			break
		}
		if !echoOffBy.IsZero() && time.Now().After(echoOffBy) {
			t.Fatalf("the prompt is out and the terminal still echoes: the passphrase would show\nstderr:\n%s", errb.String())
		}
		select {
		case err := <-done:
			t.Fatalf("hedger ended before reading a passphrase (%v):\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
		case <-ctx.Done():
			t.Fatalf("no passphrase prompt:\nstderr:\n%s", errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if _, err := master.Write([]byte(pass + "\r")); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		t.Fatalf("hedger did not finish after the passphrase:\nstderr:\n%s", errb.String())
	}
	if err != nil || !strings.Contains(out.String(), addr.Hex()) {
		t.Fatalf("accounts with a typed passphrase (%v):\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
	}
	if !echoOn(t, slave) {
		t.Error("hedger left the terminal without echo")
	}
	// What the terminal showed: nothing of the passphrase. The master holds
	// only what the line discipline echoed (hedger's output went to pipes).
	slave.Close()
	master.SetReadDeadline(time.Now().Add(2 * time.Second))
	var shown bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, rerr := master.Read(buf)
		shown.Write(buf[:n])
		if rerr != nil {
			break
		}
	}
	for what, s := range map[string]string{"terminal": shown.String(), "stdout": out.String(), "stderr": errb.String()} {
		if strings.Contains(s, pass) {
			t.Errorf("the passphrase shows on the %s: %q", what, s)
		}
	}
}
