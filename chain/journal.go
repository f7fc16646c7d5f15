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
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
)

// Journal line types, in the order an action goes through them.
const (
	EntryIntent  = "intent"  // what is about to be signed, and why
	EntrySigned  = "signed"  // the first signed transaction: hash, nonce, fees (before broadcast)
	EntryBumped  = "bumped"  // a replacement at the same nonce with higher fees (before broadcast)
	EntryOutcome = "outcome" // the final word; nothing follows it for this id
)

// Outcomes of an action.
const (
	OutcomeMined    = "mined"    // one of its transactions is in the chain and succeeded
	OutcomeReverted = "reverted" // mined, but execution reverted: fees were paid, nothing else happened
	OutcomeReplaced = "replaced" // the nonce was used by a transaction that is not one of ours
	OutcomeDropped  = "dropped"  // never mined and no longer known to the node
	OutcomeFailed   = "failed"   // never broadcast (signer refused, node rejected it)
)

// ActionMeta is the caller's description of what a transaction does. chain/
// does not interpret it: the fields are strings the caller fills in.
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
	Type    string    `json:"type"`
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	ChainID uint64    `json:"chain_id,omitempty"`
	Account string    `json:"account,omitempty"`

	// intent
	ActionMeta
	To string `json:"to,omitempty"`

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
}

// Journal is an open, locked journal file.
type Journal struct {
	path    string
	chainID uint64
	account common.Address
	mu      sync.Mutex
	f       *os.File
}

// JournalPath is the default location: <dataDir>/journal/<chainid>-<account>.jsonl.
func JournalPath(dataDir string, chainID uint64, account common.Address) string {
	return filepath.Join(dataDir, "journal", fmt.Sprintf("%d-%s.jsonl", chainID, account.Hex()))
}

// ErrJournalLocked is returned (wrapped) when another process holds the journal.
var ErrJournalLocked = errors.New("journal locked")

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
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
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
	return err
}

// NewJournalID returns a fresh action id.
func NewJournalID() string { return uuid.NewString() }

// Append writes e as one line and fsyncs it before returning.
func (j *Journal) Append(e JournalEntry) error {
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
	b = append(b, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return fmt.Errorf("journal %s is closed", j.path)
	}
	// One write on an O_APPEND file: the line lands whole or is torn at the end.
	if _, err := j.f.Write(b); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: fsync: %w", j.path, err)
	}
	return nil
}

// Entries reads the whole journal.
func (j *Journal) Entries() ([]JournalEntry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	entries, _, err := ReadJournal(j.path)
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
			} else {
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

// GroupJournal groups entries by action id, in the order actions began.
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
			if r.Outcome == nil { // the first outcome is final
				o := e
				r.Outcome = &o
			}
		}
	}
	return out
}
