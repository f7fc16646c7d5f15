package chain

// The journal's integrity chain. Every line the journal writes ends with
// two fields, `"seal_prev"` (the seal of the line before) and `"seal"`
// (SHA-256 of seal_prev, a newline, and the line's own JSON without the two
// fields), so an edited, removed, inserted or reordered line breaks the
// chain at the next line and is found on load and by VerifyJournal. The
// first sealed line of a journal written before sealing existed links to
// the SHA-256 of all the bytes before it, so those older lines are covered
// from then on. What it cannot catch: someone with the file recomputing
// every hash after an edit (there is no key in a hash), and the removal of
// the last lines (nothing follows them); the head hash VerifyJournal gives
// can be kept elsewhere to catch both. A line torn by a crash (no valid
// JSON) is tolerated and skipped, as the reader does.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// ErrJournalTampered is returned (wrapped) when the integrity chain breaks.
var ErrJournalTampered = errors.New("journal integrity chain broken")

// EntryRecord is a line that records something other than a transaction
// (a designation of hedging intent): it is in the integrity chain but is
// not an action, so ReadJournal leaves it out; ReadRecords reads it.
const EntryRecord = "record"

const (
	sealPrev = `,"seal_prev":"`
	sealHash = `","seal":"`
	// sealLen is the length of `,"seal_prev":"<64 hex>","seal":"<64 hex>"}`.
	sealLen = len(sealPrev) + 64 + len(sealHash) + 64 + len(`"}`)
)

func lineHash(prev string, content []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// seal appends the chain fields to one marshaled JSON object (no newline)
// and returns the line with its newline, and its hash.
func seal(prev string, obj []byte) ([]byte, string) {
	h := lineHash(prev, obj)
	out := make([]byte, 0, len(obj)+sealLen+1)
	out = append(out, obj[:len(obj)-1]...) // without the closing brace
	out = append(out, sealPrev...)
	out = append(out, prev...)
	out = append(out, sealHash...)
	out = append(out, h...)
	out = append(out, '"', '}', '\n')
	return out, h
}

// unseal splits a sealed line (without its newline) into its content (as
// sealed) and the two fields; ok is false for a line without them.
func unseal(line []byte) (content []byte, prev, hash string, ok bool) {
	if len(line) < sealLen+2 || !bytes.HasSuffix(line, []byte(`"}`)) {
		return nil, "", "", false
	}
	tail := line[len(line)-sealLen:]
	if !bytes.HasPrefix(tail, []byte(sealPrev)) || !bytes.Equal(tail[len(sealPrev)+64:len(sealPrev)+64+len(sealHash)], []byte(sealHash)) {
		return nil, "", "", false
	}
	prev = string(tail[len(sealPrev) : len(sealPrev)+64])
	hash = string(tail[len(sealPrev)+64+len(sealHash) : len(tail)-2])
	content = append(append([]byte{}, line[:len(line)-sealLen]...), '}')
	return content, prev, hash, true
}

// Integrity is what VerifyJournal found.
type Integrity struct {
	Lines  int // non-empty lines
	Legacy int // lines before the first sealed one (written before sealing)
	Sealed int
	Torn   int    // lines that are not JSON (a write torn by a crash)
	Head   string // hash of the last sealed line ("" when none)
	// BrokenAt is the 1-based line where the chain breaks (0: intact), and
	// Reason what was found there.
	BrokenAt int
	Reason   string
}

// OK reports whether the chain is intact.
func (in Integrity) OK() bool { return in.BrokenAt == 0 }

// String is one line for people.
func (in Integrity) String() string {
	if !in.OK() {
		return fmt.Sprintf("BROKEN at line %d: %s", in.BrokenAt, in.Reason)
	}
	s := fmt.Sprintf("intact: %d sealed line(s)", in.Sealed)
	if in.Legacy > 0 {
		s += fmt.Sprintf(", %d older unsealed line(s) before them (covered by the first seal)", in.Legacy)
	}
	if in.Torn > 0 {
		s += fmt.Sprintf(", %d torn line(s)", in.Torn)
	}
	if in.Head != "" {
		s += ", head " + in.Head
	}
	return s
}

// VerifyJournal checks the integrity chain of the journal file at path.
func VerifyJournal(path string) (Integrity, error) {
	f, err := os.Open(path)
	if err != nil {
		return Integrity{}, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	return verify(f)
}

func verify(r io.Reader) (Integrity, error) {
	var in Integrity
	prefix := sha256.New() // every byte before the first sealed line
	br := bufio.NewReader(r)
	n := 0
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			n++
			line := bytes.TrimRight(raw, "\r\n")
			if len(bytes.TrimSpace(line)) > 0 && in.OK() {
				in.Lines++
				content, prev, hash, sealed := unseal(line)
				switch {
				case !json.Valid(line):
					in.Torn++
				case !sealed && in.Sealed == 0:
					in.Legacy++
				case !sealed:
					in.BrokenAt, in.Reason = n, "a line without a seal after sealed lines (inserted or edited)"
				default:
					want := in.Head
					if in.Sealed == 0 {
						want = hex.EncodeToString(prefix.Sum(nil))
					}
					switch {
					case prev != want:
						in.BrokenAt, in.Reason = n, "it does not follow the line before it (a line was edited, removed or moved)"
					case lineHash(prev, content) != hash:
						in.BrokenAt, in.Reason = n, "its content does not match its hash (the line was edited)"
					default:
						in.Sealed++
						in.Head = hash
					}
				}
			}
			if in.Sealed == 0 && in.OK() {
				prefix.Write(raw)
			}
		}
		if errors.Is(err, io.EOF) {
			return in, nil
		}
		if err != nil {
			return in, err
		}
	}
}

// loadHead finds where the chain continues, refusing a broken journal.
func (j *Journal) loadHead() error {
	in, err := VerifyJournal(j.path)
	if err != nil {
		return err
	}
	if !in.OK() {
		return fmt.Errorf("journal %s: line %d: %s: move the file aside to start a new journal (the chain keeps the truth: hedger report --rebuild): %w",
			j.path, in.BrokenAt, in.Reason, ErrJournalTampered)
	}
	j.head = in.Head
	if j.head == "" {
		// The first seal covers every older line.
		b, err := os.ReadFile(j.path)
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		sum := sha256.Sum256(b)
		j.head = hex.EncodeToString(sum[:])
	}
	return nil
}

// sealNext seals one marshaled entry as the chain's next line.
func (j *Journal) sealNext(obj []byte) ([]byte, string) { return seal(j.head, obj) }

// RecordEntry is a non-transaction line: Kind says what Body is.
type RecordEntry struct {
	Type    string          `json:"type"` // EntryRecord
	ID      string          `json:"id"`
	Time    time.Time       `json:"time"`
	ChainID uint64          `json:"chain_id,omitempty"`
	Account string          `json:"account,omitempty"`
	Kind    string          `json:"record_kind"`
	Body    json.RawMessage `json:"body"`
}

// AppendRecord writes a non-transaction record (a designation) into the
// journal's integrity chain, fsync'ed before it returns. chain/ does not
// interpret body.
func (j *Journal) AppendRecord(kind string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	line, err := json.Marshal(RecordEntry{Type: EntryRecord, ID: NewJournalID(), Time: time.Now().UTC(), ChainID: j.chainID,
		Account: j.account.Hex(), Kind: kind, Body: b})
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return j.appendLine(line)
}

// appendLine seals and writes one marshaled line under the lock.
func (j *Journal) appendLine(obj []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return fmt.Errorf("journal %s is closed", j.path)
	}
	b, head := j.sealNext(obj)
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: fsync: %w", j.path, err)
	}
	j.head = head
	return nil
}

// ReadRecords reads the journal's records of kind (all kinds when ""),
// oldest first, skipping other lines.
func ReadRecords(path, kind string) ([]RecordEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []RecordEntry
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if !bytes.Contains(line, []byte(`"type":"`+EntryRecord+`"`)) {
			continue
		}
		var e RecordEntry
		if json.Unmarshal(line, &e) != nil || e.Type != EntryRecord || (kind != "" && e.Kind != kind) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}
