package chain

import (
	"context"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// Fees are the EIP-1559 caps the manager would use now.
type Fees struct {
	TipCap, FeeCap, BaseFee *big.Int
}

// SuggestFees reads the base fee of the head and the node's tip suggestion;
// the fee cap allows the base fee to double before the transaction stalls.
func (m *TxManager) SuggestFees(ctx context.Context) (Fees, error) {
	head, err := m.head(ctx)
	if err != nil {
		return Fees{}, err
	}
	tip, err := m.b.SuggestGasTipCap(ctx)
	if err != nil {
		return Fees{}, fmt.Errorf("reading the gas tip: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	return Fees{TipCap: tip, FeeCap: feeCap, BaseFee: base}, nil
}

// initialFees are the node's suggestion, held to MaxFeeCap. A cap below the
// base fee could never be mined: that is refused before anything is signed.
func (m *TxManager) initialFees(ctx context.Context) (Fees, error) {
	fees, err := m.SuggestFees(ctx)
	if err != nil {
		return Fees{}, err
	}
	if m.cfg.MaxFeeCap == nil {
		return fees, nil
	}
	if m.cfg.MaxFeeCap.Cmp(fees.BaseFee) < 0 {
		return Fees{}, &wrapped{fmt.Sprintf("the maximum fee %s gwei is below the current base fee %s gwei: the transaction could not be mined; nothing sent",
			gweiExact(m.cfg.MaxFeeCap), gweiExact(fees.BaseFee)), errFeeCapBelowBase}
	}
	if fees.FeeCap.Cmp(m.cfg.MaxFeeCap) > 0 {
		fees.FeeCap = new(big.Int).Set(m.cfg.MaxFeeCap)
	}
	if fees.TipCap.Cmp(fees.FeeCap) > 0 {
		fees.TipCap = new(big.Int).Set(fees.FeeCap)
	}
	return fees, nil
}

func (m *TxManager) legacyPrice(ctx context.Context) (*big.Int, error) {
	p, err := m.b.SuggestGasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the gas price: %w", err)
	}
	if m.cfg.MaxFeeCap == nil || p.Cmp(m.cfg.MaxFeeCap) <= 0 {
		return p, nil
	}
	head, err := m.head(ctx)
	if err != nil {
		return nil, err
	}
	if head.BaseFee != nil && m.cfg.MaxFeeCap.Cmp(head.BaseFee) < 0 {
		return nil, &wrapped{fmt.Sprintf("the maximum fee %s gwei is below the current base fee %s gwei: the transaction could not be mined; nothing sent",
			gweiExact(m.cfg.MaxFeeCap), gweiExact(head.BaseFee)), errFeeCapBelowBase}
	}
	return new(big.Int).Set(m.cfg.MaxFeeCap), nil
}

func gweiExact(wei *big.Int) string { return decimal.NewFromBigInt(wei, -9).String() }

// bump110 is x + 10%, rounded up.
func bump110(x *big.Int) *big.Int {
	v := new(big.Int).Mul(x, big.NewInt(110))
	v.Add(v, big.NewInt(99))
	return v.Div(v, big.NewInt(100))
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

// bumpFees returns replacement EIP-1559 caps: at least +10% on both, at least
// the suggestion, at most limit (nil: none). ok is false when +10% would
// already pass the limit.
func bumpFees(oldTip, oldCap, sugTip, sugCap, limit *big.Int) (tip, feeCap *big.Int, ok bool) {
	minTip, minCap := bump110(oldTip), bump110(oldCap)
	tip, feeCap = maxBig(minTip, sugTip), maxBig(minCap, sugCap)
	if feeCap.Cmp(tip) < 0 {
		feeCap = new(big.Int).Set(tip)
	}
	if limit == nil || feeCap.Cmp(limit) <= 0 {
		return tip, feeCap, true
	}
	if minCap.Cmp(limit) > 0 || minTip.Cmp(limit) > 0 {
		return nil, nil, false
	}
	feeCap = new(big.Int).Set(limit)
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
	}
	return tip, feeCap, true
}

// bumpPrice is bumpFees for a legacy gas price.
func bumpPrice(old, sug, limit *big.Int) (*big.Int, bool) {
	p := maxBig(bump110(old), sug)
	if limit == nil || p.Cmp(limit) <= 0 {
		return p, true
	}
	if bump110(old).Cmp(limit) > 0 {
		return nil, false
	}
	return new(big.Int).Set(limit), true
}

// wrapped is an error with its own message that matches a marker.
type wrapped struct {
	msg    string
	marker error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.marker }
