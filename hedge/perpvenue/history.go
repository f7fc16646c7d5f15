package perpvenue

// Funding history for the rolling-window funding budget: find the block at
// (now − window) by searching header timestamps, then read every market's
// cumulative funding index there in one batch.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/hedge"
)

// probesPerRound is how many headers one search round trip fetches: each
// round narrows the range by this factor, so a million blocks take five.
const probesPerRound = 16

// FundingHistory fills Market.FundingBefore. It remembers the blocks it
// found: the window's start only moves forward, so the next search starts
// from the last answer and usually takes one round trip.
//
// The start index it read is reused while it is younger than a 24th of the
// window (an hour of a day): the window's cost is annualised over the time
// actually elapsed since that start, so a slightly older start stays exact,
// and a watch cycle makes no reads here between refreshes.
type FundingHistory struct {
	Venue *Venue
	mu    sync.Mutex
	found map[time.Duration]uint64 // window -> last start block found
	marks map[string]cachedMark    // asset -> last start read
	// RoundTrips counts JSON-RPC requests made (batches count once), for tests.
	RoundTrips int
}

type cachedMark struct {
	window time.Duration
	at     time.Time // the snapshot time it was read for
	mark   hedge.FundingMark
}

type blockStamp struct {
	n uint64
	t uint64 // unix seconds
}

// Fill sets FundingBefore on every market of s whose window (from
// windowOf(asset); 0 = off) is positive: the funding index at the last
// block whose time is at most s.Time − window, clamped at the deploy block.
// A market that cannot be read there (pruned state, not yet listed) keeps a
// zero FundingBefore; the error says which and why.
func (h *FundingHistory) Fill(ctx context.Context, s *hedge.Snapshot, windowOf func(asset string) time.Duration) error {
	if s == nil || s.Time.IsZero() {
		return errors.New("funding history: snapshot without a time")
	}
	b := h.Venue.Book
	byWindow := map[time.Duration][]MarketRef{}
	h.mu.Lock()
	for _, m := range b.Markets {
		w := windowOf(m.Asset)
		if w <= 0 {
			continue
		}
		if c, ok := h.marks[m.Asset]; ok && c.window == w && !s.Time.Before(c.at) && s.Time.Sub(c.at) < w/24 {
			if mk, ok := s.Markets[m.Asset]; ok {
				mk.FundingBefore = c.mark
				s.Markets[m.Asset] = mk
			}
			continue
		}
		byWindow[w] = append(byWindow[w], m)
	}
	h.mu.Unlock()
	if len(byWindow) == 0 {
		return nil
	}
	type read struct {
		m   MarketRef
		at  blockStamp
		out hexutil.Bytes
	}
	var reads []*read
	var elems []rpc.BatchElem
	windows := make([]time.Duration, 0, len(byWindow))
	for w := range byWindow {
		windows = append(windows, w)
	}
	sort.Slice(windows, func(i, j int) bool { return windows[i] < windows[j] })
	for _, w := range windows {
		at, err := h.blockAt(ctx, s.Time.Add(-w), s.Block, uint64(s.Time.Unix()), w)
		if err != nil {
			return fmt.Errorf("funding history: finding the block %s back: %w", w, err)
		}
		for _, m := range byWindow[w] {
			r := &read{m: m, at: at}
			reads = append(reads, r)
			args := map[string]any{"to": b.Venue, "input": hexutil.Bytes(venueABI.PackGetMarket(new(big.Int).SetUint64(m.ID)))}
			elems = append(elems, rpc.BatchElem{Method: "eth_call", Args: []any{args, hexutil.EncodeUint64(at.n)}, Result: &r.out})
		}
	}
	if err := h.batch(ctx, elems); err != nil {
		return fmt.Errorf("funding history: %w", err)
	}
	var errs []error
	for i, r := range reads {
		if elems[i].Error != nil {
			errs = append(errs, fmt.Errorf("%s funding index at block %d: %w", r.m.Asset, r.at.n, elems[i].Error))
			continue
		}
		v, err := venueABI.UnpackGetMarket(r.out)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s funding index at block %d: decoding: %w", r.m.Asset, r.at.n, err))
			continue
		}
		mk, ok := s.Markets[r.m.Asset]
		if !ok {
			continue
		}
		mk.FundingBefore = hedge.FundingMark{Block: r.at.n, Time: time.Unix(int64(r.at.t), 0).UTC(), Index: fromWad(v.FundingIndex)}
		s.Markets[r.m.Asset] = mk
		h.mu.Lock()
		if h.marks == nil {
			h.marks = map[string]cachedMark{}
		}
		h.marks[r.m.Asset] = cachedMark{window: windowOf(r.m.Asset), at: s.Time, mark: mk.FundingBefore}
		h.mu.Unlock()
	}
	return errors.Join(errs...)
}

func (h *FundingHistory) batch(ctx context.Context, elems []rpc.BatchElem) error {
	h.mu.Lock()
	h.RoundTrips++
	h.mu.Unlock()
	return h.Venue.Client.BatchCallContext(ctx, elems)
}

// blockAt is the last block in [deploy, head] whose timestamp is ≤ target,
// or the deploy block when target precedes it.
func (h *FundingHistory) blockAt(ctx context.Context, target time.Time, head, headTime uint64, w time.Duration) (blockStamp, error) {
	t := uint64(max(target.Unix(), 0))
	if t >= headTime {
		return blockStamp{head, headTime}, nil
	}
	lo := h.Venue.Book.Block
	h.mu.Lock()
	if f, ok := h.found[w]; ok && f > lo && f <= head {
		lo = f // the window's start moved forward since then
	}
	h.mu.Unlock()
	if lo > head {
		lo = head
	}
	loS, err := h.headers(ctx, []uint64{lo})
	if err != nil {
		return blockStamp{}, err
	}
	lb := loS[0]
	if lb.t > t {
		if lo == h.Venue.Book.Block || lo == 0 {
			return lb, nil // clamp: the venue is younger than the window
		}
		// A stale cached lower bound (a reorg, another node): search it all.
		h.mu.Lock()
		delete(h.found, w)
		h.mu.Unlock()
		return h.blockAt(ctx, target, head, headTime, w)
	}
	hb := blockStamp{head, headTime}
	// Invariant: lb.t ≤ t < hb.t. Each round fetches evenly spaced probes
	// plus an interpolated guess and its neighbours.
	for round := 0; hb.n-lb.n > 1; round++ {
		if round == 64 {
			return blockStamp{}, fmt.Errorf("no block found at %d after %d rounds (timestamps not increasing?)", t, round)
		}
		span := hb.n - lb.n
		set := map[uint64]bool{}
		step := max(span/(probesPerRound+1), 1)
		for n := lb.n + step; n < hb.n && len(set) < probesPerRound; n += step {
			set[n] = true
		}
		if hb.t > lb.t {
			g := lb.n + span*(t-lb.t)/(hb.t-lb.t)
			for _, n := range []uint64{g - 1, g, g + 1} {
				if n > lb.n && n < hb.n {
					set[n] = true
				}
			}
		}
		ns := make([]uint64, 0, len(set))
		for n := range set {
			ns = append(ns, n)
		}
		sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
		got, err := h.headers(ctx, ns)
		if err != nil {
			return blockStamp{}, err
		}
		for _, x := range got {
			if x.t <= t && x.t >= lb.t {
				lb = x
			} else if x.t > t {
				hb = x
				break
			}
		}
	}
	h.mu.Lock()
	if h.found == nil {
		h.found = map[time.Duration]uint64{}
	}
	h.found[w] = lb.n
	h.mu.Unlock()
	return lb, nil
}

// headers fetches the numbers and timestamps of ns in one batch.
func (h *FundingHistory) headers(ctx context.Context, ns []uint64) ([]blockStamp, error) {
	type hdr struct {
		Number    hexutil.Uint64 `json:"number"`
		Timestamp hexutil.Uint64 `json:"timestamp"`
	}
	res := make([]*hdr, len(ns))
	elems := make([]rpc.BatchElem, len(ns))
	for i, n := range ns {
		res[i] = new(hdr)
		elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(n), false}, Result: &res[i]}
	}
	if err := h.batch(ctx, elems); err != nil {
		return nil, err
	}
	out := make([]blockStamp, len(ns))
	for i, e := range elems {
		if e.Error != nil {
			return nil, fmt.Errorf("header %d: %w", ns[i], e.Error)
		}
		if res[i] == nil {
			return nil, fmt.Errorf("header %d: not found", ns[i])
		}
		if uint64(res[i].Number) != ns[i] {
			return nil, fmt.Errorf("asked for header %d, got %d", ns[i], uint64(res[i].Number))
		}
		out[i] = blockStamp{ns[i], uint64(res[i].Timestamp)}
	}
	return out, nil
}
