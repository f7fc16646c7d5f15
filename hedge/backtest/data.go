// Package backtest replays price and funding history through hedger's own
// planner and risk policy (hedge.EvaluateRisk / hedge.ApplyRisk) on a paper
// venue with a cost model, and measures what each strategy would have done.
//
// Everything that touches the planner's API (building a hedge.Snapshot from
// one step's prices and the paper account, turning the plan into fills) is in
// venue.go, so a change of the venue seam is ported there alone.
package backtest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// Row is one step of history. Funding and Borrow are fractions of position
// notional over the period that ends at Time (from the previous row's Time):
// what a position held from the previous close to this one pays or receives.
// Funding follows the venue convention: positive means longs pay shorts.
type Row struct {
	Time    time.Time
	Spot    decimal.Decimal // price the spot holding is valued at (the hedge's index)
	Perp    decimal.Decimal // perpetual price (mark) the short trades and is valued at
	Funding decimal.Decimal // per period, > 0: longs pay shorts
	Borrow  decimal.Decimal // per period, paid by the position whatever its side; 0 when absent
	// HasBorrow says the file gave a borrowing rate, which then replaces
	// the cost model's own.
	HasBorrow bool
}

// Series is one asset's history, sorted by time, evenly spaced.
type Series struct {
	Asset  string
	Source string // file it came from
	Step   time.Duration
	Rows   []Row
	// SpotColumn and PerpColumn say which columns were used, for the output.
	SpotColumn, PerpColumn string
	// Note is what loading had to decide (e.g. a blank last funding cell).
	Note string
}

// SpotSource picks the spot column of the shared dataset format.
type SpotSource string

const (
	// SpotCoinbase values spot at Coinbase USD where present and at the
	// Binance USDT close elsewhere; the perp stays on Binance, so the basis
	// between the two is real.
	SpotCoinbase SpotSource = "coinbase"
	// SpotBinance values spot at the Binance USDT close, the perp's own
	// series: no basis at all.
	SpotBinance SpotSource = "binance"
)

// The shared dataset's daily columns (see testdata/README.md).
const (
	colDate      = "date"
	colBinance   = "spot_close_usdt_binance"
	colCoinbase  = "spot_close_usd_coinbase"
	colFundC2C   = "funding_rate_c2c"
	colFundDay   = "funding_rate_day"
	colNSettle   = "n_settlements"
	plainTime    = "time"
	plainSpot    = "spot"
	plainPerp    = "perp"
	plainFunding = "funding"
	plainBorrow  = "borrow"
)

// LoadFile reads a history file; asset "" takes it from the file name
// (eth_daily.csv → ETH).
func LoadFile(path, asset string, spot SpotSource) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if asset == "" {
		asset = AssetFromName(path)
	}
	if asset == "" {
		return nil, fmt.Errorf("%s: cannot tell the asset from the file name; give it as ASSET=%s", path, path)
	}
	s, err := Load(f, asset, spot)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.Source = path
	return s, nil
}

// AssetFromName is the leading letters and digits of a file's base name,
// upper-cased: "sol_daily.csv" → "SOL".
func AssetFromName(path string) string {
	base := filepath.Base(path)
	end := strings.IndexFunc(base, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if end < 0 {
		end = len(base)
	}
	return strings.ToUpper(base[:end])
}

// Load reads either format, told apart by the header:
//
//	shared:  date,spot_close_usdt_binance,spot_close_usd_coinbase,funding_rate_day,funding_rate_c2c,n_settlements
//	plain:   time,spot,perp,funding[,borrow]
//
// In the shared format the perp is the Binance USDT close, spot is chosen by
// spot, and funding is funding_rate_c2c (the settlements a position held from
// the previous close to this one receives). Its last BTC/ETH row has a blank
// funding_rate_c2c (the source ends there); that one row is dropped and said
// so in Note. Any other blank, a gap, a repeated or unsorted time, a missing
// column or a cell that is not a number refuses the file, naming the line.
func Load(r io.Reader, asset string, spot SpotSource) (*Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("line 1: empty file, want a header")
		}
		return nil, fmt.Errorf("line 1: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice", h)
		}
		col[h] = i
	}
	s := &Series{Asset: asset}
	_, shared := col[colDate]
	var need []string
	if shared {
		need = []string{colDate, colBinance, colCoinbase, colFundC2C}
	} else {
		need = []string{plainTime, plainSpot, plainPerp, plainFunding}
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			if !shared && n == plainTime {
				return nil, fmt.Errorf("line 1: no %q or %q column: want the shared dataset header (date,%s,...) or time,spot,perp,funding[,borrow]",
					colDate, plainTime, colBinance)
			}
			return nil, fmt.Errorf("line 1: missing column %q", n)
		}
	}
	if shared {
		s.PerpColumn = colBinance + " (Binance USDT close)"
		if spot == SpotBinance {
			s.SpotColumn = colBinance
		} else {
			s.SpotColumn = colCoinbase + " (" + colBinance + " where blank)"
		}
	} else {
		s.SpotColumn, s.PerpColumn = plainSpot, plainPerp
	}
	_, hasBorrow := col[plainBorrow]
	blankLast := 0 // line of a blank c2c cell, allowed only on the last row
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d: %v", pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if blankLast > 0 {
			return nil, fmt.Errorf("line %d: %s is blank", blankLast, colFundC2C)
		}
		if len(rec) < len(head) {
			return nil, fmt.Errorf("line %d: %d cells, the header has %d", line, len(rec), len(head))
		}
		cell := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		num := func(name string, positive bool) (decimal.Decimal, error) {
			v := cell(name)
			if v == "" {
				return decimal.Zero, fmt.Errorf("line %d: %s is blank", line, name)
			}
			d, err := decimal.NewFromString(v)
			if err != nil {
				return decimal.Zero, fmt.Errorf("line %d: %s %q is not a number", line, name, v)
			}
			if positive && !d.IsPositive() {
				return decimal.Zero, fmt.Errorf("line %d: %s %s is not a positive price", line, name, v)
			}
			return d, nil
		}
		var row Row
		if shared {
			t, err := time.Parse("2006-01-02", cell(colDate))
			if err != nil {
				return nil, fmt.Errorf("line %d: date %q is not YYYY-MM-DD", line, cell(colDate))
			}
			// A daily close is the end of its UTC day.
			row.Time = t.Add(24 * time.Hour)
			if row.Perp, err = num(colBinance, true); err != nil {
				return nil, err
			}
			row.Spot = row.Perp
			if spot != SpotBinance && cell(colCoinbase) != "" {
				if row.Spot, err = num(colCoinbase, true); err != nil {
					return nil, err
				}
			}
			if cell(colFundC2C) == "" {
				blankLast = line
				continue
			}
			if row.Funding, err = num(colFundC2C, false); err != nil {
				return nil, err
			}
		} else {
			t, err := parseTime(cell(plainTime))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			if len(cell(plainTime)) == len("2006-01-02") {
				t = t.Add(24 * time.Hour) // a date is that day's close, as in the shared files
			}
			row.Time = t
			if row.Spot, err = num(plainSpot, true); err != nil {
				return nil, err
			}
			if row.Perp, err = num(plainPerp, true); err != nil {
				return nil, err
			}
			if row.Funding, err = num(plainFunding, false); err != nil {
				return nil, err
			}
			if hasBorrow && cell(plainBorrow) != "" {
				if row.Borrow, err = num(plainBorrow, false); err != nil {
					return nil, err
				}
				if row.Borrow.IsNegative() {
					return nil, fmt.Errorf("line %d: borrow %s is negative", line, row.Borrow)
				}
				row.HasBorrow = true
			}
		}
		if n := len(s.Rows); n > 0 {
			prev := s.Rows[n-1].Time
			switch d := row.Time.Sub(prev); {
			case d <= 0:
				return nil, fmt.Errorf("line %d: time %s is not after the previous row's %s (rows must be sorted, one per time)",
					line, fmtTime(row.Time, s.Step), fmtTime(prev, s.Step))
			case n == 1:
				s.Step = d
			case d != s.Step:
				return nil, fmt.Errorf("line %d: gap: %s after %s, the file's step is %s",
					line, fmtTime(row.Time, s.Step), fmtTime(prev, s.Step), s.Step)
			}
		}
		s.Rows = append(s.Rows, row)
	}
	if len(s.Rows) < 2 {
		return nil, fmt.Errorf("%d rows with data, need at least 2", len(s.Rows))
	}
	if blankLast > 0 {
		s.Note = fmt.Sprintf("line %d (the last) has no %s and is left out", blankLast, colFundC2C)
	}
	return s, nil
}

func parseTime(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (2022-11-10T08:00:00Z) or YYYY-MM-DD", v)
}

// fmtTime shows a daily close as its date and anything finer in full.
func fmtTime(t time.Time, step time.Duration) string {
	if step == 0 || step%(24*time.Hour) == 0 {
		return t.Add(-24 * time.Hour).Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// Day is the calendar label of a step: the UTC date of a daily close, or the
// time itself for finer steps.
func (s *Series) Day(i int) string { return fmtTime(s.Rows[i].Time, s.Step) }

// Flow is a change of holdings at a time: spot units of an asset coming in
// (positive) or going out, or USD ("USD") into or out of the margin account.
type Flow struct {
	Time   time.Time
	Asset  string
	Amount decimal.Decimal
}

// LoadFlows reads date,asset,amount rows (amount signed: + in, − out).
// A date applies at that day's close, before the day's plan.
func LoadFlows(r io.Reader) ([]Flow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: want the header date,asset,amount")
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, n := range []string{"date", "asset", "amount"} {
		if _, ok := idx[n]; !ok {
			return nil, fmt.Errorf("line 1: missing column %q (want date,asset,amount)", n)
		}
	}
	var out []Flow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if len(rec) < len(head) {
			return nil, fmt.Errorf("line %d: %d cells, the header has %d", line, len(rec), len(head))
		}
		d := strings.TrimSpace(rec[idx["date"]])
		t, err := parseTime(d)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if len(d) == len("2006-01-02") {
			t = t.Add(24 * time.Hour) // that day's close
		}
		a := strings.ToUpper(strings.TrimSpace(rec[idx["asset"]]))
		if a == "" {
			return nil, fmt.Errorf("line %d: asset is blank", line)
		}
		v := strings.TrimSpace(rec[idx["amount"]])
		amt, err := decimal.NewFromString(v)
		if err != nil {
			return nil, fmt.Errorf("line %d: amount %q is not a number", line, v)
		}
		if n := len(out); n > 0 && t.Before(out[n-1].Time) {
			return nil, fmt.Errorf("line %d: date %s is before the previous row's (rows must be sorted)", line, d)
		}
		out = append(out, Flow{Time: t, Asset: a, Amount: amt})
	}
	return out, nil
}

// align cuts every series to the common times in [from, to] (zero = open)
// and checks they share one step.
func align(series []*Series, from, to time.Time) ([]*Series, error) {
	if len(series) == 0 {
		return nil, errors.New("no data")
	}
	step := series[0].Step
	lo, hi := series[0].Rows[0].Time, series[0].Rows[len(series[0].Rows)-1].Time
	seen := map[string]bool{}
	for _, s := range series {
		if seen[s.Asset] {
			return nil, fmt.Errorf("two data files for %s", s.Asset)
		}
		seen[s.Asset] = true
		if s.Step != step {
			return nil, fmt.Errorf("%s has step %s but %s has %s; all files need one step", s.Asset, s.Step, series[0].Asset, step)
		}
		if (s.Rows[0].Time.Sub(series[0].Rows[0].Time))%step != 0 {
			return nil, fmt.Errorf("%s's times are not on %s's grid", s.Asset, series[0].Asset)
		}
		lo = later(lo, s.Rows[0].Time)
		hi = earlier(hi, s.Rows[len(s.Rows)-1].Time)
	}
	if !from.IsZero() {
		lo = later(lo, from)
	}
	if !to.IsZero() {
		hi = earlier(hi, to)
	}
	if !hi.After(lo) {
		return nil, fmt.Errorf("the data files share no period in the range asked (%s to %s)", fmtTime(lo, step), fmtTime(hi, step))
	}
	out := make([]*Series, len(series))
	for k, s := range series {
		i := slices.IndexFunc(s.Rows, func(r Row) bool { return !r.Time.Before(lo) })
		j := slices.IndexFunc(s.Rows, func(r Row) bool { return r.Time.After(hi) })
		if j < 0 {
			j = len(s.Rows)
		}
		c := *s
		c.Rows = s.Rows[i:j]
		out[k] = &c
	}
	n := len(out[0].Rows)
	for _, s := range out {
		if len(s.Rows) != n || !s.Rows[0].Time.Equal(out[0].Rows[0].Time) {
			return nil, fmt.Errorf("%s and %s do not cover the same times", s.Asset, out[0].Asset)
		}
	}
	if n < 2 {
		return nil, fmt.Errorf("only %d step in the range asked; need at least 2", n)
	}
	return out, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
