package gmx

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/contracts/gmx"
)

// Order types (Order.OrderType in gmx-synthetics).
const (
	OrderMarketSwap     uint8 = 0
	OrderLimitSwap      uint8 = 1
	OrderMarketIncrease uint8 = 2
	OrderLimitIncrease  uint8 = 3
	OrderMarketDecrease uint8 = 4
	OrderLimitDecrease  uint8 = 5
)

var (
	dataStoreABI      = gmx.NewDataStore()
	readerABI         = gmx.NewReader()
	orderHandlerABI   = gmx.NewOrderHandler()
	depositHandlerABI = gmx.NewDepositHandler()
	exchangeRouterABI = gmx.NewExchangeRouter()
	eventEmitterABI   = gmx.NewEventEmitter()
	tokenABI          = gmx.NewMintableToken()
	feedABI           = gmx.NewMockPriceFeed()
)

// DefaultKeeperGas is the keeper's fixed gas limit: executeOrder needs
// ~2.2–2.7M with no gas-limit config and must leave GMX's
// minHandleExecutionErrorGas (1.2M) plus the configured order gas limit, so
// it is not estimated (an estimate can find the limit where the order is
// cancelled for lack of gas instead of executed).
const DefaultKeeperGas = 12_000_000

// Keeper executes pending market orders and deposits on a local GMX with
// prices it signs itself, as GMX's keepers do. It signs its transactions
// with the keeper account (ORDER_KEEPER) of the book.
type Keeper struct {
	Client *chain.Client
	Book   *Book
	Prices PriceSource
	// Delay is how many blocks after the block a request was first seen in
	// the keeper waits before executing it (rehearses slow keepers).
	Delay    uint64
	GasLimit uint64 // default DefaultKeeperGas
	Logf     func(format string, args ...any)

	key    *chain.KeySigner
	oracle *OracleSigner
	seen   map[[32]byte]uint64
}

// NewKeeper makes a keeper for a local book (one with keeper and oracle keys).
func NewKeeper(c *chain.Client, b *Book, prices PriceSource) (*Keeper, error) {
	if b.Local == nil {
		return nil, fmt.Errorf("keeper: chain %d is not a local GMX (no keeper keys in its book)", b.ChainID)
	}
	ks, err := chain.ParsePrivateKey(b.Local.KeeperKey)
	if err != nil {
		return nil, fmt.Errorf("keeper key: %w", err)
	}
	if len(b.Local.OracleSigners) == 0 {
		return nil, errors.New("keeper: the book has no oracle signer")
	}
	ok, err := crypto.HexToECDSA(trim0x(b.Local.OracleSigners[0]))
	if err != nil {
		return nil, errors.New("keeper: bad oracle signer key in the book")
	}
	return &Keeper{
		Client: c, Book: b, Prices: prices, key: ks,
		oracle: &OracleSigner{Key: ok, Index: 0, ChainID: c.ChainID.Uint64()},
		seen:   map[[32]byte]uint64{},
	}, nil
}

// Address is the keeper account.
func (k *Keeper) Address() common.Address { return k.key.Address() }

// Signer is the keeper account's signer (it also holds CONTROLLER on the
// fixture; devnet helpers use it for configuration).
func (k *Keeper) Signer() chain.Signer { return k.key }

// Execution is one request the keeper handled.
type Execution struct {
	Key     common.Hash
	Kind    string // "order" or "deposit"
	Receipt *types.Receipt
	Events  []Event // GMX events of the receipt
}

// Once handles every pending market order and deposit that is due: seen at
// least Delay blocks ago and not past its request expiration (those are left
// for the user to cancel). Limit orders are left alone.
func (k *Keeper) Once(ctx context.Context) ([]Execution, error) {
	head, err := k.Client.Head(ctx)
	if err != nil {
		return nil, err
	}
	ds := k.Book.Contracts.DataStore
	var orderKeys, depositKeys [][32]byte
	var expiry *big.Int
	var b chain.Batch
	b.Call(ds, dataStoreABI.PackGetBytes32ValuesAt(KeyOrderList, big.NewInt(0), big.NewInt(1000)), func(out []byte) (err error) {
		orderKeys, err = dataStoreABI.UnpackGetBytes32ValuesAt(out)
		return err
	})
	b.Call(ds, dataStoreABI.PackGetBytes32ValuesAt(KeyDepositList, big.NewInt(0), big.NewInt(1000)), func(out []byte) (err error) {
		depositKeys, err = dataStoreABI.UnpackGetBytes32ValuesAt(out)
		return err
	})
	b.Call(ds, dataStoreABI.PackGetUint(KeyRequestExpirationTime), func(out []byte) (err error) {
		expiry, err = dataStoreABI.UnpackGetUint(out)
		return err
	})
	if err := k.Client.Read(ctx, &b, head.Number); err != nil {
		return nil, fmt.Errorf("keeper: reading pending requests: %w", err)
	}
	orders := make([]gmx.OrderProps, len(orderKeys))
	deposits := make([]gmx.DepositProps, len(depositKeys))
	var b2 chain.Batch
	for i, key := range orderKeys {
		b2.Call(k.Book.Contracts.Reader, readerABI.PackGetOrder(ds, key), func(out []byte) (err error) {
			orders[i], err = readerABI.UnpackGetOrder(out)
			return err
		})
	}
	for i, key := range depositKeys {
		b2.Call(k.Book.Contracts.Reader, readerABI.PackGetDeposit(ds, key), func(out []byte) (err error) {
			deposits[i], err = readerABI.UnpackGetDeposit(out)
			return err
		})
	}
	if b2.Len() > 0 {
		if err := k.Client.Read(ctx, &b2, head.Number); err != nil {
			return nil, fmt.Errorf("keeper: reading requests: %w", err)
		}
	}
	var done []Execution
	due := func(key [32]byte, updatedAt *big.Int) bool {
		first, ok := k.seen[key]
		if !ok {
			first = head.Number.Uint64()
			k.seen[key] = first
		}
		if head.Number.Uint64() < first+k.Delay {
			return false
		}
		if expiry != nil && expiry.Sign() > 0 && head.Time > updatedAt.Uint64()+expiry.Uint64() {
			k.logf("keeper: request %x is past its expiration; left for the user to cancel", key[:4])
			return false
		}
		return true
	}
	for i, key := range depositKeys {
		d := deposits[i]
		if !due(key, d.Numbers.UpdatedAtTime) {
			continue
		}
		ex, err := k.execute(ctx, "deposit", key, d.Addresses.Market, head)
		if err != nil {
			return done, err
		}
		done = append(done, ex)
	}
	for i, key := range orderKeys {
		o := orders[i]
		switch o.Numbers.OrderType {
		case OrderMarketIncrease, OrderMarketDecrease, OrderMarketSwap:
		default:
			continue
		}
		if len(o.Addresses.SwapPath) > 0 {
			k.logf("keeper: order %x has a swap path; not supported, skipped", key[:4])
			continue
		}
		if !due(key, o.Numbers.UpdatedAtTime) {
			continue
		}
		ex, err := k.execute(ctx, "order", key, o.Addresses.Market, head)
		if err != nil {
			return done, err
		}
		done = append(done, ex)
	}
	for key := range k.seen { // forget handled requests
		if !containsKey(orderKeys, key) && !containsKey(depositKeys, key) {
			delete(k.seen, key)
		}
	}
	return done, nil
}

func containsKey(keys [][32]byte, k [32]byte) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func (k *Keeper) execute(ctx context.Context, kind string, key [32]byte, market common.Address, head *types.Header) (Execution, error) {
	m, ok := k.Book.MarketByToken(market)
	var tokens []common.Address
	if ok {
		tokens = uniqueAddrs(m.Index.Address, m.Long.Address, m.Short.Address)
	} else {
		// A market hedger does not offer: ask the chain for its tokens.
		var mp gmx.MarketProps
		var b chain.Batch
		b.Call(k.Book.Contracts.Reader, readerABI.PackGetMarket(k.Book.Contracts.DataStore, market), func(out []byte) (err error) {
			mp, err = readerABI.UnpackGetMarket(out)
			return err
		})
		if err := k.Client.Read(ctx, &b, head.Number); err != nil {
			return Execution{}, fmt.Errorf("keeper: market %s: %w", market.Hex(), err)
		}
		tokens = uniqueAddrs(mp.IndexToken, mp.LongToken, mp.ShortToken)
	}
	params, err := k.oracle.SetPricesParams(tokens, k.Prices, k.Book.Local.GmOracleProvider, head)
	if err != nil {
		return Execution{}, err
	}
	to, data := k.Book.Contracts.OrderHandler, orderHandlerABI.PackExecuteOrder(key, params)
	if kind == "deposit" {
		to, data = k.Book.Contracts.DepositHandler, depositHandlerABI.PackExecuteDeposit(key, params)
	}
	gas := k.GasLimit
	if gas == 0 {
		gas = DefaultKeeperGas
	}
	rcpt, err := SendFixedGas(ctx, k.Client, k.key, to, data, nil, gas)
	if err != nil {
		return Execution{}, fmt.Errorf("keeper: execute %s %x: %w", kind, key[:4], err)
	}
	evs, err := DecodeEvents(k.Book, rcpt.Logs)
	if err != nil {
		return Execution{}, err
	}
	k.logf("keeper: executed %s %x in block %d (gas %d)", kind, key[:4], rcpt.BlockNumber, rcpt.GasUsed)
	return Execution{Key: key, Kind: kind, Receipt: rcpt, Events: evs}, nil
}

// Run calls Once every poll until ctx ends. Errors are logged and retried
// (a keeper tx that reverts leaves the order pending, as on GMX).
func (k *Keeper) Run(ctx context.Context, poll time.Duration) error {
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := k.Once(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			k.logf("%v", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (k *Keeper) logf(format string, args ...any) {
	if k.Logf != nil {
		k.Logf(format, args...)
	}
}

func uniqueAddrs(as ...common.Address) []common.Address {
	var out []common.Address
	for _, a := range as {
		if a == (common.Address{}) || containsAddr(out, a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func containsAddr(as []common.Address, a common.Address) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func trim0x(s string) string {
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		return s[2:]
	}
	return s
}

// SendFixedGas signs and sends a transaction with a fixed gas limit (no
// estimate), mines it on the embedded chain, and waits for the receipt. A
// reverted transaction is an error with the decoded reason. For the
// keeper and devnet helpers only; user transactions go through
// chain.TxManager.
func SendFixedGas(ctx context.Context, c *chain.Client, s chain.Signer, to common.Address, data []byte, value *big.Int, gas uint64) (*types.Receipt, error) {
	head, err := c.Head(ctx)
	if err != nil {
		return nil, err
	}
	tip, err := c.Eth.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, fmt.Errorf("gas tip: %w", err)
	}
	if head.BaseFee == nil {
		return nil, errors.New("the chain has no EIP-1559 base fee; the GMX keeper needs a London chain")
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	nonce, err := c.Eth.PendingNonceAt(ctx, s.Address())
	if err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	if value == nil {
		value = new(big.Int)
	}
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: c.ChainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: &to, Value: value, Data: data})
	signed, err := s.SignTx(ctx, tx, c.ChainID)
	if err != nil {
		return nil, err
	}
	if err := c.Eth.SendTransaction(ctx, signed); err != nil {
		return nil, fmt.Errorf("sending: %s", chain.DecodeRevert(err, ABIs()...))
	}
	if c.URL == "" { // the embedded chain mines only when asked
		if err := c.Mine(ctx); err != nil {
			return nil, err
		}
	}
	rcpt, err := (&chain.TxManager{Client: c}).WaitReceipt(ctx, signed.Hash())
	if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		msg := ctx2revert(ctx, c, s.Address(), signed, rcpt)
		return rcpt, fmt.Errorf("transaction %s reverted: %s", signed.Hash().Hex(), msg)
	}
	return rcpt, nil
}
