package main

import (
	"strings"
	"testing"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/hedge/record"
)

// markMoved: the journal still naming the old block of a moved order
// marks the order's own events and the keeper's execution of it (OrderTx)
// as corrected, lists the stale journal once, and leaves the rest alone.
func TestMarkMovedFollowsOrderTx(t *testing.T) {
	const order, exec, other = "0xorder", "0xexec", "0xother"
	outcomes := map[string]*chain.JournalEntry{
		order: {Block: 36, MinedHash: order},
		other: {Block: 50, MinedHash: other},
	}
	evs := []record.Event{
		{Kind: record.KindGas, Tx: order, Block: 39},
		{Kind: record.KindDeposit, Tx: exec, Block: 41, OrderTx: order},
		{Kind: record.KindTrade, Tx: exec, Block: 41, OrderTx: order, Note: "GMX order 0x2ca8…"},
		{Kind: record.KindGas, Tx: other, Block: 50},
	}
	got, stale := markMoved(evs, outcomes)
	if len(stale) != 1 || !strings.Contains(stale[0], "the journal records 0xorder in block 36, the chain has it in block 39") {
		t.Errorf("stale: %v", stale)
	}
	for i, want := range []bool{true, true, true, false} {
		if got[i].Corrected != want {
			t.Errorf("event %d (%s %s): corrected %v", i, got[i].Kind, got[i].Tx, got[i].Corrected)
		}
	}
	if n := got[2].Note; !strings.HasPrefix(n, "GMX order 0x2ca8…; corrected: a reorg moved the order's transaction 0xorder and it was executed again; reported at block 41") {
		t.Errorf("note: %s", n)
	}
	// Once the journal says it moved (a sending run corrected it): still
	// corrected, nothing stale.
	outcomes[order] = &chain.JournalEntry{Block: 39, MinedHash: order, Note: "moved by a reorg from block 36"}
	fresh := []record.Event{{Kind: record.KindGas, Tx: order, Block: 39}, {Kind: record.KindTrade, Tx: exec, Block: 41, OrderTx: order}}
	got, stale = markMoved(fresh, outcomes)
	if len(stale) != 0 || !got[0].Corrected || !got[1].Corrected || !strings.Contains(got[0].Note, "(journal: moved by a reorg from block 36)") {
		t.Errorf("stale %v; events %+v", stale, got)
	}
}
