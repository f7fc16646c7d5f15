package gmx

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts/gmx"
)

// Event is one GMX protocol event (EventEmitter EventLog1/EventLog2) with
// its data flattened into maps by item key.
type Event struct {
	Name    string
	Topic1  common.Hash    // the request key for order and deposit events
	Account common.Address // topic2 of EventLog2 (the account), zero for EventLog1
	Block   uint64
	TxHash  common.Hash

	Addresses map[string]common.Address
	Uints     map[string]*big.Int
	Ints      map[string]*big.Int
	Bools     map[string]bool
	Bytes32   map[string]common.Hash
	Bytes     map[string][]byte
	Strings   map[string]string
}

var eventLog1Topic, eventLog2Topic = func() (common.Hash, common.Hash) {
	a, err := gmx.EventEmitterMetaData.ParseABI()
	if err != nil {
		panic(err) // generated ABI; cannot fail
	}
	return a.Events["EventLog1"].ID, a.Events["EventLog2"].ID
}()

// DecodeEvents returns the GMX events among logs (those from the book's
// EventEmitter), in log order.
func DecodeEvents(b *Book, logs []*types.Log) ([]Event, error) {
	var out []Event
	for _, l := range logs {
		if l.Address != b.Contracts.EventEmitter || len(l.Topics) == 0 {
			continue
		}
		var e Event
		var data gmx.EventUtilsEventLogData
		switch l.Topics[0] {
		case eventLog1Topic:
			ev, err := eventEmitterABI.UnpackEventLog1Event(l)
			if err != nil {
				return nil, fmt.Errorf("decoding EventLog1 in %s: %w", l.TxHash.Hex(), err)
			}
			e.Name, e.Topic1, data = ev.EventName, ev.Topic1, ev.EventData
		case eventLog2Topic:
			ev, err := eventEmitterABI.UnpackEventLog2Event(l)
			if err != nil {
				return nil, fmt.Errorf("decoding EventLog2 in %s: %w", l.TxHash.Hex(), err)
			}
			e.Name, e.Topic1, data = ev.EventName, ev.Topic1, ev.EventData
			e.Account = common.BytesToAddress(ev.Topic2[:])
		default:
			continue
		}
		e.Block, e.TxHash = l.BlockNumber, l.TxHash
		e.fill(data)
		out = append(out, e)
	}
	return out, nil
}

func (e *Event) fill(d gmx.EventUtilsEventLogData) {
	e.Addresses, e.Uints, e.Ints, e.Bools = map[string]common.Address{}, map[string]*big.Int{}, map[string]*big.Int{}, map[string]bool{}
	e.Bytes32, e.Bytes, e.Strings = map[string]common.Hash{}, map[string][]byte{}, map[string]string{}
	for _, it := range d.AddressItems.Items {
		e.Addresses[it.Key] = it.Value
	}
	for _, it := range d.UintItems.Items {
		e.Uints[it.Key] = it.Value
	}
	for _, it := range d.IntItems.Items {
		e.Ints[it.Key] = it.Value
	}
	for _, it := range d.BoolItems.Items {
		e.Bools[it.Key] = it.Value
	}
	for _, it := range d.Bytes32Items.Items {
		e.Bytes32[it.Key] = it.Value
	}
	for _, it := range d.BytesItems.Items {
		e.Bytes[it.Key] = it.Value
	}
	for _, it := range d.StringItems.Items {
		e.Strings[it.Key] = it.Value
	}
}

// OrderStatus is where an order stands after its events.
type OrderStatus int

const (
	OrderCreated OrderStatus = iota + 1
	OrderExecuted
	OrderCancelled
	OrderFrozen
)

func (s OrderStatus) String() string {
	switch s {
	case OrderCreated:
		return "created"
	case OrderExecuted:
		return "executed"
	case OrderCancelled:
		return "cancelled"
	case OrderFrozen:
		return "frozen"
	}
	return "unknown"
}

// Fill is what a position increase or decrease did (PositionIncrease /
// PositionDecrease). Prices are GMX units (USD per smallest index unit
// ×1e30), USD amounts ×1e30, collateral in collateral-token units.
type Fill struct {
	Increase              bool
	ExecutionPrice        *big.Int
	SizeDeltaUSD          *big.Int
	SizeDeltaInTokens     *big.Int
	CollateralDeltaAmount *big.Int // signed
	// PriceImpactUSD is signed (negative costs the trader). On an increase
	// GMX defers it (pendingPriceImpactUsd, realised pro rata on decreases);
	// on a decrease it is the impact of this decrease.
	PriceImpactUSD *big.Int
	// TotalImpactUSD (decreases) adds the realised share of the pending
	// impact of earlier increases.
	TotalImpactUSD *big.Int
	BasePnlUSD     *big.Int // decreases only; signed
}

// Fees are what PositionFeesCollected charged, in collateral-token units.
type Fees struct {
	PositionFeeAmount  *big.Int
	BorrowingFeeAmount *big.Int
	FundingFeeAmount   *big.Int
	TotalCostAmount    *big.Int
}

// OrderOutcome gathers the events of one order key.
type OrderOutcome struct {
	Key    common.Hash
	Status OrderStatus
	Reason string // cancelled/frozen: the decoded reason, as a sentence
	Fill   *Fill
	Fees   *Fees
	Block  uint64
	TxHash common.Hash
}

// OrderOutcomes folds events into one outcome per order key (the latest
// status wins: a created-then-executed order reads executed).
func OrderOutcomes(evs []Event) map[common.Hash]*OrderOutcome {
	out := map[common.Hash]*OrderOutcome{}
	get := func(k common.Hash) *OrderOutcome {
		o, ok := out[k]
		if !ok {
			o = &OrderOutcome{Key: k}
			out[k] = o
		}
		return o
	}
	for _, e := range evs {
		switch e.Name {
		case "OrderCreated", "OrderExecuted", "OrderCancelled", "OrderFrozen":
			o := get(e.Topic1)
			o.Block, o.TxHash = e.Block, e.TxHash
			switch e.Name {
			case "OrderCreated":
				o.Status = OrderCreated
			case "OrderExecuted":
				o.Status = OrderExecuted
			case "OrderCancelled":
				o.Status, o.Reason = OrderCancelled, e.Reason()
			case "OrderFrozen":
				o.Status, o.Reason = OrderFrozen, e.Reason()
			}
		case "PositionIncrease", "PositionDecrease":
			k, ok := e.Bytes32["orderKey"]
			if !ok {
				continue
			}
			inc := e.Name == "PositionIncrease"
			f := &Fill{
				Increase:              inc,
				ExecutionPrice:        e.Uints["executionPrice"],
				SizeDeltaUSD:          e.Uints["sizeDeltaUsd"],
				SizeDeltaInTokens:     e.Uints["sizeDeltaInTokens"],
				CollateralDeltaAmount: firstInt(e.Ints["collateralDeltaAmount"], e.Uints["collateralDeltaAmount"]),
				PriceImpactUSD:        e.Ints["priceImpactUsd"],
				TotalImpactUSD:        e.Ints["totalImpactUsd"],
				BasePnlUSD:            e.Ints["basePnlUsd"],
			}
			if inc {
				f.PriceImpactUSD = e.Ints["pendingPriceImpactUsd"]
			}
			get(k).Fill = f
		case "PositionFeesCollected":
			k, ok := e.Bytes32["orderKey"]
			if !ok {
				continue
			}
			get(k).Fees = &Fees{
				PositionFeeAmount:  e.Uints["positionFeeAmount"],
				BorrowingFeeAmount: e.Uints["borrowingFeeAmount"],
				FundingFeeAmount:   e.Uints["fundingFeeAmount"],
				TotalCostAmount:    e.Uints["totalCostAmount"],
			}
		}
	}
	return out
}

func firstInt(xs ...*big.Int) *big.Int {
	for _, x := range xs {
		if x != nil {
			return x
		}
	}
	return nil
}

// Reason is the decoded cancel/freeze reason of an OrderCancelled or
// OrderFrozen event: reasonBytes decoded with GMX's errors into a sentence;
// bytes no error matches are printed as hex.
func (e Event) Reason() string {
	if rb, ok := e.Bytes["reasonBytes"]; ok && len(rb) > 0 {
		return ExplainError(rb)
	}
	if r := e.Strings["reason"]; r != "" {
		return r
	}
	return "no reason given"
}

var (
	errorsOnce sync.Once
	errorsABI  *abi.ABI
	errorSigs  map[[4]byte]string
	allABIs    []*abi.ABI
)

func loadErrors() {
	if a, err := gmx.GmxErrorsMetaData.ParseABI(); err == nil {
		errorsABI = a
	}
	for _, md := range []*struct{ p func() (*abi.ABI, error) }{
		{gmx.GmxErrorsMetaData.ParseABI}, {gmx.ExchangeRouterMetaData.ParseABI}, {gmx.OrderHandlerMetaData.ParseABI},
		{gmx.DepositHandlerMetaData.ParseABI}, {gmx.DataStoreMetaData.ParseABI}, {gmx.MintableTokenMetaData.ParseABI},
	} {
		if a, err := md.p(); err == nil {
			allABIs = append(allABIs, a)
		}
	}
	errorSigs = map[[4]byte]string{}
	for _, line := range strings.Split(fixtureErrors, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		sel, err := hex.DecodeString(trim0x(f[0]))
		if err != nil || len(sel) != 4 {
			continue
		}
		errorSigs[[4]byte(sel)] = f[2]
	}
}

// ABIs are the GMX ABIs whose custom errors chain.TxManager should decode.
func ABIs() []*abi.ABI {
	errorsOnce.Do(loadErrors)
	return allABIs
}

// plain-language meaning of the cancel reasons a hedger meets; the decoded
// error with its arguments follows.
var errorMeaning = map[string]string{
	"OrderNotFulfillableAtAcceptablePrice":               "the price moved past the order's acceptable price",
	"InsufficientCollateralUsd":                          "the collateral left would be below GMX's minimum for this size",
	"InsufficientCollateralAmount":                       "the collateral left would be below GMX's minimum",
	"InsufficientReserve":                                "the pool has not enough liquidity reserved for this position size",
	"InsufficientReserveForOpenInterest":                 "the pool has not enough liquidity for more open interest",
	"MaxOpenInterestExceeded":                            "the market's open interest cap is reached",
	"LiquidatablePosition":                               "the position would be liquidatable after the order",
	"InsufficientExecutionFee":                           "the execution fee is below what the keeper needs at this gas price",
	"DisabledFeature":                                    "GMX has disabled this order type on the market",
	"DisabledMarket":                                     "GMX has disabled the market",
	"OracleTimestampsAreLargerThanRequestExpirationTime": "the order expired before a keeper executed it",
	"MinPositionSize":                                    "the position would be below GMX's minimum size",
	"PositionNotFound":                                   "there is no position to decrease",
}

// ExplainError turns GMX revert/reason bytes into one line: the meaning (for
// the errors a hedger meets), then Name(arg=value, ...); an unknown selector
// is given with its signature from errors.tsv when known, else as hex.
func ExplainError(data []byte) string {
	errorsOnce.Do(loadErrors)
	if len(data) < 4 {
		return "undecodable reason 0x" + hex.EncodeToString(data)
	}
	decoded := ""
	if errorsABI != nil {
		decoded = chain.DecodeRevertData(data, errorsABI)
	}
	if decoded == "" || strings.HasPrefix(decoded, "unknown revert") {
		if sig, ok := errorSigs[[4]byte(data[:4])]; ok {
			decoded = sig + " (arguments 0x" + hex.EncodeToString(data[4:]) + ")"
		} else {
			return "undecodable reason 0x" + hex.EncodeToString(data)
		}
	}
	name := decoded
	if i := strings.IndexAny(name, "( "); i > 0 {
		name = name[:i]
	}
	if m, ok := errorMeaning[name]; ok {
		return m + ": " + decoded
	}
	return decoded
}

// ctx2revert replays a reverted transaction as a call on the latest state to
// recover its revert reason.
func ctx2revert(ctx context.Context, c *chain.Client, from common.Address, tx *types.Transaction, _ *types.Receipt) string {
	msg := ethereum.CallMsg{From: from, To: tx.To(), Gas: tx.Gas(), Value: tx.Value(), Data: tx.Data()}
	_, err := c.Eth.CallContract(ctx, msg, nil)
	if err == nil {
		return "reverted (replay succeeded; reason unknown)"
	}
	return chain.DecodeRevert(err, ABIs()...)
}
