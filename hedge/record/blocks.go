package record

import (
	"context"
	"fmt"
	"math/big"
	"time"
)

// Headers is the block lookup every venue adapter needs and none decodes
// differently: block headers read once and kept, a block's time, and the
// block a period's edge falls on. H is the adapter's header type (the
// record stays free of any chain library); Fetch reads block n's header
// (an ethclient's HeaderByNumber) and Time gives its timestamp in Unix
// seconds.
type Headers[H any] struct {
	Fetch func(ctx context.Context, n *big.Int) (H, error)
	Time  func(H) uint64

	cache map[uint64]H
}

// Header is block n's header, read from the chain once.
func (h *Headers[H]) Header(ctx context.Context, n uint64) (H, error) {
	if x, ok := h.cache[n]; ok {
		return x, nil
	}
	x, err := h.Fetch(ctx, new(big.Int).SetUint64(n))
	if err != nil {
		return x, fmt.Errorf("header %d: %w", n, err)
	}
	if h.cache == nil {
		h.cache = map[uint64]H{}
	}
	h.cache[n] = x
	return x, nil
}

// BlockTime is block n's timestamp, UTC.
func (h *Headers[H]) BlockTime(ctx context.Context, n uint64) (time.Time, error) {
	x, err := h.Header(ctx, n)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time(x)), 0).UTC(), nil
}

// FirstBlockAtOrAfter is the first block whose time is at or after t, or
// head+1 when none is yet (block times never decrease, so a binary search
// over [0, head] finds it).
func (h *Headers[H]) FirstBlockAtOrAfter(ctx context.Context, t time.Time, head uint64) (uint64, error) {
	lo, hi := uint64(0), head+1
	for lo < hi {
		mid := lo + (hi-lo)/2
		bt, err := h.BlockTime(ctx, mid)
		if err != nil {
			return 0, err
		}
		if bt.Before(t) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}
