package chain

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestJournalPath(t *testing.T) {
	a := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	got := JournalPath("/d", 31337, a)
	if want := "/d/journal/31337-0x70997970C51812dc3A010C7d01b50e0d17dc79C8.jsonl"; got != want {
		t.Fatalf("JournalPath = %s, want %s", got, want)
	}
}

// A second opener of the same journal (another hedger on the account) gets
// one clear error naming the file and the holder's pid; after Close it opens.
func TestJournalLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	a := common.HexToAddress("0x01")
	j, err := OpenJournal(path, 1, a)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenJournal(path, 1, a)
	want := fmt.Sprintf("journal %s is locked by another hedger process (pid %d)", path, os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrJournalLocked) {
		t.Fatalf("second open: %v, want %q", err, want)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	j2, err := OpenJournal(path, 1, a)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	j2.Close()
}

// Lines append in order, group by id, and a torn last line (a crash in the
// middle of a write) is skipped on read and does not swallow the next entry.
func TestJournalAppendGroupTorn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	a := common.HexToAddress("0x02")
	j, err := OpenJournal(path, 31337, a)
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(7)
	must := func(e JournalEntry) {
		t.Helper()
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	must(JournalEntry{Type: EntryIntent, ID: "a", ActionMeta: ActionMeta{Kind: "trade", Intent: "hedge", Market: "ETH", Size: "-1.5", Price: "1990", Notional: "2985"}})
	must(JournalEntry{Type: EntrySigned, ID: "a", Hash: "0x01", Nonce: &n, TipCapWei: "1", FeeCapWei: "3"})
	must(JournalEntry{Type: EntryBumped, ID: "a", Hash: "0x02", Nonce: &n, TipCapWei: "2", FeeCapWei: "4"})
	must(JournalEntry{Type: EntryIntent, ID: "b", ActionMeta: ActionMeta{Kind: "deposit"}})
	must(JournalEntry{Type: EntryOutcome, ID: "a", Outcome: OutcomeMined, MinedHash: "0x02"})
	j.Close()

	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"type":"signed","id":"b","ha`) // torn
	f.Close()
	entries, skipped, err := ReadJournal(path)
	if err != nil || skipped != 1 || len(entries) != 5 {
		t.Fatalf("read: %d entries, %d skipped, %v", len(entries), skipped, err)
	}

	j, err = OpenJournal(path, 31337, a)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	must(JournalEntry{Type: EntryOutcome, ID: "b", Outcome: OutcomeFailed})
	recs, err := j.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2: %+v", len(recs), recs)
	}
	ra, rb := recs[0], recs[1]
	if ra.Live() || ra.Outcome.MinedHash != "0x02" || len(ra.Hashes()) != 2 || ra.Intent.Market != "ETH" || ra.Intent.ChainID != 31337 ||
		ra.Intent.Account != a.Hex() || ra.Intent.Time.IsZero() {
		t.Errorf("record a: %+v", ra)
	}
	if nn, ok := ra.Nonce(); !ok || nn != 7 {
		t.Errorf("nonce of a = %d %v", nn, ok)
	}
	if rb.Live() || rb.Outcome.Outcome != OutcomeFailed {
		t.Errorf("record b: %+v (the line after the torn one was lost?)", rb)
	}
	raw, _ := os.ReadFile(path)
	if lines := strings.Count(string(raw), "\n"); lines != 7 {
		t.Errorf("file has %d lines, want 7 (5 + torn + 1):\n%s", lines, raw)
	}
}
