package chain

import (
	"encoding/json"
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
	// filepath: Windows joins with \.
	if want := filepath.Join("/d", "journal", "31337-0x70997970C51812dc3A010C7d01b50e0d17dc79C8.jsonl"); got != want {
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

// The account's fixed lock file is taken whatever journal file is used: a
// second hedger on the account with --journal elsewhere is refused with one
// line naming the account and the holder's pid; the default path still gets
// the journal's own error; after Close both open again.
func TestJournalAccountLock(t *testing.T) {
	dir := t.TempDir()
	a := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	j, err := OpenAccountJournal(dir, "", 31337, a)
	if err != nil {
		t.Fatal(err)
	}
	if j.Path() != JournalPath(dir, 31337, a) {
		t.Errorf("default path %s", j.Path())
	}
	other := filepath.Join(t.TempDir(), "elsewhere.jsonl")
	_, err = OpenAccountJournal(dir, other, 31337, a)
	want := fmt.Sprintf("account %s on chain 31337 is in use by another hedger process (pid %d", a.Hex(), os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrJournalLocked) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("--journal elsewhere: %v, want %q", err, want)
	}
	// The refused opener released the other file's lock.
	if j2, err := OpenJournal(other, 31337, a); err != nil {
		t.Fatalf("the refused opener kept %s locked: %v", other, err)
	} else {
		j2.Close()
	}
	_, err = OpenAccountJournal(dir, "", 31337, a)
	if err == nil || !errors.Is(err, ErrJournalLocked) || !strings.Contains(err.Error(), fmt.Sprintf("(pid %d)", os.Getpid())) {
		t.Fatalf("default path: %v", err)
	}
	// Another account is not affected.
	b := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	jb, err := OpenAccountJournal(dir, "", 31337, b)
	if err != nil {
		t.Fatalf("other account: %v", err)
	}
	jb.Close()
	j.Close()
	j3, err := OpenAccountJournal(dir, other, 31337, a)
	if err != nil {
		t.Fatalf("after close: %v", err)
	}
	j3.Close()
}

// A journal file holding another chain's or account's entries is refused
// with one line; entries of another chain/account that appear in the file
// anyway are ignored by Records.
func TestJournalForeignEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.jsonl")
	a := common.HexToAddress("0x0a")
	b := common.HexToAddress("0x0b")
	j, err := OpenJournal(path, 1, a)
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(0)
	j.Append(JournalEntry{Type: EntryIntent, ID: "a1", ActionMeta: ActionMeta{Kind: "trade", Notional: "5"}})
	j.Append(JournalEntry{Type: EntrySigned, ID: "a1", Hash: "0x01", Nonce: &n})
	j.Append(JournalEntry{Type: EntryOutcome, ID: "a1", Outcome: OutcomeMined, Block: 9})
	j.Close()
	for _, tc := range []struct {
		chain uint64
		acct  common.Address
	}{{10, a}, {1, b}} {
		_, err := OpenJournal(path, tc.chain, tc.acct)
		if err == nil || !errors.Is(err, ErrJournalForeign) || strings.Contains(err.Error(), "\n") ||
			!strings.Contains(err.Error(), "holds entries of chain 1 account "+a.Hex()) {
			t.Errorf("open for chain %d %s: %v", tc.chain, tc.acct.Hex(), err)
		}
	}
	j, err = OpenJournal(path, 1, a)
	if err != nil {
		t.Fatalf("own file: %v", err)
	}
	defer j.Close()
	// Another process appends foreign lines behind our back.
	j.Append(JournalEntry{Type: EntryIntent, ID: "b1", ChainID: 10, ActionMeta: ActionMeta{Kind: "trade"}})
	j.Append(JournalEntry{Type: EntrySigned, ID: "b1", ChainID: 10, Hash: "0x02", Nonce: &n})
	j.Append(JournalEntry{Type: EntryIntent, ID: "c1", Account: b.Hex(), ActionMeta: ActionMeta{Kind: "trade"}})
	recs, err := j.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != "a1" {
		t.Errorf("records of chain 1 %s: %+v", a.Hex(), recs)
	}
	es, _, _ := ReadJournalFor(path, 10, a)
	if len(es) != 2 || es[0].ID != "b1" {
		t.Errorf("ReadJournalFor chain 10: %+v", es)
	}
}

// The last outcome line of an id is its current outcome (a reconcile after
// a reorg appends a corrected one).
func TestJournalGroupLastOutcome(t *testing.T) {
	recs := GroupJournal([]JournalEntry{
		{Type: EntryIntent, ID: "x"},
		{Type: EntryOutcome, ID: "x", Outcome: OutcomeMined, Block: 5},
		{Type: EntryOutcome, ID: "x", Outcome: OutcomeDropped, Note: "reorged out"},
	})
	if len(recs) != 1 || recs[0].Outcome == nil || recs[0].Outcome.Outcome != OutcomeDropped {
		t.Fatalf("current outcome %+v", recs[0].Outcome)
	}
}

// A journal written before versions (testdata/journal-v0.jsonl, by the code
// of December 2026: the caller's metadata as flat keys) still loads, with
// the metadata readable both decoded and as the opaque Action; lines
// written now carry "v" and keep the metadata under "action" only.
func TestJournalVersions(t *testing.T) {
	acct := common.HexToAddress("0x5E0903f007380bE6CE28908f284D9A50E04D81d2")
	es, skipped, err := ReadJournalFor("testdata/journal-v0.jsonl", ChainIDAnvil, acct)
	if err != nil || skipped != 0 || len(es) != 4 {
		t.Fatalf("v0: %d entries, %d skipped, %v", len(es), skipped, err)
	}
	recs := GroupJournal(es)
	in := recs[0].Intent
	if len(recs) != 1 || in.V != 0 || in.Kind != "trade" || in.Intent != "hedge" || in.Notional != "4477.5" ||
		recs[0].Outcome == nil || recs[0].Outcome.Outcome != OutcomeMined || len(recs[0].Attempts) != 2 {
		t.Fatalf("v0 record %+v", recs[0])
	}
	var back ActionMeta
	if err := json.Unmarshal(in.Action, &back); err != nil || back != in.ActionMeta {
		t.Fatalf("v0 action %s: %v", in.Action, err)
	}

	// Now: opaque metadata of any shape, with the version.
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path, ChainIDAnvil, acct)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	raw, _ := json.Marshal(map[string]any{"venue": "gmx", "order_key": "0xabc", "kind": "trade"})
	if err := j.Append(JournalEntry{Type: EntryIntent, ID: "x", Action: raw}); err != nil {
		t.Fatal(err)
	}
	line, _ := os.ReadFile(path)
	if !strings.Contains(string(line), `"v":1`) || !strings.Contains(string(line), `"action":{"kind":"trade","order_key":"0xabc","venue":"gmx"}`) ||
		strings.Contains(string(line), `,"kind":"trade"`) && !strings.Contains(string(line), `"action":`) {
		t.Fatalf("line %s", line)
	}
	got, _ := j.Entries()
	if len(got) != 1 || got[0].V != JournalVersion || got[0].Kind != "trade" || string(got[0].Action) != string(raw) {
		t.Fatalf("v1 read %+v", got)
	}
}
