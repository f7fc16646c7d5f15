package chain

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func writeSealed(t *testing.T, path string, a common.Address, n int) {
	t.Helper()
	j, err := OpenJournal(path, 31337, a)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for i := 0; i < n; i++ {
		if err := j.Append(JournalEntry{Type: EntryIntent, ID: NewJournalID(), ActionMeta: ActionMeta{Kind: "trade", Size: "-1"}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestJournalIntegrityChain(t *testing.T) {
	a := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeSealed(t, path, a, 4)
	if err := (func() error { j, err := OpenJournal(path, 31337, a); j.Close(); return err })(); err != nil {
		t.Fatal(err)
	}
	in, err := VerifyJournal(path)
	if err != nil || !in.OK() || in.Sealed != 4 || in.Head == "" {
		t.Fatalf("intact journal: %+v %v", in, err)
	}
	// The tx hash field "hash" of a signed entry survives the seal.
	j, _ := OpenJournal(path, 31337, a)
	n := uint64(1)
	j.Append(JournalEntry{Type: EntrySigned, ID: "x", Hash: "0xabc", Nonce: &n})
	j.Close()
	es, _, _ := ReadJournal(path)
	if es[len(es)-1].Hash != "0xabc" {
		t.Fatalf("signed hash read back as %q", es[len(es)-1].Hash)
	}
	orig, _ := os.ReadFile(path)
	lines := bytes.SplitAfter(orig, []byte("\n"))
	cases := map[string]func() []byte{
		"edited": func() []byte {
			return bytes.Replace(orig, []byte(`"size":"-1"`), []byte(`"size":"-2"`), 1)
		},
		"removed": func() []byte { return bytes.Join(append(append([][]byte{}, lines[:1]...), lines[2:]...), nil) },
		"reordered": func() []byte {
			return bytes.Join([][]byte{lines[1], lines[0], bytes.Join(lines[2:], nil)}, nil)
		},
		"inserted unsealed": func() []byte {
			return bytes.Join([][]byte{lines[0], []byte(`{"type":"intent","id":"y"}` + "\n"), bytes.Join(lines[1:], nil)}, nil)
		},
		"last line edited": func() []byte {
			return bytes.Replace(orig, []byte(`"0xabc"`), []byte(`"0xabd"`), 1)
		},
	}
	for name, mk := range cases {
		p := filepath.Join(t.TempDir(), "t.jsonl")
		os.WriteFile(p, mk(), 0o600)
		in, err := VerifyJournal(p)
		if err != nil || in.OK() {
			t.Errorf("%s: not detected: %+v %v", name, in, err)
		}
		if _, err := OpenJournal(p, 31337, a); !errors.Is(err, ErrJournalTampered) {
			t.Errorf("%s: open: %v, want ErrJournalTampered", name, err)
		}
	}
}

func TestJournalIntegrityLegacyAndTorn(t *testing.T) {
	a := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	path := filepath.Join(t.TempDir(), "j.jsonl")
	legacy := `{"type":"intent","id":"old1","kind":"deposit"}` + "\n" + `{"type":"outcome","id":"old1","outcome":"mined"}` + "\n"
	os.WriteFile(path, []byte(legacy), 0o600)
	writeSealed(t, path, a, 2)
	in, err := VerifyJournal(path)
	if err != nil || !in.OK() || in.Legacy != 2 || in.Sealed != 2 {
		t.Fatalf("legacy then sealed: %+v %v", in, err)
	}
	// The first seal covers the older lines: editing one is detected.
	b, _ := os.ReadFile(path)
	p2 := filepath.Join(t.TempDir(), "e.jsonl")
	os.WriteFile(p2, bytes.Replace(b, []byte(`"kind":"deposit"`), []byte(`"kind":"withdraw"`), 1), 0o600)
	if in, _ := VerifyJournal(p2); in.OK() {
		t.Fatal("edited legacy line under a seal not detected")
	}
	// A torn last line (a crash) is tolerated, and the chain continues.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"type":"signed","id":"b","ha`)
	f.Close()
	writeSealed(t, path, a, 1)
	in, err = VerifyJournal(path)
	if err != nil || !in.OK() || in.Torn != 1 || in.Sealed != 3 {
		t.Fatalf("torn line: %+v %v", in, err)
	}
	if !strings.Contains(in.String(), "intact") {
		t.Fatal(in.String())
	}
	// Records are in the chain but are not actions.
	j, _ := OpenJournal(path, 31337, a)
	if err := j.AppendRecord("designation", map[string]string{"objective": "x"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	es, _, _ := ReadJournal(path)
	for _, e := range es {
		if e.Type == EntryRecord {
			t.Fatal("a record read as an action")
		}
	}
	rs, err := ReadRecords(path, "designation")
	if err != nil || len(rs) != 1 || !strings.Contains(string(rs[0].Body), "x") {
		t.Fatalf("records: %+v %v", rs, err)
	}
	if in, _ := VerifyJournal(path); !in.OK() || in.Sealed != 4 {
		t.Fatalf("after a record: %+v", in)
	}
}
