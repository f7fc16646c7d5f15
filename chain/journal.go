package chain

// The journal: an append-only JSON-lines record of every transaction the
// manager sends, one file per (chain, account). Each state change is a new
// line, written and fsync'ed before the step it describes can have an effect
// on chain, so a crash at any point leaves a file that says what may have
// happened. It holds no secret and no raw signed transaction: only hashes,
// nonces, fees and the caller's description of the action.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
)

// Journal line types, in the order an action goes through them.
const (
	EntryIntent = "intent" // what is about to be signed, and why
	EntrySigned = "signed" // the first signed transaction: hash, nonce, fees (before broadcast)
	EntryBumped = "bumped" // a replacement at the same nonce with higher fees (before broadcast)
	// EntryOutcome is what became of the action. Normally the last line of
	// its id; a later run may append a corrected one (a reorg moved or
	// removed the block recorded): the LAST outcome line of an id is current.
	EntryOutcome = "outcome"
)

// Outcomes of an action.
const (
	OutcomeMined    = "mined"    // one of its transactions is in the chain and succeeded
	OutcomeReverted = "reverted" // mined, but execution reverted: fees were paid, nothing else happened
	OutcomeReplaced = "replaced" // the nonce was used by a transaction that is not one of ours
	OutcomeDropped  = "dropped"  // never mined and no longer known to the node
	OutcomeFailed   = "failed"   // never broadcast (signer refused, node rejected it)
)

// JournalVersion is the format of the lines Append writes. Version 0 (no
// "v" key) kept the caller's metadata as flat keys of the intent line;
// version 1 keeps it opaque under "action". Both load; a later version's
// lines load too, their unknown keys ignored.
const JournalVersion = 1

// ActionMeta is the shape of the metadata hedger's venue adapter stores
// (and of a version-0 journal's flat keys), decoded on read for the
// readers that want it. chain/ never interprets it: what is written is
// whatever TxRequest.Action holds.
type ActionMeta struct {
	Kind        string `json:"kind,omitempty"`        // e.g. trade, deposit, approve
	Intent      string `json:"intent,omitempty"`      // why: hedge, rebalance, close, ...
	Market      string `json:"market,omitempty"`      // market or asset
	Size        string `json:"size,omitempty"`        // signed size (trades)
	Price       string `json:"price,omitempty"`       // acceptable price (trades)
	Notional    string `json:"notional,omitempty"`    // |size| × price, or the amount moved
	Description string `json:"description,omitempty"` // one line a person can read
}

// JournalEntry is one line of the journal. Which fields are set depends on
// Type; amounts in wei are decimal strings so no precision is lost.
type JournalEntry struct {
	V       int       `json:"v,omitempty"` // JournalVersion of the line; 0 before versions
	Type    string    `json:"type"`
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	ChainID uint64    `json:"chain_id,omitempty"`
	Account string    `json:"account,omitempty"`

	// intent
	Action json.RawMessage `json:"action,omitempty"` // the caller's TxRequest.Action, as written
	// ActionMeta is Action decoded as ActionMeta on read (from the flat
	// keys of a version-0 line); never written itself.
	ActionMeta `json:"-"`
	To         string `json:"to,omitempty"`

	// signed, bumped
	Hash      string  `json:"hash,omitempty"`
	Nonce     *uint64 `json:"nonce,omitempty"`
	Gas       uint64  `json:"gas,omitempty"`
	TipCapWei string  `json:"tip_cap_wei,omitempty"`
	FeeCapWei string  `json:"fee_cap_wei,omitempty"`
	GasPrice  string  `json:"gas_price_wei,omitempty"` // legacy transactions

	// outcome
	Outcome           string `json:"outcome,omitempty"`
	MinedHash         string `json:"mined_hash,omitempty"` // which of the hashes made it
	Block             uint64 `json:"block,omitempty"`
	BlockHash         string `json:"block_hash,omitempty"`
	GasUsed           uint64 `json:"gas_used,omitempty"`
	EffectiveGasPrice string `json:"effective_gas_price_wei,omitempty"`
	FeePaidWei        string `json:"fee_paid_wei,omitempty"`
	FillPrice         string `json:"fill_price,omitempty"` // trades, when the caller decodes it
	TradeFee          string `json:"trade_fee,omitempty"`  // venue fee of a trade, in collateral units
	Error             string `json:"error,omitempty"`
	ResolvedBy        string `json:"resolved_by,omitempty"` // "reconcile" when settled by a later run
	// HeadBlock is the head of the chain when a "did not happen" outcome
	// (replaced, dropped) was concluded: a plan read from a state older
	// than it may not show what really happened at our nonce.
	HeadBlock uint64 `json:"head_block,omitempty"`
	Note      string `json:"note,omitempty"` // e.g. "moved by a reorg", "reorged out"
	// AnchorBlock/AnchorHash are the head a signed transaction was built
	// on. A later run that finds another hash at that height knows the
	// entry belongs to another chain (a reorg, or a dev chain restarted
	// under the same chain ID), even when every block it names is above
	// the new head.
	AnchorBlock uint64 `json:"anchor_block,omitempty"`
	AnchorHash  string `json:"anchor_hash,omitempty"`
}

// UnmarshalJSON reads a line of any version: the caller's metadata is kept
// as written in Action and also decoded into ActionMeta where it has that
// shape (a version-0 line's flat keys become its Action).
func (e *JournalEntry) UnmarshalJSON(b []byte) error {
	type plain JournalEntry // no methods: no recursion
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = JournalEntry(p)
	src := []byte(e.Action)
	if e.V == 0 {
		src = b
	}
	if len(src) > 0 {
		_ = json.Unmarshal(src, &e.ActionMeta) // metadata of another shape stays in Action only
	}
	if e.V == 0 && e.Type == EntryIntent && e.ActionMeta != (ActionMeta{}) {
		e.Action, _ = json.Marshal(e.ActionMeta)
	}
	return nil
}

// Journal is an open, locked journal file.
type Journal struct {
	path    string
	chainID uint64
	account common.Address
	mu      sync.Mutex
	f       *os.File
	lock    *os.File // the per-account lock file (OpenAccountJournal), or nil
	head    string   // seal of the last line (journal_integrity.go)
}

// JournalPath is the default location: <dataDir>/journal/<chainid>-<account>.jsonl.
func JournalPath(dataDir string, chainID uint64, account common.Address) string {
	return filepath.Join(dataDir, "journal", fmt.Sprintf("%d-%s.jsonl", chainID, account.Hex()))
}

// AccountLockPath is the fixed per-account lock file:
// <dataDir>/journal/<chainid>-<account>.lock. It is taken whatever journal
// file is used (--journal, HEDGER_JOURNAL), so two hedgers with different
// journal files still cannot run on one account.
func AccountLockPath(dataDir string, chainID uint64, account common.Address) string {
	return filepath.Join(dataDir, "journal", fmt.Sprintf("%d-%s.lock", chainID, account.Hex()))
}

// ErrJournalLocked is returned (wrapped) when another process holds the
// journal or the account.
var ErrJournalLocked = errors.New("journal locked")

// errLockHeld is lockFD's answer when another process holds the lock.
var errLockHeld = errors.New("lock held by another process")

// ErrJournalForeign is returned (wrapped) when a journal file holds entries
// of another chain or account.
var ErrJournalForeign = errors.New("journal of another account")

// OpenAccountJournal opens the journal at path (the default path when "")
// like OpenJournal, and also takes the account's fixed lock file
// AccountLockPath(dataDir, ...) for the life of the process, so a second
// hedger on the same account is refused even when it writes another
// journal file.
//
// Limit: the lock lives under dataDir, so two processes given different
// --data-dir (HEDGER_DATA_DIR) values are not kept apart by it; with the
// default journal path they also use different journal files. Keeping one
// data dir per machine is the user's part; nonces still cannot collide
// silently (the node refuses a reused nonce, and the manager settles it
// from receipts), but plans could double.
func OpenAccountJournal(dataDir, path string, chainID uint64, account common.Address) (*Journal, error) {
	if path == "" {
		path = JournalPath(dataDir, chainID, account)
	}
	// The journal file first: with the default path a second hedger gets the
	// journal's own error; with another path it gets the account's.
	j, err := OpenJournal(path, chainID, account)
	if err != nil {
		return nil, err
	}
	lp := AccountLockPath(dataDir, chainID, account)
	lf, err := lockFile(lp)
	if err != nil {
		j.Close()
		if errors.Is(err, errLockHeld) {
			pid := "unknown"
			if b, rerr := os.ReadFile(lp); rerr == nil && strings.TrimSpace(string(b)) != "" {
				pid = strings.TrimSpace(string(b))
			}
			return nil, fmt.Errorf("account %s on chain %d is in use by another hedger process (pid %s; lock %s): %w",
				account.Hex(), chainID, pid, lp, ErrJournalLocked)
		}
		return nil, fmt.Errorf("account lock %s: %w", lp, err)
	}
	// The pid, for the error above; written only while holding the lock.
	if err := lf.Truncate(0); err == nil {
		_, _ = lf.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	j.lock = lf
	return j, nil
}

// lockFile opens (creating) path and takes an exclusive, non-blocking flock.
func lockFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFD(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// belongs reports whether e is an entry of chainID and account (entries
// written without them, by older versions, are taken as the file's own).
func belongs(e JournalEntry, chainID uint64, account common.Address) bool {
	return (e.ChainID == 0 || e.ChainID == chainID) &&
		(e.Account == "" || strings.EqualFold(e.Account, account.Hex()))
}

// FilterJournal keeps the entries of chainID and account: a file shared by
// mistake between chains or accounts must not mix their actions.
func FilterJournal(entries []JournalEntry, chainID uint64, account common.Address) []JournalEntry {
	var out []JournalEntry
	for _, e := range entries {
		if belongs(e, chainID, account) {
			out = append(out, e)
		}
	}
	return out
}

// ReadJournalFor is ReadJournal keeping only chainID's and account's entries.
func ReadJournalFor(path string, chainID uint64, account common.Address) ([]JournalEntry, int, error) {
	es, skipped, err := ReadJournal(path)
	return FilterJournal(es, chainID, account), skipped, err
}

// OpenJournal opens (creating) the journal at path and locks it for the life
// of the process: a second hedger on the same account is refused, because
// two processes picking nonces and plans for one account would double trades.
func OpenJournal(path string, chainID uint64, account common.Address) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := lockFD(f); err != nil {
		f.Close()
		if errors.Is(err, errLockHeld) {
			pid := "unknown"
			if b, rerr := os.ReadFile(path + ".pid"); rerr == nil && strings.TrimSpace(string(b)) != "" {
				pid = strings.TrimSpace(string(b))
			}
			return nil, fmt.Errorf("journal %s is locked by another hedger process (pid %s): %w", path, pid, ErrJournalLocked)
		}
		return nil, fmt.Errorf("journal %s: locking: %w", path, err)
	}
	// The pid is only informational (for the error above); the lock is the truth.
	_ = os.WriteFile(path+".pid", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	j := &Journal{path: path, chainID: chainID, account: account, f: f}
	// One file, one account: a file holding another chain's or account's
	// entries (HEDGER_JOURNAL pointed at one file for two) is refused.
	if es, _, err := ReadJournal(path); err == nil {
		for _, e := range es {
			if !belongs(e, chainID, account) {
				j.Close()
				return nil, fmt.Errorf("journal %s holds entries of chain %d account %s, not of chain %d account %s: use one journal file per account and chain: %w",
					path, e.ChainID, e.Account, chainID, account.Hex(), ErrJournalForeign)
			}
		}
	}
	// A crash mid-write can leave a torn last line without its newline:
	// terminate it so the next entry starts on a line of its own.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte("\n")); err != nil {
				j.Close()
				return nil, fmt.Errorf("journal %s: %w", path, err)
			}
		}
	}
	if err := j.loadHead(); err != nil {
		j.Close()
		return nil, err
	}
	return j, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close releases the lock.
func (j *Journal) Close() error {
	if j == nil || j.f == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = os.Remove(j.path + ".pid")
	err := j.f.Close() // closing the descriptor releases the flock
	j.f = nil
	if j.lock != nil {
		_ = j.lock.Truncate(0)
		j.lock.Close() // the file stays: removing it would race a new holder
		j.lock = nil
	}
	return err
}

// NewJournalID returns a fresh action id.
func NewJournalID() string { return uuid.NewString() }

// Append writes e as one line and fsyncs it before returning.
func (j *Journal) Append(e JournalEntry) error {
	e.V = JournalVersion
	if len(e.Action) == 0 && e.ActionMeta != (ActionMeta{}) {
		e.Action, _ = json.Marshal(e.ActionMeta) // strings only: cannot fail
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if e.ChainID == 0 {
		e.ChainID = j.chainID
	}
	if e.Account == "" {
		e.Account = j.account.Hex()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	// Sealed into the integrity chain (journal_integrity.go), one write on
	// an O_APPEND file: the line lands whole or is torn at the end.
	return j.appendLine(b)
}

// Entries reads the journal's entries of its chain and account.
func (j *Journal) Entries() ([]JournalEntry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	entries, _, err := ReadJournalFor(j.path, j.chainID, j.account)
	return entries, err
}

// Records reads the journal grouped by action.
func (j *Journal) Records() ([]JournalRecord, error) {
	e, err := j.Entries()
	if err != nil {
		return nil, err
	}
	return GroupJournal(e), nil
}

// ReadJournal reads a journal file without locking it (the `journal`
// command reads one a running hedger holds). Lines that do not parse, such
// as a line torn by a crash mid-write, are skipped and counted.
func ReadJournal(path string) ([]JournalEntry, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	var out []JournalEntry
	skipped := 0
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var e JournalEntry
			if jerr := json.Unmarshal(line, &e); jerr != nil || e.Type == "" || e.ID == "" {
				skipped++
			} else if e.Type != EntryRecord { // a record is not an action: ReadRecords
				out = append(out, e)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	return out, skipped, nil
}

// JournalRecord is one action: its intent, every signed attempt (the first
// and each bump) and, once known, its outcome.
type JournalRecord struct {
	ID       string
	Intent   JournalEntry
	Attempts []JournalEntry
	Outcome  *JournalEntry
}

// Live reports whether the action has no outcome yet.
func (r JournalRecord) Live() bool { return r.Outcome == nil }

// Nonce is the nonce of the signed attempts, if any was signed.
func (r JournalRecord) Nonce() (uint64, bool) {
	for _, a := range r.Attempts {
		if a.Nonce != nil {
			return *a.Nonce, true
		}
	}
	return 0, false
}

// Hashes are the hashes of every signed attempt, oldest first.
func (r JournalRecord) Hashes() []common.Hash {
	var out []common.Hash
	for _, a := range r.Attempts {
		if a.Hash != "" {
			out = append(out, common.HexToHash(a.Hash))
		}
	}
	return out
}

// GroupJournal groups entries by action id, in the order actions began. The
// last outcome line of an id is its current outcome (a later run may correct
// one after a reorg).
func GroupJournal(entries []JournalEntry) []JournalRecord {
	idx := map[string]int{}
	var out []JournalRecord
	for _, e := range entries {
		i, ok := idx[e.ID]
		if !ok {
			i = len(out)
			idx[e.ID] = i
			out = append(out, JournalRecord{ID: e.ID})
		}
		r := &out[i]
		switch e.Type {
		case EntryIntent:
			r.Intent = e
		case EntrySigned, EntryBumped:
			r.Attempts = append(r.Attempts, e)
		case EntryOutcome:
			o := e // the last outcome is current
			r.Outcome = &o
		}
	}
	return out
}
