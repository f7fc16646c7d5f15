package main

// hedger journal: the record of every transaction sent for an account, as a
// table, JSON, or CSV for a tax adviser. It reads the file without locking
// it, so it works beside a running `watch`.

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/hedger/hedger/chain"
)

func journalCommand() *cli.Command {
	return &cli.Command{
		Name:  "journal",
		Usage: "print the journal of every transaction sent for an account (--json, or --csv for a tax adviser)",
		Description: "Reads <data-dir>/journal/<chainid>-<account>.jsonl for --from (and --chain-id when several chains have one),\n" +
			"or the file given with --journal. Sends nothing and needs no node.",
		Flags: []cli.Flag{dataDirFlag, jsonFlag, fromFlag, journalFlag,
			&cli.Uint64Flag{Name: "chain-id", Usage: "chain of the journal to read", EnvVars: []string{"HEDGER_CHAIN_ID"}},
			&cli.BoolFlag{Name: "csv", Usage: "CSV: time, chain, block, intent, kind, market, size, amount, fill price, fee, gas fee, tx hash, outcome"},
			&cli.BoolFlag{Name: "verify", Usage: "check the journal's integrity chain; exit non-zero when a line was edited, removed or moved"}},
		Action: func(c *cli.Context) error {
			if c.Bool("verify") {
				return verifyJournalCommand(c)
			}
			if c.Bool("json") && c.Bool("csv") {
				return errors.New("choose one of --json and --csv")
			}
			path, err := journalPathFrom(c)
			if err != nil {
				return err
			}
			entries, skipped, err := chain.ReadJournal(path)
			if err != nil {
				return err
			}
			rows := journalRows(chain.GroupJournal(entries))
			if skipped > 0 {
				fmt.Fprintf(os.Stderr, "note: %d unreadable line(s) skipped (a write torn by a crash)\n", skipped)
			}
			if in, err := chain.VerifyJournal(path); err == nil && !in.OK() {
				fmt.Fprintf(os.Stderr, "warning: journal integrity %s (hedger journal --verify)\n", in)
			}
			switch {
			case c.Bool("json"):
				return printJSON(rows)
			case c.Bool("csv"):
				return writeJournalCSV(rows)
			}
			w := newTable(os.Stdout)
			fmt.Fprintln(w, "TIME\tINTENT\tKIND\tMARKET\tSIZE\tFILL PRICE\tFEE\tGAS FEE\tTX\tOUTCOME")
			for _, r := range rows {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Time.Format(time.RFC3339), dash(r.Intent), dash(r.Kind),
					dash(r.Market), dash(r.Size), dash(r.FillPrice), dash(r.Fee), dash(r.GasFee), dash(r.Tx), r.Outcome)
			}
			w.Flush()
			return nil
		},
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// journalPathFrom finds the journal: --journal, else --from with --chain-id,
// else the only journal of --from in the data directory.
func journalPathFrom(c *cli.Context) (string, error) {
	if p := c.String("journal"); p != "" {
		return p, nil
	}
	f := c.String("from")
	if f == "" {
		return "", errors.New("which journal? pass --from ADDRESS (the signing account) or --journal FILE")
	}
	from, err := parseAddress("--from", f)
	if err != nil {
		return "", err
	}
	dir := c.String("data-dir")
	if id := c.Uint64("chain-id"); id != 0 {
		return chain.JournalPath(dir, id, from), nil
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "journal", "*-"+from.Hex()+".jsonl"))
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("no journal for %s in %s (nothing sent from it yet?)", from.Hex(), filepath.Join(dir, "journal"))
	case 1:
		return matches[0], nil
	}
	return "", fmt.Errorf("%s has journals on several chains (%s): pass --chain-id", from.Hex(), strings.Join(matches, ", "))
}

// journalRow is one action as the journal command prints it.
type journalRow struct {
	ID          string    `json:"id"`
	Time        time.Time `json:"time"`
	ChainID     uint64    `json:"chain_id"`
	Account     string    `json:"account"`
	Intent      string    `json:"intent"`
	Kind        string    `json:"kind"`
	Market      string    `json:"market"`
	Size        string    `json:"size"`
	Price       string    `json:"acceptable_price"`
	Notional    string    `json:"notional"`
	Description string    `json:"description"`
	FillPrice   string    `json:"fill_price"`
	Fee         string    `json:"fee"`      // venue fee of a trade, collateral units
	GasFee      string    `json:"gas_fee"`  // native coin (ETH) paid for gas
	Tx          string    `json:"tx"`       // the hash that was mined, else the last one signed
	Nonce       *uint64   `json:"nonce"`    // nil when never signed
	Outcome     string    `json:"outcome"`  // mined, reverted, replaced, dropped, failed, or pending
	Block       uint64    `json:"block"`    // 0 unless mined
	Attempts    int       `json:"attempts"` // signed versions (1 + fee bumps)
	Error       string    `json:"error,omitempty"`
}

func journalRows(recs []chain.JournalRecord) []journalRow {
	out := make([]journalRow, 0, len(recs))
	for _, r := range recs {
		in := r.Intent
		row := journalRow{ID: r.ID, Time: in.Time, ChainID: in.ChainID, Account: in.Account, Intent: in.Intent, Kind: in.Kind,
			Market: in.Market, Size: in.Size, Price: in.Price, Notional: in.Notional, Description: in.Description,
			Attempts: len(r.Attempts), Outcome: "pending"}
		if n, ok := r.Nonce(); ok {
			row.Nonce = &n
		}
		if hs := r.Hashes(); len(hs) > 0 {
			row.Tx = hs[len(hs)-1].Hex()
		}
		if o := r.Outcome; o != nil {
			row.Outcome, row.Block, row.Error = o.Outcome, o.Block, o.Error
			row.FillPrice, row.Fee = o.FillPrice, o.TradeFee
			if o.MinedHash != "" {
				row.Tx = common.HexToHash(o.MinedHash).Hex()
			}
			if wei, ok := new(big.Int).SetString(o.FeePaidWei, 10); ok {
				row.GasFee = decimal.NewFromBigInt(wei, -18).String()
			}
		}
		out = append(out, row)
	}
	return out
}

func writeJournalCSV(rows []journalRow) error {
	w := csv.NewWriter(os.Stdout)
	// amount is the collateral moved by a deposit or withdrawal (for a
	// withdraw-all, the estimate at planning time) and the notional of a trade.
	w.Write([]string{"time", "chain_id", "block", "intent", "kind", "market", "size", "amount", "fill_price", "fee", "gas_fee_eth", "tx_hash", "outcome"})
	for _, r := range rows {
		block := ""
		if r.Block > 0 {
			block = strconv.FormatUint(r.Block, 10)
		}
		w.Write([]string{r.Time.UTC().Format(time.RFC3339), strconv.FormatUint(r.ChainID, 10), block, r.Intent, r.Kind, r.Market,
			r.Size, r.Notional, r.FillPrice, r.Fee, r.GasFee, r.Tx, r.Outcome})
	}
	w.Flush()
	return w.Error()
}
