package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// Human formats: amounts keep what matters, percentages carry a sign where
// the sign means something (drift, basis, funding: + received, − paid).
func amt(d decimal.Decimal) string  { return d.Round(6).String() }
func usd(d decimal.Decimal) string  { return d.StringFixed(2) }
func pct(d decimal.Decimal) string  { return d.Mul(hundred).StringFixed(2) + "%" }
func spct(d decimal.Decimal) string { return signed(d.Mul(hundred).StringFixed(2)) + "%" }
func sbps(d decimal.Decimal) string { return signed(d.StringFixed(1)) + "bp" }
func susd(d decimal.Decimal) string { return signed(d.StringFixed(2)) }
func signed(s string) string {
	if len(s) > 0 && s[0] != '-' {
		return "+" + s
	}
	return s
}

func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 2, 0, 2, ' ', 0) }

func say(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) }

// warn is a note for the user on stderr that does not stop the command.
func warn(format string, args ...any) { fmt.Fprintf(os.Stderr, "warning: "+format+"\n", args...) }
