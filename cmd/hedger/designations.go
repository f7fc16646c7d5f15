package main

// Designations of hedging intent: written into the journal's integrity
// chain before a cycle that opens or materially changes a hedge sends
// anything (engine.Engine.Designate), and listed by `hedger designations`.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge"
	"github.com/hedger/hedger/hedge/engine"
	"github.com/hedger/hedger/hedge/gmxvenue"
	"github.com/hedger/hedger/hedge/record"
)

// designator records the designations a cycle's plan needs, in the
// session's journal, before its first step is sent.
func (s *session) designator(pol hedge.Policies) func(context.Context, *engine.Cycle) error {
	if s.journal == nil || s.signer == nil || (s.book == nil && s.gmx == nil) {
		return nil
	}
	return func(_ context.Context, c *engine.Cycle) error {
		prev, err := readDesignations(s.journal.Path(), s.client.ChainID.Uint64(), s.signer.Address())
		if err != nil {
			return err
		}
		venue := ""
		if s.gmx != nil {
			venue = gmxvenue.RecordVenue(s.gmxBook)
		} else {
			venue = "PerpVenue at " + s.book.Venue.Hex()
		}
		for _, d := range record.Designate(c.Snap, c.Plan, pol, venue, s.signer.Address().Hex(), record.Latest(prev)) {
			if err := s.journal.AppendRecord(record.DesignationKind, d); err != nil {
				return err
			}
			if !s.json { // stdout, with the plan: stderr is kept for one-line errors
				say("designation (%s): %s", d.Reason, d.Objective)
			}
		}
		return nil
	}
}

// readDesignations reads the designations of chainID and account, oldest
// first; a journal not yet written has none.
func readDesignations(path string, chainID uint64, account common.Address) ([]record.Designation, error) {
	rs, err := chain.ReadRecords(path, record.DesignationKind)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []record.Designation
	for _, r := range rs {
		if (r.ChainID != 0 && r.ChainID != chainID) || (r.Account != "" && !common.IsHexAddress(r.Account)) ||
			(r.Account != "" && common.HexToAddress(r.Account) != account) {
			continue
		}
		var d record.Designation
		if err := json.Unmarshal(r.Body, &d); err != nil {
			return nil, fmt.Errorf("journal %s: designation %s: %w", path, r.ID, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// journalIntegrity is the integrity chain's state of the journal at path,
// in one line.
func journalIntegrity(path string) string {
	in, err := chain.VerifyJournal(path)
	if err != nil {
		return "unreadable: " + oneLine(err)
	}
	return in.String()
}

func designationsCommand() *cli.Command {
	return &cli.Command{
		Name:  "designations",
		Usage: "list the designations of hedging intent recorded in the journal (--json)",
		Description: "Each designation was written, before sending, when a hedge was first opened on an asset or the hedged\n" +
			"holdings, the hedge ratio or the instrument changed materially. Needs no node.",
		Flags: []cli.Flag{dataDirFlag, jsonFlag, fromFlag, journalFlag,
			&cli.Uint64Flag{Name: "chain-id", Usage: "chain of the journal to read", EnvVars: []string{"HEDGER_CHAIN_ID"}}},
		Action: func(c *cli.Context) error {
			path, err := journalPathFrom(c)
			if err != nil {
				return err
			}
			rs, err := chain.ReadRecords(path, record.DesignationKind)
			if err != nil {
				return err
			}
			ds := []record.Designation{}
			for _, r := range rs {
				var d record.Designation
				if err := json.Unmarshal(r.Body, &d); err != nil {
					return fmt.Errorf("journal %s: designation %s: %w", path, r.ID, err)
				}
				ds = append(ds, d)
			}
			if in, err := chain.VerifyJournal(path); err == nil && !in.OK() {
				fmt.Fprintf(os.Stderr, "warning: journal integrity %s\n", in)
			}
			if c.Bool("json") {
				return printJSON(ds)
			}
			w := newTable(os.Stdout)
			fmt.Fprintln(w, "TIME (UTC)\tBLOCK\tASSET\tSTATUS\tSHORT\tRATIO\tREASON\tOBJECTIVE")
			for _, d := range ds {
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Time.UTC().Format(time.DateTime), d.Block, d.Asset, d.Status,
					d.ShortSize, d.HedgeRatio, d.Reason, d.Objective)
			}
			return w.Flush()
		},
	}
}

// verifyJournalCommand is `hedger journal --verify`.
func verifyJournalCommand(c *cli.Context) error {
	path, err := journalPathFrom(c)
	if err != nil {
		return err
	}
	in, err := chain.VerifyJournal(path)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if err := printJSON(map[string]any{"path": path, "ok": in.OK(), "lines": in.Lines, "sealed": in.Sealed,
			"legacy": in.Legacy, "torn": in.Torn, "head": in.Head, "broken_at_line": in.BrokenAt, "reason": in.Reason}); err != nil {
			return err
		}
	} else if in.OK() {
		fmt.Printf("journal %s: %s\n", path, in)
	}
	if !in.OK() {
		return fmt.Errorf("journal %s: integrity chain broken at line %d: %s", path, in.BrokenAt, in.Reason)
	}
	return nil
}
