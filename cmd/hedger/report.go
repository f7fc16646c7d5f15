package main

// hedger report: the margin account's record for a period, from the
// venue's events and state on chain (the journal says which transactions
// to read; --rebuild finds them from the chain's logs alone).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/gmxvenue"
	"github.com/hedger/hedger/hedge/perpvenue"
	"github.com/hedger/hedger/hedge/record"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "the margin account's record for a period: events, realized and unrealized PnL, funding, fees, gas, reconciliation",
		Description: "--year YYYY, or --since/--until as dates (YYYY-MM-DD, UTC; --until is inclusive), RFC 3339 times or block numbers.\n" +
			"Amounts come from the venue's events and state at the blocks concerned; the journal names the transactions,\n" +
			"--rebuild finds them from the chain's logs alone. Formats: a table, --json, --csv, --html, --koinly.\n" +
			"It records; it is not tax advice.",
		Flags: append(connFlags(), fromFlag, journalFlag,
			&cli.IntFlag{Name: "year", Usage: "calendar year (UTC)"},
			&cli.StringFlag{Name: "since", Usage: "start: date, RFC 3339 time or block number"},
			&cli.StringFlag{Name: "until", Usage: "end (inclusive): date, RFC 3339 time or block number"},
			&cli.BoolFlag{Name: "rebuild", Usage: "read the account's transactions from chain logs, not from the journal"},
			&cli.BoolFlag{Name: "csv", Usage: "one row per event (columns in the README)"},
			&cli.BoolFlag{Name: "html", Usage: "a self-contained printable HTML report"},
			&cli.BoolFlag{Name: "koinly", Usage: "Koinly universal CSV (mapping in the README)"}),
		Action: runReport,
	}
}

func runReport(c *cli.Context) error {
	formats := 0
	for _, f := range []string{"json", "csv", "html", "koinly"} {
		if c.Bool(f) {
			formats++
		}
	}
	if formats > 1 {
		return errors.New("choose one of --json, --csv, --html and --koinly")
	}
	if c.String("from") == "" {
		return errors.New("which margin account? pass --from ADDRESS")
	}
	from, err := parseAddress("--from", c.String("from"))
	if err != nil {
		return err
	}
	year := c.Int("year")
	if year != 0 && (c.IsSet("since") || c.IsSet("until")) {
		return errors.New("choose --year or --since/--until, not both")
	}
	if year == 0 && !c.IsSet("since") && !c.IsSet("until") {
		return errors.New("which period? pass --year YYYY or --since/--until")
	}
	if year != 0 && (year < 1970 || year > 9999) {
		return fmt.Errorf("--year %d: not a year", year)
	}
	since, err := parseBound("--since", c.String("since"), false)
	if err != nil {
		return err
	}
	until, err := parseBound("--until", c.String("until"), true)
	if err != nil {
		return err
	}
	s, err := open(c, openOpts{needBook: true})
	if err != nil {
		return err
	}
	defer s.close()
	ctx := c.Context
	src, err := s.recordSource(ctx, from)
	if err != nil {
		return err
	}
	head, err := s.client.Head(ctx)
	if err != nil {
		return err
	}
	hn := head.Number.Uint64()
	p := record.Period{}
	if year != 0 {
		since = bound{time: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), set: true}
		until = bound{time: time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC), set: true, exclusive: true}
		p.Label = strconv.Itoa(year)
	}
	if p.From, err = resolveBound(c, src, since, hn, true); err != nil {
		return err
	}
	if p.To, err = resolveBound(c, src, until, hn, false); err != nil {
		return err
	}
	if p.To > hn {
		p.To = hn
		if p.Label != "" {
			p.Label += fmt.Sprintf(" (to date: block %d, the head)", hn)
		}
	}
	if p.From > p.To {
		return fmt.Errorf("the period holds no block (from block %d to block %d; head %d)", p.From, p.To, hn)
	}
	if p.FromTime, err = src.BlockTime(ctx, p.From); err != nil {
		return err
	}
	if p.ToTime, err = src.BlockTime(ctx, p.To); err != nil {
		return err
	}
	if p.Label == "" {
		p.Label = fmt.Sprintf("%s to %s", p.FromTime.Format("2006-01-02"), p.ToTime.Format("2006-01-02"))
	}
	var start record.State
	if p.From > 0 {
		if start, err = src.State(ctx, p.From-1); err != nil {
			return err
		}
	}
	end, err := src.State(ctx, p.To)
	if err != nil {
		return err
	}

	var hashes []common.Hash
	var mismatches []string
	source := "journal (transactions it lists), amounts from the chain"
	integrity := ""
	var designations []record.Designation
	outcomes := map[string]*chain.JournalEntry{} // mined hash -> the journal's current outcome
	path := s.journalPath
	if path == "" {
		path = chain.JournalPath(c.String("data-dir"), s.client.ChainID.Uint64(), from)
	}
	if c.Bool("rebuild") {
		source = "chain logs alone (--rebuild)"
		if hashes, err = src.TxsInRange(ctx, p.From, p.To); err != nil {
			return err
		}
	} else {
		entries, _, err := chain.ReadJournalFor(path, s.client.ChainID.Uint64(), from)
		if err != nil {
			return fmt.Errorf("%w (or pass --rebuild to read the chain alone)", err)
		}
		for _, r := range chain.GroupJournal(entries) {
			if o := r.Outcome; o != nil && (o.Outcome == chain.OutcomeMined || o.Outcome == chain.OutcomeReverted) && o.MinedHash != "" {
				hashes = append(hashes, common.HexToHash(o.MinedHash))
				outcomes[common.HexToHash(o.MinedHash).Hex()] = o
			}
		}
		if hashes, err = src.fromJournal(ctx, hashes, p.From, p.To); err != nil {
			return err
		}
		integrity = journalIntegrity(path)
	}
	if ds, err := readDesignations(path, s.client.ChainID.Uint64(), from); err == nil {
		for _, d := range ds {
			if d.Block >= p.From && d.Block <= p.To {
				designations = append(designations, d)
			}
		}
	}
	events, missing, err := src.Events(ctx, hashes, p.From, p.To)
	if err != nil {
		return err
	}
	for _, h := range missing {
		mismatches = append(mismatches, fmt.Sprintf("the journal lists %s as mined, but the chain has no such transaction (reorged out?)", h.Hex()))
	}
	events, moved := markMoved(events, outcomes)
	mismatches = append(mismatches, moved...)
	r := record.Build(src, p, start, end, events)
	r.Account, r.ChainID, r.Source, r.Integrity, r.NativeAsset = from.Hex(), s.client.ChainID.Uint64(), source, integrity, s.nativeAsset()
	r.Mismatches = append(mismatches, r.Mismatches...)
	r.Designations = append(r.Designations, designations...)
	switch {
	case c.Bool("json"):
		return printJSON(r)
	case c.Bool("csv"):
		return record.WriteCSV(os.Stdout, r)
	case c.Bool("koinly"):
		return record.WriteKoinly(os.Stdout, r)
	case c.Bool("html"):
		return record.WriteHTML(os.Stdout, r)
	}
	printReport(os.Stdout, r, len(designations))
	return nil
}

// recordSource is a venue's record source as the report uses it: the
// record's Source plus finding the account's transactions and decoding
// them (PerpVenue's in hedge/perpvenue, GMX's in hedge/gmxvenue).
type recordSource interface {
	record.Source
	BlockTime(ctx context.Context, n uint64) (time.Time, error)
	FirstBlockAtOrAfter(ctx context.Context, t time.Time, head uint64) (uint64, error)
	TxsInRange(ctx context.Context, from, to uint64) ([]common.Hash, error)
	Events(ctx context.Context, hashes []common.Hash, from, to uint64) ([]record.Event, []common.Hash, error)
	// fromJournal adds to the journal's transactions those the account did
	// not send but the record needs (liquidations; GMX's executions).
	fromJournal(ctx context.Context, hashes []common.Hash, from, to uint64) ([]common.Hash, error)
}

type perpRecord struct{ *perpvenue.RecordSource }

func (p perpRecord) fromJournal(ctx context.Context, hashes []common.Hash, from, to uint64) ([]common.Hash, error) {
	liq, err := p.Liquidations(ctx, from, to)
	return append(hashes, liq...), err
}

type gmxRecord struct{ *gmxvenue.RecordSource }

func (g gmxRecord) fromJournal(ctx context.Context, hashes []common.Hash, _, to uint64) ([]common.Hash, error) {
	return g.ExecutionsOf(ctx, hashes, to)
}

// recordSource is the session's venue's record source for account.
func (s *session) recordSource(ctx context.Context, account common.Address) (recordSource, error) {
	if s.gmx != nil {
		if err := s.gmx.Client.Discover(ctx); err != nil {
			return nil, err
		}
		return gmxRecord{gmxvenue.NewRecordSource(s.gmx.Client, account)}, nil
	}
	return perpRecord{perpvenue.NewRecordSource(s.client, s.book, account)}, nil
}

// nativeAsset is the chain's native coin as the record names it.
func (s *session) nativeAsset() string {
	if s.gmx != nil {
		return strings.TrimPrefix(s.gmxBook.Native.Symbol, "W") // execution fees are paid in the native coin it wraps
	}
	return s.book.NativeAsset
}

// markMoved marks the events of transactions a reorg moved to another
// block (the journal's outcome says so, or still names the old block):
// each is reported once, where the chain has it now. Events a keeper
// carried out for a moved transaction (GMX's executions of a moved order,
// Event.OrderTx) are marked too: the order was executed again in the new
// branch. A journal that still names the old block (no sending run has
// reconciled it since) is listed.
func markMoved(events []record.Event, outcomes map[string]*chain.JournalEntry) ([]record.Event, []string) {
	var stale []string
	moved := map[string]string{} // tx -> why
	for i := range events {
		e := &events[i]
		o := outcomes[e.Tx]
		if o == nil || moved[e.Tx] != "" {
			continue
		}
		movedNote := strings.HasPrefix(o.Note, "moved by a reorg")
		if o.Block == e.Block && !movedNote {
			continue
		}
		why := "corrected: a reorg moved this transaction"
		if movedNote {
			why += " (journal: " + o.Note + ")"
		}
		moved[e.Tx] = why
		if o.Block != e.Block {
			stale = append(stale, fmt.Sprintf("the journal records %s in block %d, the chain has it in block %d (a reorg moved it; the next sending run corrects the journal)",
				e.Tx, o.Block, e.Block))
		}
	}
	for i := range events {
		e := &events[i]
		why := moved[e.Tx]
		if why == "" && moved[e.OrderTx] != "" {
			why = "corrected: a reorg moved the order's transaction " + e.OrderTx + " and it was executed again"
		}
		if why == "" {
			continue
		}
		e.Corrected = true
		why += fmt.Sprintf("; reported at block %d, where the chain has it", e.Block)
		if e.Note != "" {
			why = e.Note + "; " + why
		}
		e.Note = why
	}
	return events, stale
}

// bound is one edge of a period as given.
type bound struct {
	set       bool
	block     *uint64
	time      time.Time
	exclusive bool // time is the first instant after the period
}

// parseBound reads a date (an --until date is inclusive: its whole day),
// an RFC 3339 time or a block number.
func parseBound(flag, v string, end bool) (bound, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return bound{}, nil
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return bound{set: true, block: &n}, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		if end {
			return bound{set: true, time: t.AddDate(0, 0, 1), exclusive: true}, nil
		}
		return bound{set: true, time: t}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return bound{set: true, time: t.UTC()}, nil
	}
	return bound{}, fmt.Errorf("%s %q: want a date YYYY-MM-DD, an RFC 3339 time or a block number", flag, v)
}

// resolveBound turns a bound into a block: the first block at or after a
// start time; the last block before an exclusive end time (at or before
// an inclusive one).
func resolveBound(c *cli.Context, src recordSource, b bound, head uint64, start bool) (uint64, error) {
	switch {
	case !b.set && start:
		return 0, nil
	case !b.set:
		return head, nil
	case b.block != nil:
		return *b.block, nil
	}
	t := b.time
	if !start && !b.exclusive {
		t = t.Add(time.Second)
	}
	n, err := src.FirstBlockAtOrAfter(c.Context, t, head)
	if err != nil {
		return 0, err
	}
	if start {
		return n, nil
	}
	if n == 0 {
		return 0, fmt.Errorf("the period ends before the chain's first block")
	}
	return n - 1, nil
}

func printReport(w io.Writer, r *record.Report, nd int) {
	fmt.Fprintf(w, "hedge record %s for %s on chain %d (%s)\n", r.Period.Label, r.Account, r.ChainID, r.Venue)
	fmt.Fprintf(w, "period: %s to %s UTC, blocks %d..%d; source: %s\n", r.Period.FromTime.Format(time.DateTime),
		r.Period.ToTime.Format(time.DateTime), r.Period.FromBlock, r.Period.ToBlock, r.Source)
	if r.Integrity != "" {
		fmt.Fprintf(w, "journal integrity: %s\n", r.Integrity)
	}
	fmt.Fprintf(w, "designations in the period: %d (hedger designations)\n\n", nd)
	t := newTable(w)
	fmt.Fprintln(t, "TIME (UTC)\tBLOCK\tKIND\tASSET\tSIZE\tFILL\tREALIZED\tFUNDING/AMOUNT\tFEE\tGAS USD\tTX")
	for _, e := range r.Events {
		kind := e.Kind
		if e.Token != "" {
			kind += " (" + e.Token + ")" // paid in that token; the amount column is its USD worth
		}
		fmt.Fprintf(t, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.Format(time.DateTime), e.Block, kind, dash(e.Asset),
			dash(dz(e.SizeDelta.String())), dash(dz(e.FillPrice.String())), dash(dz(e.RealizedPnL.StringFixed(2))),
			dash(dz(e.Amount.StringFixed(2))), dash(dz(e.Fee.StringFixed(2))), dash(dz(e.GasUSD.StringFixed(4))), shortHash(e.Tx))
	}
	t.Flush()
	if len(r.OpenPositions) > 0 {
		fmt.Fprintf(w, "\nopen at block %d, marked at the feed price:\n", r.Period.ToBlock)
		t = newTable(w)
		fmt.Fprintln(t, "ASSET\tSIZE\tAVG ENTRY\tMARK\tUNREALIZED\tACCRUED FUNDING")
		for _, p := range r.OpenPositions {
			fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Asset, p.Size, p.AverageEntry.StringFixed(4), p.MarkPrice, p.UnrealizedPnL.StringFixed(2),
				p.AccruedFunding.StringFixed(2))
		}
		t.Flush()
	}
	fmt.Fprintln(w, "\ntotals (USD; funding + received, − paid; fees and gas paid):")
	t = newTable(w)
	fmt.Fprintln(t, "ASSET\tTRADES\tREALIZED\tFUNDING\tFEES\tGAS\tUNREALIZED\tNET")
	all := r.Totals
	all.Asset = "all"
	for _, a := range append(append([]record.Totals{}, r.PerAsset...), all) {
		name := a.Asset
		if name == "" {
			name = "(account)" // gas of approvals: no market
		}
		fmt.Fprintf(t, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", name, a.Trades, a.RealizedPnL.StringFixed(2), a.Funding.StringFixed(2),
			a.Fees.StringFixed(2), a.Gas.StringFixed(4), a.UnrealizedPnL.StringFixed(2), a.Net.StringFixed(2))
	}
	t.Flush()
	fmt.Fprintf(w, "\n%s\n", r.Reconciliation.Statement)
	for _, m := range r.Mismatches {
		fmt.Fprintf(w, "CHECK FAILED: %s\n", m)
	}
	fmt.Fprintln(w, "\nThis report records what happened on chain; it is not tax advice (rules differ by jurisdiction).")
}

func dz(s string) string {
	if strings.Trim(s, "0.-") == "" {
		return ""
	}
	return s
}

func shortHash(h string) string {
	if len(h) > 14 {
		return h[:10] + "…"
	}
	return h
}

// demoRecord is the demo account's record from block from to the head,
// rebuilt from chain logs (the demo keeps no journal).
func demoRecord(ctx context.Context, s *session, from uint64) (*record.Report, error) {
	account := s.signer.Address()
	return rebuildToHead(ctx, perpRecord{perpvenue.NewRecordSource(s.client, s.book, account)}, s.client, account, from, s.book.NativeAsset)
}

// rebuildToHead is an account's record over blocks [from, head] from chain
// logs alone, as `hedger report --rebuild` reads it: what both demos
// report, whatever the venue.
func rebuildToHead(ctx context.Context, src recordSource, c *chain.Client, account common.Address, from uint64, native string) (*record.Report, error) {
	head, err := c.Head(ctx)
	if err != nil {
		return nil, err
	}
	p := record.Period{From: from, To: head.Number.Uint64(), Label: "the demo"}
	if p.FromTime, err = src.BlockTime(ctx, p.From); err != nil {
		return nil, err
	}
	if p.ToTime, err = src.BlockTime(ctx, p.To); err != nil {
		return nil, err
	}
	var start record.State
	if p.From > 0 {
		if start, err = src.State(ctx, p.From-1); err != nil {
			return nil, err
		}
	}
	end, err := src.State(ctx, p.To)
	if err != nil {
		return nil, err
	}
	hashes, err := src.TxsInRange(ctx, p.From, p.To)
	if err != nil {
		return nil, err
	}
	events, _, err := src.Events(ctx, hashes, p.From, p.To)
	if err != nil {
		return nil, err
	}
	r := record.Build(src, p, start, end, events)
	r.Account, r.ChainID, r.Source, r.NativeAsset = account.Hex(), c.ChainID.Uint64(), "chain logs alone (--rebuild)", native
	return r, nil
}
