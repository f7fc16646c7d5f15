package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/hedger/hedger/contracts"
)

// Behaviour tests of PerpVenue and PriceFeed on the embedded simulated chain.
// Expected values are recomputed with the contract's own integer arithmetic
// (big.Int Quo truncates toward zero like Solidity), so most checks are exact.

var (
	venueABI = contracts.NewPerpVenue()
	feedABI  = contracts.NewPriceFeed()
	tokenABI = contracts.NewTestToken()

	mkt       = big.NewInt(0)
	oneWad    = wad("1")
	day       = big.NewInt(86400)
	collScale = big.NewInt(1e12) // wad per USDC base unit
)

func defaultParams() contracts.PerpVenueMarketParams {
	return contracts.PerpVenueMarketParams{
		MaxLeverage:       wad("20"),
		MaintenanceMargin: wad("0.05"),
		TakerFee:          wad("0.0005"),
		SkewScale:         wad("1000000"),
		FundingCoeff:      wad("1"),
		MaxFundingRate:    wad("0.01"),
		LiquidationReward: wad("0.01"),
	}
}

// 1. Positive funding: longs pay shorts; the index accrues rate*index*dt/1d.
func TestFundingSignAndAccrual(t *testing.T) {
	e := newEnv(t)
	A, B, C := e.traders[0], e.traders[1], e.traders[2]
	e.deposit(A, usdc("1000000"))
	e.deposit(B, usdc("100000"))
	e.deposit(C, usdc("1000000"))
	e.trade(A, wad("1000"))
	mA := e.market() // A's settled index
	e.trade(B, wad("-100"))

	m0 := e.market() // B's trade accrued, so this is B's settled index
	p := m0.Params
	if want := quo(mul(p.FundingCoeff, m0.Skew), p.SkewScale); m0.Skew.Cmp(wad("900")) != 0 || m0.FundingRate.Cmp(want) != 0 {
		t.Fatalf("skew %s rate %s, want skew 900e18 rate %s", m0.Skew, m0.FundingRate, want)
	}
	if m0.FundingRate.Sign() <= 0 {
		t.Fatalf("long skew must give a positive funding rate, got %s", m0.FundingRate)
	}
	if err := e.sim.AdjustTime(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	m1 := e.market()
	dt := new(big.Int).SetUint64(e.now() - m0.LastFundingTime)
	if dt.Cmp(day) != 0 {
		t.Fatalf("dt = %s, want one day", dt)
	}
	dIdx := fundingDelta(m0.FundingRate, m0.IndexPrice, dt)
	if got := sub(m1.FundingIndex, m0.FundingIndex); got.Cmp(dIdx) != 0 {
		t.Fatalf("funding index moved %s, want %s", got, dIdx)
	}
	pa, pb := e.pos(A), e.pos(B)
	if pa.AccruedFunding.Sign() >= 0 {
		t.Errorf("long accrued funding = %s, want < 0 (longs pay)", pa.AccruedFunding)
	}
	if pb.AccruedFunding.Sign() <= 0 {
		t.Errorf("short accrued funding = %s, want > 0 (shorts receive)", pb.AccruedFunding)
	}
	// B: 100 ETH * 0.09%/day * $3000 * 1 day = $270.
	if want := accrued(pb.Size, dIdx); pb.AccruedFunding.Cmp(want) != 0 {
		t.Errorf("short accrued %s, want exactly %s", pb.AccruedFunding, want)
	}
	approx(t, "short funding after 1d", pb.AccruedFunding, wad("270"), wad("0.000001"))
	if want := accrued(pa.Size, sub(m1.FundingIndex, mA.FundingIndex)); pa.AccruedFunding.Cmp(want) != 0 {
		t.Errorf("long accrued %s, want exactly %s", pa.AccruedFunding, want)
	}
	if want := add(add(pb.Margin, pb.AccruedFunding), pb.UnrealizedPnl); pb.Equity.Cmp(want) != 0 {
		t.Errorf("equity %s != margin+funding+pnl %s", pb.Equity, want)
	}

	// A closes: settles what accrued on A's size since A's own trade, then realizes pnl.
	r := e.trade(A, wad("-1000"))
	fs, pm := mustEvent(t, r, venueABI.UnpackFundingSettledEvent), mustEvent(t, r, venueABI.UnpackPositionModifiedEvent)
	if want := accrued(wad("1000"), sub(e.market().FundingIndex, mA.FundingIndex)); fs.Account != A.From || fs.Amount.Cmp(want) != 0 || want.Sign() >= 0 {
		t.Fatalf("A settled funding %s, want %s < 0", fs.Amount, want)
	}
	approx(t, "A settled funding", fs.Amount, wad("-2700"), wad("0.5"))
	if got, want := e.pos(A).Margin, sub(add(add(pa.Margin, fs.Amount), pm.RealizedPnl), pm.Fee); got.Cmp(want) != 0 {
		t.Errorf("A margin after close %s, want %s", got, want)
	}

	// Flip the skew: C shorts 2000, skew = -2100, rate < 0, shorts pay.
	e.trade(C, wad("-2000"))
	m2 := e.market()
	if m2.Skew.Cmp(wad("-2100")) != 0 || m2.FundingRate.Sign() >= 0 {
		t.Fatalf("after flip skew %s rate %s, want -2100e18 and < 0", m2.Skew, m2.FundingRate)
	}
	if m2.OiLong.Sign() != 0 || m2.OiShort.Cmp(wad("2100")) != 0 {
		t.Fatalf("oi long %s short %s, want 0 / 2100e18", m2.OiLong, m2.OiShort)
	}
	bMid := e.pos(B).AccruedFunding
	if err := e.sim.AdjustTime(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	m3 := e.market()
	dIdx2 := fundingDelta(m2.FundingRate, m2.IndexPrice, new(big.Int).SetUint64(e.now()-m2.LastFundingTime))
	if got := sub(m3.FundingIndex, m2.FundingIndex); got.Cmp(dIdx2) != 0 || got.Sign() >= 0 {
		t.Fatalf("index moved %s, want %s (< 0)", got, dIdx2)
	}
	pc := e.pos(C)
	if want := accrued(pc.Size, dIdx2); pc.AccruedFunding.Sign() >= 0 || pc.AccruedFunding.Cmp(want) != 0 {
		t.Errorf("C (short, negative rate) accrued %s, want %s < 0", pc.AccruedFunding, want)
	}
	approx(t, "C funding after 1d", pc.AccruedFunding, wad("-12600"), wad("0.000001")) // 2000*0.21%*3000
	pb2 := e.pos(B)
	if want := accrued(pb2.Size, sub(m3.FundingIndex, m0.FundingIndex)); pb2.AccruedFunding.Cmp(want) != 0 {
		t.Errorf("B accrued over both days %s, want %s", pb2.AccruedFunding, want)
	}
	if pb2.AccruedFunding.Cmp(bMid) >= 0 {
		t.Errorf("B (short) accrued went %s -> %s, want it to fall while shorts pay", bMid, pb2.AccruedFunding)
	}
}

// 2. Mark = index * (1 + skew/skewScale); fills at the average skew of the
// trade; the daily funding rate follows the skew up to maxFundingRate.
func TestMarkBasisAndFundingRate(t *testing.T) {
	for _, tc := range []struct {
		name, skew string
		basis      int    // sign of mark - index
		rate       string // per day
	}{
		{"flat", "0", 0, "0"},
		{"long skew", "5000", 1, "0.005"},
		{"short skew", "-5000", -1, "-0.005"},
		{"small short skew", "-3.7", -1, "-0.0000037"},
		{"long skew past funding cap", "20000", 1, "0.01"},
		{"short skew past funding cap", "-20000", -1, "-0.01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if s := wad(tc.skew); s.Sign() != 0 {
				e.deposit(e.traders[0], usdc("5000000"))
				e.trade(e.traders[0], s)
			}
			m := e.market()
			if m.IndexPrice.Cmp(wad("3000")) != 0 || m.Skew.Cmp(wad(tc.skew)) != 0 {
				t.Fatalf("index %s skew %s", m.IndexPrice, m.Skew)
			}
			if got := m.MarkPrice.Cmp(m.IndexPrice); got != tc.basis {
				t.Fatalf("mark %s vs index %s: cmp %d, want %d", m.MarkPrice, m.IndexPrice, got, tc.basis)
			}
			if want := markFrom(m.IndexPrice, m.Skew, m.Params.SkewScale); m.MarkPrice.Cmp(want) != 0 {
				t.Fatalf("mark %s, want %s", m.MarkPrice, want)
			}
			if m.FundingRate.Cmp(wad(tc.rate)) != 0 {
				t.Fatalf("funding rate %s, want %s", m.FundingRate, wad(tc.rate))
			}
			for _, d := range []string{"10", "-10", "1001", "-0.000000000000000003"} {
				delta := wad(d)
				want := markFrom(m.IndexPrice, add(m.Skew, quo(delta, big.NewInt(2))), m.Params.SkewScale)
				if got := e.fill(delta); got.Cmp(want) != 0 {
					t.Errorf("fillPrice(%s) = %s, want %s", d, got, want)
				}
			}
		})
	}
}

// 3. acceptablePrice is a worst price: above it for buys, below it for sells.
func TestSlippage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delta string
		worse int64 // added to the fill to make acceptablePrice just too tight
	}{
		{"buy", "10", -1},
		{"sell", "-10", +1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			A, B := e.traders[0], e.traders[1]
			e.deposit(B, usdc("100000"))
			e.trade(B, wad("250")) // some skew so the fill is not the index
			e.deposit(A, usdc("100000"))
			delta := wad(tc.delta)
			fill := e.fill(delta)
			tight := add(fill, big.NewInt(tc.worse))
			data := expectRevert(t, e.try(A, e.venue, venueABI.PackModifyPosition(mkt, delta, tight)), "SlippageExceeded")
			se, err := venueABI.UnpackSlippageExceededError(data[4:])
			if err != nil || se.FillPrice.Cmp(fill) != 0 || se.AcceptablePrice.Cmp(tight) != 0 {
				t.Fatalf("SlippageExceeded args %+v (%v), want fill %s acceptable %s", se, err, fill, tight)
			}
			r := e.send(A, e.venue, venueABI.PackModifyPosition(mkt, delta, fill))
			if pm := mustEvent(t, r, venueABI.UnpackPositionModifiedEvent); pm.FillPrice.Cmp(fill) != 0 || pm.NewSize.Cmp(delta) != 0 {
				t.Fatalf("filled at %s size %s, want %s %s", pm.FillPrice, pm.NewSize, fill, delta)
			}
		})
	}
}

// 4. Initial margin on open and withdraw, PositionOpen, exact round trip of collateral.
func TestMarginChecks(t *testing.T) {
	e := newEnv(t)
	A := e.traders[0]
	bal0 := e.bal(A.From)
	e.deposit(A, usdc("1000"))

	// 7 ETH (~$21k) on $1000 is ~21x: rejected with required = notional/maxLeverage at post-trade mark.
	data := expectRevert(t, e.try(A, e.venue, venueABI.PackModifyPosition(mkt, wad("7"), maxUint())), "InsufficientMargin")
	im, err := venueABI.UnpackInsufficientMarginError(data[4:])
	if err != nil {
		t.Fatal(err)
	}
	m := e.market()
	markAfter := markFrom(m.IndexPrice, wad("7"), m.Params.SkewScale)
	if want := quo(mul(quo(mul(wad("7"), markAfter), oneWad), oneWad), m.Params.MaxLeverage); im.Required.Cmp(want) != 0 || im.Equity.Cmp(im.Required) >= 0 {
		t.Fatalf("InsufficientMargin(%s, %s), want required %s > equity", im.Equity, im.Required, want)
	}

	rOpen := e.trade(A, wad("6")) // ~18x is fine
	open := mustEvent(t, rOpen, venueABI.UnpackPositionModifiedEvent)
	if p := e.pos(A); p.Margin.Cmp(sub(wad("1000"), open.Fee)) != 0 {
		t.Fatalf("margin after open %s, want 1000e18 - fee %s", p.Margin, open.Fee)
	}

	var settled []*big.Int // funding settled by the txs below
	for _, tc := range []struct {
		name, amount, err string
	}{
		{"zero", "0", "ZeroAmount"},
		{"more than margin", "2000", "InsufficientMargin"},
		{"below initial margin", "100", "InsufficientMargin"},
		{"free margin", "50", ""},
	} {
		amt := usdc(tc.amount)
		if tc.err != "" {
			expectRevert(t, e.try(A, e.venue, venueABI.PackWithdraw(mkt, amt)), tc.err)
			continue
		}
		before := e.bal(A.From)
		r := e.send(A, e.venue, venueABI.PackWithdraw(mkt, amt))
		if got := sub(e.bal(A.From), before); got.Cmp(amt) != 0 {
			t.Fatalf("%s: withdrew %s, want %s", tc.name, got, amt)
		}
		if fs := event(r, venueABI.UnpackFundingSettledEvent); fs != nil {
			settled = append(settled, fs.Amount)
		}
	}
	data = expectRevert(t, e.try(A, e.venue, venueABI.PackWithdrawAll(mkt)), "PositionOpen")
	if po, _ := venueABI.UnpackPositionOpenError(data[4:]); po == nil || po.Size.Cmp(wad("6")) != 0 {
		t.Fatalf("PositionOpen args %+v", po)
	}

	rClose := e.trade(A, wad("-6"))
	cl := mustEvent(t, rClose, venueABI.UnpackPositionModifiedEvent)
	if fs := event(rClose, venueABI.UnpackFundingSettledEvent); fs != nil {
		settled = append(settled, fs.Amount)
	}
	want := sub(sub(wad("1000"), open.Fee), wad("50"))
	want = sub(add(want, cl.RealizedPnl), cl.Fee)
	for _, s := range settled {
		want = add(want, s)
	}
	p := e.pos(A)
	if p.Size.Sign() != 0 || p.Margin.Cmp(want) != 0 {
		t.Fatalf("after close size %s margin %s, want 0 and %s", p.Size, p.Margin, want)
	}

	before, pool0 := e.bal(A.From), e.feePool()
	r := e.send(A, e.venue, venueABI.PackWithdrawAll(mkt))
	out := quo(p.Margin, collScale)
	if mw := mustEvent(t, r, venueABI.UnpackMarginWithdrawnEvent); mw.Amount.Cmp(out) != 0 {
		t.Fatalf("withdrawAll event %s, want %s", mw.Amount, out)
	}
	if got := sub(e.bal(A.From), before); got.Cmp(out) != 0 {
		t.Fatalf("withdrawAll paid %s, want %s", got, out)
	}
	if got := sub(bal0, e.bal(A.From)); got.Cmp(sub(sub(usdc("1000"), usdc("50")), out)) != 0 {
		t.Fatalf("net collateral spent %s", got)
	}
	// The sub-unit remainder goes to the fee pool: the position reads zero.
	if left := e.pos(A).Margin; left.Sign() != 0 {
		t.Fatalf("margin left after withdrawAll %s, want 0", left)
	}
	if got, want := e.feePool(), add(pool0, new(big.Int).Rem(p.Margin, collScale)); got.Cmp(want) != 0 {
		t.Fatalf("fee pool %s, want %s (fees plus the swept remainder)", got, want)
	}
	expectRevert(t, e.try(A, e.venue, venueABI.PackWithdrawAll(mkt)), "ZeroAmount")
}

// 5. Liquidation of an underwater short after a ~10% rally.
func TestLiquidation(t *testing.T) {
	for _, tc := range []struct {
		name, size, price string
		kind              string // reward: "full", "capped" by equity, "none" (bad debt)
	}{
		{"reward paid", "-2.5", "3300", "full"},
		{"reward capped by equity", "-3.3", "3300", "capped"},
		{"bad debt pays nothing", "-3.3", "3400", "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			A, B, L := e.traders[0], e.traders[1], e.traders[3]
			e.deposit(B, usdc("1000"))
			e.trade(B, wad("1"))
			e.deposit(A, usdc("1000"))
			e.trade(A, wad(tc.size))
			expectRevert(t, e.try(L, e.venue, venueABI.PackLiquidate(A.From, mkt)), "NotLiquidatable")

			e.setPrice(tc.price)
			pa := e.pos(A)
			if !pa.Liquidatable || e.pos(B).Liquidatable {
				t.Fatalf("liquidatable: short %v long %v, want true/false", pa.Liquidatable, e.pos(B).Liquidatable)
			}
			data := expectRevert(t, e.try(L, e.venue, venueABI.PackLiquidate(B.From, mkt)), "NotLiquidatable")
			if nl, _ := venueABI.UnpackNotLiquidatableError(data[4:]); nl == nil || nl.Equity.Cmp(nl.Maintenance) < 0 {
				t.Fatalf("NotLiquidatable args %+v", nl)
			}

			lBal, pool := e.bal(L.From), e.feePool()
			r := e.send(L, e.venue, venueABI.PackLiquidate(A.From, mkt))
			equity := add(pa.Margin, pa.UnrealizedPnl) // mark is unchanged; add funding settled in the tx
			if fs := event(r, venueABI.UnpackFundingSettledEvent); fs != nil {
				equity = add(equity, fs.Amount)
			}
			full := quo(mul(pa.Notional, defaultParams().LiquidationReward), oneWad)
			reward, kind := full, "full"
			switch {
			case equity.Sign() <= 0:
				reward, kind = new(big.Int), "none"
			case full.Cmp(equity) > 0:
				reward, kind = equity, "capped"
			}
			if kind != tc.kind {
				t.Fatalf("scenario gives %s reward (equity %s, full %s), want %s", kind, equity, full, tc.kind)
			}
			reward = quo(reward, collScale)

			ev := mustEvent(t, r, venueABI.UnpackPositionLiquidatedEvent)
			if ev.Account != A.From || ev.Liquidator != L.From || ev.Size.Cmp(wad(tc.size)) != 0 || ev.Reward.Cmp(reward) != 0 {
				t.Fatalf("event %+v, want reward %s", ev, reward)
			}
			if got := sub(e.bal(L.From), lBal); got.Cmp(reward) != 0 {
				t.Fatalf("liquidator got %s, want %s", got, reward)
			}
			if tc.kind != "none" && reward.Sign() <= 0 {
				t.Fatalf("no reward paid")
			}
			wantPool := new(big.Int).Set(pool)
			if rem := sub(equity, mul(reward, collScale)); rem.Sign() > 0 {
				wantPool.Add(wantPool, rem)
			}
			if got := e.feePool(); got.Cmp(wantPool) != 0 {
				t.Fatalf("feePool %s, want %s", got, wantPool)
			}
			if p := e.pos(A); p.Size.Sign() != 0 || p.Margin.Sign() != 0 || p.EntryPrice.Sign() != 0 {
				t.Fatalf("position not deleted: %+v", p)
			}
			m := e.market()
			if m.Skew.Cmp(wad("1")) != 0 || m.OiLong.Cmp(wad("1")) != 0 || m.OiShort.Sign() != 0 {
				t.Fatalf("skew %s oi %s/%s after liquidation, want 1e18 1e18/0", m.Skew, m.OiLong, m.OiShort)
			}
			expectRevert(t, e.try(L, e.venue, venueABI.PackLiquidate(A.From, mkt)), "NoPosition")
		})
	}
}

// 6. Pause blocks trading; funding suspension freezes the index and skips the gap.
func TestPauseAndFundingSuspension(t *testing.T) {
	e := newEnv(t)
	A, B := e.traders[0], e.traders[1]
	e.deposit(A, usdc("1000000"))
	e.trade(A, wad("1000"))

	expectRevert(t, e.try(B, e.venue, venueABI.PackSetPaused(mkt, true)), "NotOwner")
	expectRevert(t, e.try(B, e.venue, venueABI.PackSetFundingSuspended(mkt, true)), "NotOwner")
	e.send(e.owner, e.venue, venueABI.PackSetPaused(mkt, true))
	if !e.market().Paused {
		t.Fatal("market not paused")
	}
	for _, d := range []string{"1", "-1"} {
		expectRevert(t, e.try(A, e.venue, venueABI.PackModifyPosition(mkt, wad(d), e.fill(wad(d)))), "MarketIsPaused")
	}
	expectRevert(t, e.try(B, e.venue, venueABI.PackLiquidate(A.From, mkt)), "MarketIsPaused")
	e.send(e.owner, e.venue, venueABI.PackSetPaused(mkt, false))
	e.trade(A, wad("1"))

	e.send(e.owner, e.venue, venueABI.PackSetFundingSuspended(mkt, true))
	m0 := e.market()
	if !m0.FundingSuspended || m0.FundingRate.Sign() != 0 || m0.Skew.Sign() <= 0 {
		t.Fatalf("suspended %v rate %s skew %s", m0.FundingSuspended, m0.FundingRate, m0.Skew)
	}
	f0 := e.pos(A).AccruedFunding
	if err := e.sim.AdjustTime(24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	e.send(B, e.venue, venueABI.PackAccrueFunding(mkt))
	if m := e.market(); m.FundingIndex.Cmp(m0.FundingIndex) != 0 {
		t.Fatalf("suspended index moved %s -> %s", m0.FundingIndex, m.FundingIndex)
	}
	if f := e.pos(A).AccruedFunding; f.Cmp(f0) != 0 {
		t.Fatalf("accrued funding moved while suspended: %s -> %s", f0, f)
	}

	e.send(e.owner, e.venue, venueABI.PackSetFundingSuspended(mkt, false))
	m1 := e.market()
	if m1.FundingSuspended || m1.FundingRate.Sign() <= 0 || m1.FundingIndex.Cmp(m0.FundingIndex) != 0 {
		t.Fatalf("after resume: suspended %v rate %s index %s (want %s: the suspended day must not count)",
			m1.FundingSuspended, m1.FundingRate, m1.FundingIndex, m0.FundingIndex)
	}
	if err := e.sim.AdjustTime(time.Hour); err != nil {
		t.Fatal(err)
	}
	m2 := e.market()
	want := add(m1.FundingIndex, fundingDelta(m1.FundingRate, m1.IndexPrice, new(big.Int).SetUint64(e.now()-m1.LastFundingTime)))
	if m2.FundingIndex.Cmp(want) != 0 || m2.FundingIndex.Cmp(m1.FundingIndex) <= 0 {
		t.Fatalf("resumed index %s, want %s (> %s)", m2.FundingIndex, want, m1.FundingIndex)
	}
}

// 7. A short gains when the price falls; closing realizes the gain into margin.
func TestShortPnl(t *testing.T) {
	e := newEnv(t)
	A := e.traders[0]
	bal0 := e.bal(A.From)
	e.deposit(A, usdc("5000"))
	open := mustEvent(t, e.trade(A, wad("-10")), venueABI.UnpackPositionModifiedEvent)

	e.setPrice("2700")
	p := e.pos(A)
	fill := e.fill(wad("10"))
	// Unrealized PnL is valued at the price closing would fill at, not at
	// mark: entry 3000*(1-5e-6), exit 2700*(1-5e-6): 10*(2999.985-2699.9865).
	if want := quo(mul(p.Size, sub(fill, p.EntryPrice)), oneWad); p.UnrealizedPnl.Cmp(want) != 0 {
		t.Fatalf("unrealized %s, want %s (at the closing fill %s)", p.UnrealizedPnl, want, fill)
	}
	approx(t, "unrealized", p.UnrealizedPnl, wad("2999.985"), wad("0.000001"))

	r := e.trade(A, wad("10"))
	cl := mustEvent(t, r, venueABI.UnpackPositionModifiedEvent)
	if want := quo(mul(p.Size, sub(fill, p.EntryPrice)), oneWad); cl.FillPrice.Cmp(fill) != 0 || cl.RealizedPnl.Cmp(want) != 0 {
		t.Fatalf("realized %s at %s, want %s at %s", cl.RealizedPnl, cl.FillPrice, want, fill)
	}
	approx(t, "realized", cl.RealizedPnl, wad("2999.985"), wad("0.000001")) // closing buy fills at 2700*(1-5e-6)
	want := sub(add(p.Margin, cl.RealizedPnl), cl.Fee)
	if fs := event(r, venueABI.UnpackFundingSettledEvent); fs != nil {
		want = add(want, fs.Amount)
	}
	if got := e.pos(A).Margin; got.Cmp(want) != 0 {
		t.Fatalf("margin after close %s, want %s", got, want)
	}
	if p.Margin.Cmp(sub(wad("5000"), open.Fee)) != 0 {
		t.Fatalf("margin before close %s", p.Margin)
	}
	e.send(A, e.venue, venueABI.PackWithdrawAll(mkt))
	approx(t, "net USDC gain", sub(e.bal(A.From), bal0), usdc("2971.49"), usdc("0.01")) // 3000 - 15 - 13.5 fees
}

// The premium a trade creates by moving skew is not equity: a huge position
// cannot pass the initial-margin check on the premium it creates itself.
func TestNoPhantomPremium(t *testing.T) {
	e := newEnv(t)
	A := e.traders[0]
	e.deposit(A, usdc("400000"))
	expectRevert(t, e.try(A, e.venue, venueABI.PackModifyPosition(mkt, wad("200000"), maxUint())), "InsufficientMargin")
	// A position that fits: its reported equity is what closing would return.
	e.trade(A, wad("1000"))
	p := e.pos(A)
	exit := e.fill(wad("-1000"))
	if want := quo(mul(p.Size, sub(exit, p.EntryPrice)), oneWad); p.UnrealizedPnl.Cmp(want) != 0 {
		t.Fatalf("unrealized %s, want %s at the closing fill", p.UnrealizedPnl, want)
	}
	if p.UnrealizedPnl.Sign() > 0 {
		t.Fatalf("a fresh long shows a gain of %s from its own premium", p.UnrealizedPnl)
	}
}

// 8. PriceFeed keeps round history and only its owner pushes.
func TestPriceFeed(t *testing.T) {
	e := newEnv(t)
	type round struct {
		answer, at *big.Int
	}
	rounds := []round{{price("3000"), nil}} // round 1: constructor
	for _, s := range []string{"3100", "3200.5"} {
		r := e.send(e.owner, e.feed, feedABI.PackPushAnswer(price(s)))
		rounds = append(rounds, round{price(s), new(big.Int).SetUint64(e.blockTime(r))})
	}
	r := e.send(e.owner, e.feed, feedABI.PackPushAnswerAt(price("2900"), big.NewInt(12345)))
	rounds = append(rounds, round{price("2900"), big.NewInt(12345)})
	lastStarted := new(big.Int).SetUint64(e.blockTime(r))

	for i, want := range rounds {
		id := big.NewInt(int64(i + 1))
		got, err := bind.Call(e.feed, nil, feedABI.PackGetRoundData(id), feedABI.UnpackGetRoundData)
		if err != nil {
			t.Fatalf("round %d: %v", i+1, err)
		}
		if got.RoundId.Cmp(id) != 0 || got.AnsweredInRound.Cmp(id) != 0 || got.Answer.Cmp(want.answer) != 0 {
			t.Errorf("round %d = %+v, want answer %s", i+1, got, want.answer)
		}
		if want.at != nil && got.UpdatedAt.Cmp(want.at) != 0 {
			t.Errorf("round %d updatedAt %s, want %s", i+1, got.UpdatedAt, want.at)
		}
		if i >= 1 && i <= 2 && got.StartedAt.Cmp(got.UpdatedAt) != 0 {
			t.Errorf("round %d startedAt %s != updatedAt %s", i+1, got.StartedAt, got.UpdatedAt)
		}
	}
	latest, err := bind.Call(e.feed, nil, feedABI.PackLatestRoundData(), feedABI.UnpackLatestRoundData)
	if err != nil || latest.RoundId.Int64() != 4 || latest.Answer.Cmp(price("2900")) != 0 ||
		latest.StartedAt.Cmp(lastStarted) != 0 || latest.UpdatedAt.Int64() != 12345 {
		t.Fatalf("latestRoundData = %+v (%v)", latest, err)
	}
	if m := e.market(); m.IndexPrice.Cmp(wad("2900")) != 0 {
		t.Fatalf("venue index %s, want 2900e18", m.IndexPrice)
	}
	for _, id := range []int64{0, 5, 1 << 40} {
		_, err := bind.Call(e.feed, nil, feedABI.PackGetRoundData(big.NewInt(id)), feedABI.UnpackGetRoundData)
		expectRevert(t, err, "NoData")
	}
	stranger := e.traders[0]
	expectRevert(t, e.try(stranger, e.feed, feedABI.PackPushAnswer(price("1"))), "NotOwner")
	expectRevert(t, e.try(stranger, e.feed, feedABI.PackPushAnswerAt(price("1"), big.NewInt(1))), "NotOwner")
}

// ---- helpers ----

type env struct {
	t                             *testing.T
	sim                           *simulated.Backend
	client                        simulated.Client
	owner                         *bind.TransactOpts
	traders                       []*bind.TransactOpts
	usdc, feed, venue             *bind.BoundContract
	usdcAddr, feedAddr, venueAddr common.Address
}

// newEnv deploys USDC, an ETH/USD feed at 3000 and a venue with one ETH
// market, and funds four traders with 10M USDC each (the venue holds 10M too).
func newEnv(t *testing.T) *env {
	t.Helper()
	keys := make([]*ecdsa.PrivateKey, 5)
	alloc := types.GenesisAlloc{}
	for i := range keys {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1e6), oneWad)}
	}
	sim := simulated.NewBackend(alloc)
	t.Cleanup(func() { _ = sim.Close() })
	e := &env{t: t, sim: sim, client: sim.Client()}
	for i, k := range keys {
		opts := bind.NewKeyedTransactor(k, big.NewInt(1337))
		if i == 0 {
			e.owner = opts
		} else {
			e.traders = append(e.traders, opts)
		}
	}
	e.usdcAddr = e.deploy(contracts.TestTokenMetaData.Bin, tokenABI.PackConstructor("USD Coin", "USDC", 6))
	e.feedAddr = e.deploy(contracts.PriceFeedMetaData.Bin, feedABI.PackConstructor(8, "ETH / USD", price("3000")))
	e.venueAddr = e.deploy(contracts.PerpVenueMetaData.Bin, venueABI.PackConstructor(e.usdcAddr))
	e.usdc = tokenABI.Instance(e.client, e.usdcAddr)
	e.feed = feedABI.Instance(e.client, e.feedAddr)
	e.venue = venueABI.Instance(e.client, e.venueAddr)
	e.send(e.owner, e.venue, venueABI.PackAddMarket("ETH", e.feedAddr, defaultParams()))
	e.send(e.owner, e.usdc, tokenABI.PackMint(e.venueAddr, usdc("10000000")))
	for _, tr := range e.traders {
		e.send(e.owner, e.usdc, tokenABI.PackMint(tr.From, usdc("10000000")))
		e.send(tr, e.usdc, tokenABI.PackApprove(e.venueAddr, maxUint()))
	}
	return e
}

func (e *env) deploy(bin string, input []byte) common.Address {
	e.t.Helper()
	addr, tx, err := bind.DeployContract(e.owner, common.FromHex(bin), e.client, input)
	if err != nil {
		e.t.Fatalf("deploy: %v", err)
	}
	e.sim.Commit()
	e.receipt(tx)
	return addr
}

// send transacts, mines and requires a successful receipt.
func (e *env) send(from *bind.TransactOpts, c *bind.BoundContract, data []byte) *types.Receipt {
	e.t.Helper()
	tx, err := e.transact(from, c, data)
	if err != nil {
		e.t.Fatalf("transact: %v", describe(err))
	}
	e.sim.Commit()
	return e.receipt(tx)
}

// try transacts and returns the error (a revert surfaces from gas estimation).
func (e *env) try(from *bind.TransactOpts, c *bind.BoundContract, data []byte) error {
	e.t.Helper()
	tx, err := e.transact(from, c, data)
	if err != nil {
		return err
	}
	e.sim.Commit()
	e.receipt(tx)
	return nil
}

// transact estimates with bind, then sends with generous headroom: bind
// estimates at the head's timestamp, where funding needs no accrual, while
// the mined transaction accrues. chain.TxManager estimates as the next block
// instead (see TestEstimateCoversAccrual in hedge/onchain).
func (e *env) transact(from *bind.TransactOpts, c *bind.BoundContract, data []byte) (*types.Transaction, error) {
	opts := *from
	opts.NoSend = true
	tx, err := bind.Transact(c, &opts, data)
	if err != nil {
		return nil, err
	}
	opts.NoSend = false
	opts.GasLimit = tx.Gas() + 300_000
	return bind.Transact(c, &opts, data)
}

func (e *env) receipt(tx *types.Transaction) *types.Receipt {
	e.t.Helper()
	r, err := e.client.TransactionReceipt(context.Background(), tx.Hash())
	if err != nil {
		e.t.Fatalf("receipt: %v", err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("tx %s failed", tx.Hash())
	}
	return r
}

func (e *env) deposit(who *bind.TransactOpts, amount *big.Int) {
	e.t.Helper()
	e.send(who, e.venue, venueABI.PackDeposit(mkt, amount))
}

// trade modifies who's position with no slippage limit.
func (e *env) trade(who *bind.TransactOpts, delta *big.Int) *types.Receipt {
	e.t.Helper()
	acceptable := new(big.Int)
	if delta.Sign() > 0 {
		acceptable = maxUint()
	}
	return e.send(who, e.venue, venueABI.PackModifyPosition(mkt, delta, acceptable))
}

func (e *env) setPrice(usd string) {
	e.t.Helper()
	e.send(e.owner, e.feed, feedABI.PackPushAnswer(price(usd)))
}

func (e *env) market() contracts.PerpVenueMarketView {
	return call(e, e.venue, venueABI.PackGetMarket(mkt), venueABI.UnpackGetMarket)
}

func (e *env) pos(who *bind.TransactOpts) contracts.PerpVenuePositionView {
	return call(e, e.venue, venueABI.PackGetPosition(who.From, mkt), venueABI.UnpackGetPosition)
}

func (e *env) fill(delta *big.Int) *big.Int {
	return call(e, e.venue, venueABI.PackFillPrice(mkt, delta), venueABI.UnpackFillPrice)
}

func (e *env) feePool() *big.Int {
	return call(e, e.venue, venueABI.PackFeePool(), venueABI.UnpackFeePool)
}

func (e *env) bal(a common.Address) *big.Int {
	return call(e, e.usdc, tokenABI.PackBalanceOf(a), tokenABI.UnpackBalanceOf)
}

func (e *env) now() uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

func (e *env) blockTime(r *types.Receipt) uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), r.BlockNumber)
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

// call runs a view and fails the test on error.
func call[T any](e *env, c *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) T {
	e.t.Helper()
	v, err := bind.Call(c, nil, data, unpack)
	if err != nil {
		e.t.Fatalf("call: %v", describe(err))
	}
	return v
}

// event returns the first log of r that unpacks as the event, or nil.
func event[T any](r *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	for _, l := range r.Logs {
		if ev, err := unpack(l); err == nil {
			return ev
		}
	}
	return nil
}

func mustEvent[T any](t *testing.T, r *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	t.Helper()
	ev := event(r, unpack)
	if ev == nil {
		var zero T
		t.Fatalf("no %T event in tx %s", zero, r.TxHash)
	}
	return ev
}

// errorNames maps custom error selectors of all the contracts to their names.
var errorNames = func() map[[4]byte]string {
	names := map[[4]byte]string{}
	for _, a := range []abi.ABI{venueABI.GetABI(), feedABI.GetABI(), tokenABI.GetABI(), contracts.NewStakedToken().GetABI()} {
		for name, e := range a.Errors {
			names[[4]byte(e.ID[:4])] = name
		}
	}
	return names
}()

func revertData(err error) ([]byte, bool) {
	var de interface{ ErrorData() any }
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil, false
	}
	data, derr := hexutil.Decode(s)
	return data, derr == nil && len(data) >= 4
}

func describe(err error) string {
	if data, ok := revertData(err); ok {
		if name, ok := errorNames[[4]byte(data[:4])]; ok {
			return fmt.Sprintf("%v [%s]", err, name)
		}
	}
	return err.Error()
}

// expectRevert requires err to be a revert with the named custom error and
// returns the raw revert data (selector + args).
func expectRevert(t *testing.T, err error, name string) []byte {
	t.Helper()
	if err == nil {
		t.Fatalf("expected revert %s, call succeeded", name)
	}
	data, ok := revertData(err)
	if !ok {
		t.Fatalf("expected revert %s, got %v", name, err)
	}
	if got := errorNames[[4]byte(data[:4])]; got != name {
		t.Fatalf("expected revert %s, got %q (%x)", name, got, data)
	}
	return data
}

// dec parses a decimal string into an integer with the given decimals.
func dec(s string, decimals int) *big.Int {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > decimals {
		panic("too many decimals: " + s)
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", decimals-len(frac)), 10)
	if !ok {
		panic("bad number: " + s)
	}
	if neg {
		v.Neg(v)
	}
	return v
}

func wad(s string) *big.Int   { return dec(s, 18) }
func usdc(s string) *big.Int  { return dec(s, 6) }
func price(s string) *big.Int { return dec(s, 8) }

func maxUint() *big.Int          { return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)) }
func add(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
func sub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
func mul(a, b *big.Int) *big.Int { return new(big.Int).Mul(a, b) }
func quo(a, b *big.Int) *big.Int { return new(big.Int).Quo(a, b) } // truncates toward zero, like Solidity

// markFrom mirrors PerpVenue._markFrom.
func markFrom(index, skew, skewScale *big.Int) *big.Int {
	premium := quo(mul(skew, oneWad), skewScale)
	return quo(mul(index, add(oneWad, premium)), oneWad)
}

// fundingDelta mirrors the index increment of PerpVenue._currentIndex.
func fundingDelta(rate, index, dt *big.Int) *big.Int {
	return quo(mul(quo(mul(rate, index), oneWad), dt), day)
}

// accrued is the holder-side funding for size over an index move.
func accrued(size, dIdx *big.Int) *big.Int {
	return quo(mul(new(big.Int).Neg(size), dIdx), oneWad)
}

func approx(t *testing.T, what string, got, want, tol *big.Int) {
	t.Helper()
	if d := sub(got, want); d.CmpAbs(tol) > 0 {
		t.Errorf("%s = %s, want %s ± %s", what, got, want, tol)
	}
}

// TestStakedToken: the wstETH-like token counts in its underlying through
// stEthPerToken (1e18-scaled), which only the owner sets and never to 0;
// it is still a plain ERC-20 for balances.
func TestStakedToken(t *testing.T) {
	e := newEnv(t)
	lst := contracts.NewStakedToken()
	addr := e.deploy(contracts.StakedTokenMetaData.Bin, lst.PackConstructor("Wrapped staked ETH", "wstETH", wad("1.15")))
	c := lst.Instance(e.client, addr)
	rate := func() *big.Int { return call(e, c, lst.PackStEthPerToken(), lst.UnpackStEthPerToken) }
	if r := rate(); r.Cmp(wad("1.15")) != 0 {
		t.Fatalf("initial rate %s, want 1.15e18", r)
	}
	holder := e.traders[0]
	e.send(e.owner, c, lst.PackMint(holder.From, wad("2")))
	if b := call(e, c, lst.PackBalanceOf(holder.From), lst.UnpackBalanceOf); b.Cmp(wad("2")) != 0 {
		t.Fatalf("balance %s", b)
	}
	if u := call(e, c, lst.PackGetStETHByWstETH(wad("2")), lst.UnpackGetStETHByWstETH); u.Cmp(wad("2.3")) != 0 {
		t.Fatalf("2 wstETH = %s underlying, want 2.3e18", u)
	}
	r := e.send(e.owner, c, lst.PackSetRate(wad("1.2")))
	ev := mustEvent(t, r, lst.UnpackRateUpdatedEvent)
	if ev.PreviousRate.Cmp(wad("1.15")) != 0 || ev.NewRate.Cmp(wad("1.2")) != 0 || rate().Cmp(wad("1.2")) != 0 {
		t.Fatalf("RateUpdated %+v, rate %s", ev, rate())
	}
	if w := call(e, c, lst.PackGetWstETHByStETH(wad("2.4")), lst.UnpackGetWstETHByStETH); w.Cmp(wad("2")) != 0 {
		t.Fatalf("2.4 underlying = %s wstETH, want 2e18", w)
	}
	expectRevert(t, e.try(holder, c, lst.PackSetRate(wad("5"))), "NotOwner")
	expectRevert(t, e.try(e.owner, c, lst.PackSetRate(big.NewInt(0))), "ZeroRate")
	expectRevert(t, e.try(holder, c, lst.PackMint(holder.From, wad("1"))), "NotOwner")
}
