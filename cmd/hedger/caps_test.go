package main

import (
	"strings"
	"testing"
	"time"

	"github.com/hedger/hedger/chain"
)

// The daily cap fails closed: a mined trade whose notional the journal
// cannot give is not counted as nothing.
func TestMinedTradeNotionalFailsClosed(t *testing.T) {
	now := time.Now()
	rec := func(id, notional string) chain.JournalRecord {
		return chain.JournalRecord{ID: id, Intent: chain.JournalEntry{ActionMeta: chain.ActionMeta{Kind: "trade", Notional: notional}},
			Outcome: &chain.JournalEntry{Outcome: chain.OutcomeMined, Time: now.Add(-time.Hour)}}
	}
	sum, err := minedTradeNotional([]chain.JournalRecord{rec("a", "2010"), rec("b", "-990.5")}, now.Add(-24*time.Hour))
	if err != nil || sum.String() != "3000.5" {
		t.Fatalf("sum %s, %v", sum, err)
	}
	_, err = minedTradeNotional([]chain.JournalRecord{rec("a", "2010"), rec("b", "")}, now.Add(-24*time.Hour))
	if err == nil || !strings.Contains(err.Error(), "journal entry b") || !strings.Contains(err.Error(), "nothing sent") {
		t.Fatalf("unreadable notional: %v", err)
	}
	// Outside the window, or not mined, it does not matter.
	old := rec("c", "garbage")
	old.Outcome.Time = now.Add(-48 * time.Hour)
	if _, err := minedTradeNotional([]chain.JournalRecord{old}, now.Add(-24*time.Hour)); err != nil {
		t.Fatalf("old entry: %v", err)
	}
}
