package main

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/shopspring/decimal"

	cgmx "github.com/hedger/hedger/contracts/gmx"
	"github.com/hedger/hedger/hedge/gmx"
)

// gmxDemoOnChain is what the chain itself says after a demo step, read
// with GMX's Reader (a client of its own, not the adapter the demo uses)
// and the tokens' balanceOf.
type gmxDemoOnChain struct {
	spot, short map[string]decimal.Decimal // by asset
	pending     map[string][]gmx.PendingOrder
	claimable   *big.Int // USDC of the ETH market, for the short
	collateral  *big.Int
}

func readGMXDemoChain(ctx context.Context, v gmxDemoChain) (*gmxDemoOnChain, error) {
	c := gmx.NewClient(v.Client, v.Book, v.Account, nil)
	if err := c.Discover(ctx); err != nil {
		return nil, err
	}
	s, err := c.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	out := &gmxDemoOnChain{spot: map[string]decimal.Decimal{}, short: map[string]decimal.Decimal{},
		pending: map[string][]gmx.PendingOrder{}, collateral: s.Collateral}
	native, err := v.Client.BalanceAt(ctx, v.Wallet, nil)
	if err != nil {
		return nil, err
	}
	out.spot["ETH"] = decimal.NewFromBigInt(native, -18)
	wbtc := v.Book.Tokens["WBTC"]
	tok := cgmx.NewMintableToken()
	raw, err := v.Client.CallContract(ctx, ethereum.CallMsg{To: &wbtc.Address, Data: tok.PackBalanceOf(v.Wallet)}, nil)
	if err != nil {
		return nil, err
	}
	bal, err := tok.UnpackBalanceOf(raw)
	if err != nil {
		return nil, err
	}
	out.spot["BTC"] = decimal.NewFromBigInt(bal, -int32(wbtc.Decimals))
	for _, asset := range gmxDemoAssets {
		m, ok := v.Book.Market(asset)
		if !ok {
			return nil, fmt.Errorf("the book offers no %s market", asset)
		}
		out.short[asset] = decimal.Zero
		if p, ok := s.Short(m, v.Book.Collateral.Address); ok {
			out.short[asset] = decimal.NewFromBigInt(p.Info.Position.Numbers.SizeInTokens, -int32(m.Index.Decimals))
		}
		for _, o := range s.Orders {
			if o.Order.Addresses.Market == m.MarketToken {
				out.pending[asset] = append(out.pending[asset], o)
			}
		}
		if asset == "ETH" {
			out.claimable = s.Markets[m.MarketToken].ClaimableFundingShort
		}
	}
	for _, p := range s.Positions {
		if p.IsLong {
			return nil, fmt.Errorf("the account holds a long on %s", p.Market.Name)
		}
	}
	return out, nil
}

// TestDemoGMX: the GMX rehearsal on the embedded chain hedges a cold
// wallet's ETH and WBTC. Each step is checked against the chain (GMX's
// Reader and the tokens), not against what the demo printed: approve + one
// multicall per market leaves two pending orders and no position; the rerun
// while they are pending sends nothing; the in-process keeper executes both
// and the shorts then match the wallet; the rerun sends nothing; more spot
// → one increase per market; a day against a larger long → the ETH short's
// funding is realised by the close and claimed.
func TestDemoGMX(t *testing.T) {
	ctx := context.Background()
	var seen []*gmxDemoOnChain
	var firstKeys []string
	check := func(st gmxDemoStep, v gmxDemoChain) error {
		oc, err := readGMXDemoChain(ctx, v)
		if err != nil {
			return err
		}
		seen = append(seen, oc)
		for _, a := range st.Assets {
			// What the demo shows is what the chain holds.
			if !a.Short.Equal(oc.short[a.Asset]) || !a.Spot.Equal(oc.spot[a.Asset]) || a.Pending != len(oc.pending[a.Asset]) {
				return fmt.Errorf("step %d %s: demo shows short %s spot %s pending %d; chain: short %s spot %s pending %d",
					st.Step, a.Asset, a.Short, a.Spot, a.Pending, oc.short[a.Asset], oc.spot[a.Asset], len(oc.pending[a.Asset]))
			}
		}
		pendingIncrease := func(asset string) error {
			ps := oc.pending[asset]
			if len(ps) != 1 || ps[0].Order.Numbers.OrderType != gmx.OrderMarketIncrease || ps[0].Order.Flags.IsLong {
				return fmt.Errorf("step %d: %s has %d pending order(s) on chain, want one MarketIncrease short", st.Step, asset, len(ps))
			}
			return nil
		}
		hedged := func(asset string) error {
			spot, short := oc.spot[asset], oc.short[asset]
			if len(oc.pending[asset]) != 0 || short.Sub(spot).Abs().GreaterThan(spot.Mul(decimal.RequireFromString("0.01"))) {
				return fmt.Errorf("step %d: %s short %s on chain (%d pending) for %s spot", st.Step, asset, short, len(oc.pending[asset]), spot)
			}
			return nil
		}
		want := map[int]int{1: 3, 2: 0, 3: 0, 4: 0, 5: 2, 6: 0, 7: 2, 8: 1}
		if st.Transactions != want[st.Step] {
			return fmt.Errorf("step %d (%s): %d transactions, want %d", st.Step, st.Name, st.Transactions, want[st.Step])
		}
		switch st.Step {
		case 1, 2:
			var keys []string
			for _, asset := range gmxDemoAssets {
				if err := pendingIncrease(asset); err != nil {
					return err
				}
				if !oc.short[asset].IsZero() {
					return fmt.Errorf("step %d: a %s short of %s before any keeper ran", st.Step, asset, oc.short[asset])
				}
				keys = append(keys, oc.pending[asset][0].Key.Hex())
			}
			if st.Step == 1 {
				firstKeys = keys
			} else if fmt.Sprint(keys) != fmt.Sprint(firstKeys) {
				return fmt.Errorf("the rerun changed the pending orders: %v, then %v", firstKeys, keys)
			}
		case 3, 4, 5, 6:
			if st.Step == 3 && st.Executed != 2 {
				return fmt.Errorf("the keeper executed %d of the account's orders, want 2", st.Executed)
			}
			for _, asset := range gmxDemoAssets {
				if err := hedged(asset); err != nil {
					return err
				}
			}
			// From your side: the ETH short, smaller than the long opened
			// against it, receives funding net of borrowing; the BTC short,
			// alone in its market, pays borrowing.
			if st.Step == 6 && (!st.Assets[0].CarryPerDay.IsPositive() || !st.Assets[1].CarryPerDay.IsNegative()) {
				return fmt.Errorf("step 6: carry per day ETH %s (want > 0), BTC %s (want < 0)", st.Assets[0].CarryPerDay, st.Assets[1].CarryPerDay)
			}
			if st.Step == 5 && (!oc.spot["ETH"].Equal(decimal.NewFromInt(15)) || !oc.spot["BTC"].Equal(decimal.RequireFromString("0.75"))) {
				return fmt.Errorf("step 5: spot %v", oc.spot)
			}
		case 7:
			for _, asset := range gmxDemoAssets {
				if !oc.short[asset].IsZero() || len(oc.pending[asset]) != 0 {
					return fmt.Errorf("after close: %s short %s, %d pending", asset, oc.short[asset], len(oc.pending[asset]))
				}
			}
			if oc.claimable == nil || oc.claimable.Sign() <= 0 {
				return fmt.Errorf("the close realised no claimable funding of the ETH short (a day against a larger long)")
			}
		case 8:
			before := seen[len(seen)-2]
			if oc.claimable.Sign() != 0 {
				return fmt.Errorf("claimable %s left after the claim", oc.claimable)
			}
			if got := new(big.Int).Sub(oc.collateral, before.collateral); got.Cmp(before.claimable) != 0 {
				return fmt.Errorf("the claim paid %s USDC units, claimable was %s", got, before.claimable)
			}
		}
		return nil
	}
	res, err := runGMXDemo(ctx, true, check)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 8 {
		t.Fatalf("%d steps, want 8", len(res.Steps))
	}
	if res.Transactions != 8 || res.GasUsed == 0 {
		t.Fatalf("%d transactions, %d gas", res.Transactions, res.GasUsed)
	}
	if len(res.BlocksToExec) != 2 {
		t.Fatalf("blocks to execution %v, want one figure per order of step 1", res.BlocksToExec)
	}
	if !res.ClaimedUSD.IsPositive() || !res.FeesUSD.IsNegative() {
		t.Fatalf("claimed %s, fees %s", res.ClaimedUSD, res.FeesUSD)
	}
	// The rally (ETH 5000 → 5400 on 15, BTC 60000 → 63000 on 0.75) gains
	// the spot 8250 USD; the shorts lose about as much, so the hedged
	// result is fees net of the funding claimed: small beside the swing.
	if !res.SpotPnLUSD.Equal(decimal.NewFromInt(8250)) || !res.USDCEnd.LessThan(res.USDCStart) {
		t.Fatalf("spot PnL %s (want 8250), USDC %s -> %s", res.SpotPnLUSD, res.USDCStart, res.USDCEnd)
	}
	if res.HedgedPnLUSD.Abs().GreaterThan(decimal.NewFromInt(250)) {
		t.Fatalf("hedged PnL %s: a hedge must not swing like spot (%s)", res.HedgedPnLUSD, res.SpotPnLUSD)
	}
	// The record rebuilt from chain logs (demo --report) explains every
	// USDC unit and agrees with what the demo counted.
	rc := res.Record
	if rc == nil || !rc.Reconciliation.Difference.IsZero() || rc.Totals.Trades != 6 {
		t.Fatalf("record: %+v", rc)
	}
	if !rc.Totals.Funding.Equal(res.ClaimedUSD) || !rc.Reconciliation.Fees.Add(rc.Reconciliation.Borrowing).Equal(res.FeesUSD.Neg()) {
		t.Fatalf("record: funding %s (demo claimed %s), fees %s + borrowing %s (demo %s)",
			rc.Totals.Funding, res.ClaimedUSD, rc.Reconciliation.Fees, rc.Reconciliation.Borrowing, res.FeesUSD)
	}
	t.Logf("spot %s, hedged %s; USDC %s -> %s, fees %s, claimed %s, %d transactions, %d gas, blocks to execution %v",
		res.SpotPnLUSD, res.HedgedPnLUSD, res.USDCStart, res.USDCEnd, res.FeesUSD, res.ClaimedUSD, res.Transactions, res.GasUsed, res.BlocksToExec)
}
