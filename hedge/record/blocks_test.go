package record

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

// Headers over a list of block times: each header read once, the first
// block at or after a time found at the edges, between blocks and past the
// head, and a read error passed on with the block number.
func TestHeaders(t *testing.T) {
	times := []uint64{100, 112, 112, 130, 200}
	reads := map[uint64]int{}
	h := Headers[uint64]{
		Fetch: func(_ context.Context, n *big.Int) (uint64, error) {
			if !n.IsUint64() || n.Uint64() >= uint64(len(times)) {
				return 0, errors.New("no such block")
			}
			reads[n.Uint64()]++
			return times[n.Uint64()], nil
		},
		Time: func(x uint64) uint64 { return x },
	}
	ctx := context.Background()
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	for _, c := range []struct {
		t    int64
		want uint64
	}{{0, 0}, {100, 0}, {101, 1}, {112, 1}, {113, 3}, {200, 4}, {201, 5}} {
		got, err := h.FirstBlockAtOrAfter(ctx, at(c.t), 4)
		if err != nil || got != c.want {
			t.Errorf("first block at or after %d: %d, %v; want %d", c.t, got, err, c.want)
		}
	}
	for n, k := range reads {
		if k != 1 {
			t.Errorf("block %d read %d times", n, k)
		}
	}
	if bt, err := h.BlockTime(ctx, 3); err != nil || !bt.Equal(at(130)) || bt.Location() != time.UTC {
		t.Errorf("block 3: %v %v", bt, err)
	}
	if _, err := h.BlockTime(ctx, 9); err == nil || err.Error() != "header 9: no such block" {
		t.Errorf("missing block: %v", err)
	}
}
