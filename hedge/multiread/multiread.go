// Package multiread reads many contract calls and native balances from one
// chain in as few round trips as the node allows, all at one block. It uses
// Multicall3 where the chain has it (one eth_call carries many reads and holds
// each read's failure apart) and a JSON-RPC batch otherwise, and it honours
// the node's batch limit: a node that answers "batch too large", or drops part
// of a batch, gets the rest again in smaller batches instead of failing.
package multiread

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/contracts"
)

// Multicall3 is Multicall3's address on every chain it is deployed to (the
// same deployer key and nonce everywhere).
var Multicall3 = common.HexToAddress("0xcA11bde05977b3631167028862bE2a173976CA11")

// DefaultLimit is geth's default --rpc.batch-request-limit.
const DefaultLimit = 1000

// DefaultMaxRequestBytes keeps a request under anvil's 2 MiB body limit,
// the smallest common one (geth allows 5 MiB).
const DefaultMaxRequestBytes = 1536 << 10

// DefaultCallsPerMulticall bounds the reads in one aggregate3 call so that it
// stays far below the nodes' eth_call gas cap (50M on geth): a balanceOf costs
// under 10k gas even cold.
const DefaultCallsPerMulticall = 500

// Item is one read: an eth_call of Data on To, or (Balance) the native balance of To.
type Item struct {
	To      common.Address
	Data    []byte
	Balance bool
}

// Result is one read's answer. Err is set when that read alone failed (a
// revert, a missing contract answering empty data is not an error here); the
// other results stand.
type Result struct {
	Data    []byte
	Balance *big.Int
	Err     error
}

// Caller is the connection a Reader reads through: the caller's own
// (*rpc.Client, or chain's *Client), so a chain is read over the one
// connection the rest of hedger already has to it. The Reader never closes it.
type Caller interface {
	CallContext(ctx context.Context, result any, method string, args ...any) error
	BatchCallContext(ctx context.Context, elems []rpc.BatchElem) error
}

// Reader reads one chain. The zero value is not usable: set RPC.
type Reader struct {
	RPC   Caller
	Label string // names the chain in errors, e.g. "chain 42161"
	// Limit is the most items sent in one JSON-RPC batch (0: DefaultLimit).
	// It shrinks by itself when the node proves to allow fewer.
	Limit int
	// Multicall, when set, is the Multicall3 the reads go through.
	Multicall *common.Address
	// CallsPerMulticall bounds one aggregate3 (0: DefaultCallsPerMulticall).
	CallsPerMulticall int
	// MaxRequestBytes bounds the size of one HTTP request body (0:
	// DefaultMaxRequestBytes): nodes cap it too (anvil at 2 MiB, geth at 5 MiB).
	MaxRequestBytes int

	learned    atomic.Int64 // limit learned from the node, 0 = none
	roundTrips atomic.Int64
}

// RoundTrips is the number of requests sent to the node so far.
func (r *Reader) RoundTrips() int64 { return r.roundTrips.Load() }

// EffectiveLimit is the batch limit in force: the configured one, or the
// smaller one the node has shown.
func (r *Reader) EffectiveLimit() int {
	l := r.Limit
	if l <= 0 {
		l = DefaultLimit
	}
	if k := int(r.learned.Load()); k > 0 && k < l {
		l = k
	}
	return l
}

// Detect looks for Multicall3 at its canonical address and uses it when it
// has code (one round trip, once per chain at start).
func (r *Reader) Detect(ctx context.Context) error {
	var code hexutil.Bytes
	r.roundTrips.Add(1)
	if err := r.RPC.CallContext(ctx, &code, "eth_getCode", Multicall3, "latest"); err != nil {
		return r.fail("checking for Multicall3", err)
	}
	if len(code) > 0 {
		a := Multicall3
		r.Multicall = &a
	} else {
		r.Multicall = nil
	}
	return nil
}

// Read answers items in order, all at one block: block when given, else the
// head. It returns the block the answers come from. An error means the chain
// could not be read as a whole (down, refusing, inconsistent); it is one
// short line naming the chain.
func (r *Reader) Read(ctx context.Context, items []Item, block *big.Int) ([]Result, uint64, error) {
	if r.Multicall != nil {
		return r.readMulticall(ctx, items, block)
	}
	return r.readBatch(ctx, items, block)
}

func (r *Reader) readBatch(ctx context.Context, items []Item, block *big.Int) ([]Result, uint64, error) {
	if block == nil {
		// A JSON-RPC batch has no way to pin "latest" across its items, so
		// the head is read first and every item is pinned to its number.
		var n hexutil.Uint64
		r.roundTrips.Add(1)
		if err := r.RPC.CallContext(ctx, &n, "eth_blockNumber"); err != nil {
			return nil, 0, r.fail("reading the head", err)
		}
		block = new(big.Int).SetUint64(uint64(n))
	}
	tag := hexutil.EncodeBig(block)
	elems := make([]rpc.BatchElem, len(items))
	for i, it := range items {
		if it.Balance {
			elems[i] = rpc.BatchElem{Method: "eth_getBalance", Args: []any{it.To, tag}, Result: new(hexutil.Big)}
		} else {
			args := map[string]any{"to": it.To, "input": hexutil.Bytes(it.Data)}
			elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{args, tag}, Result: new(hexutil.Bytes)}
		}
	}
	if err := r.send(ctx, elems); err != nil {
		return nil, 0, err
	}
	out := make([]Result, len(items))
	for i, e := range elems {
		if e.Error != nil {
			out[i].Err = shortErr(e.Error)
			continue
		}
		switch v := e.Result.(type) {
		case *hexutil.Big:
			out[i].Balance = (*big.Int)(v)
		case *hexutil.Bytes:
			out[i].Data = *v
		}
	}
	return out, block.Uint64(), nil
}

var mr = contracts.NewMultiRead()

func (r *Reader) readMulticall(ctx context.Context, items []Item, block *big.Int) ([]Result, uint64, error) {
	per := r.CallsPerMulticall
	if per <= 0 {
		per = DefaultCallsPerMulticall
	}
	mc := *r.Multicall
	type chunk struct{ from, to int }
	var chunks []chunk
	for s := 0; s < len(items) || (s == 0 && len(chunks) == 0); s += per {
		chunks = append(chunks, chunk{s, min(s+per, len(items))})
	}
	build := func(tag string) []rpc.BatchElem {
		elems := make([]rpc.BatchElem, len(chunks))
		for ci, c := range chunks {
			calls := []contracts.MultiReadCall3{{Target: mc, AllowFailure: false, CallData: mr.PackGetBlockNumber()}}
			for _, it := range items[c.from:c.to] {
				if it.Balance {
					calls = append(calls, contracts.MultiReadCall3{Target: mc, AllowFailure: true, CallData: mr.PackGetEthBalance(it.To)})
				} else {
					calls = append(calls, contracts.MultiReadCall3{Target: it.To, AllowFailure: true, CallData: it.Data})
				}
			}
			args := map[string]any{"to": mc, "input": hexutil.Bytes(mr.PackAggregate3(calls))}
			elems[ci] = rpc.BatchElem{Method: "eth_call", Args: []any{args, tag}, Result: new(hexutil.Bytes)}
		}
		return elems
	}
	tag := "latest"
	if block != nil {
		tag = hexutil.EncodeBig(block)
	}
	for attempt := 0; ; attempt++ {
		elems := build(tag)
		if err := r.send(ctx, elems); err != nil {
			return nil, 0, err
		}
		out := make([]Result, len(items))
		var at uint64
		same := true
		for ci, e := range elems {
			if e.Error != nil {
				return nil, 0, r.fail("aggregate3", e.Error)
			}
			res, err := mr.UnpackAggregate3(*e.Result.(*hexutil.Bytes))
			c := chunks[ci]
			if err != nil || len(res) != c.to-c.from+1 {
				return nil, 0, r.fail("aggregate3", fmt.Errorf("unexpected answer (%d results for %d calls)", len(res), c.to-c.from+1))
			}
			n, err := mr.UnpackGetBlockNumber(res[0].ReturnData)
			if err != nil {
				return nil, 0, r.fail("aggregate3 block number", err)
			}
			if ci == 0 {
				at = n.Uint64()
			} else if n.Uint64() != at {
				same = false
				at = max(at, n.Uint64())
			}
			for k, x := range res[1:] {
				i := c.from + k
				switch {
				case !x.Success:
					out[i].Err = errors.New("call reverted")
				case items[i].Balance:
					b, err := mr.UnpackGetEthBalance(x.ReturnData)
					if err != nil {
						out[i].Err = err
					}
					out[i].Balance = b
				default:
					out[i].Data = x.ReturnData
				}
			}
		}
		if same {
			return out, at, nil
		}
		if attempt > 0 {
			return nil, 0, r.fail("aggregate3", fmt.Errorf("answers from different blocks even when pinned to %d", at))
		}
		// The calls at "latest" straddled a new block: read again, pinned
		// to the newest one seen.
		tag = hexutil.EncodeUint64(at)
	}
}

// send sends elems in batches of at most the effective limit. Elements the
// node refused for the batch's size, or left out of its answer, are sent again
// in smaller batches, and the smaller limit is kept for later reads.
func (r *Reader) send(ctx context.Context, elems []rpc.BatchElem) error {
	pending := make([]int, len(elems))
	for i := range pending {
		pending[i] = i
	}
	for guard := 0; len(pending) > 0; guard++ {
		if guard > 64+len(elems) {
			return r.fail("batch read", errors.New("the node keeps dropping parts of batches"))
		}
		limit := r.EffectiveLimit()
		n := min(limit, len(pending))
		budget := r.MaxRequestBytes
		if budget <= 0 {
			budget = DefaultMaxRequestBytes
		}
		size := 0
		for k, i := range pending[:n] {
			size += elemSize(elems[i])
			if size > budget && k > 0 {
				n = k
				break
			}
		}
		chunk := make([]rpc.BatchElem, n)
		for k, i := range pending[:n] {
			e := elems[i]
			e.Error = nil
			chunk[k] = e
		}
		r.roundTrips.Add(1)
		err := r.RPC.BatchCallContext(ctx, chunk)
		if err != nil {
			if n > 1 && (tooLarge(err) || (size > bodyCutoff && cutOff(err))) {
				r.learn(rungBelow(n))
				continue
			}
			return r.fail("batch read", err)
		}
		var again []int
		answered := 0
		for k, i := range pending[:n] {
			elems[i].Error = chunk[k].Error
			if tooLarge(chunk[k].Error) {
				again = append(again, i)
			} else {
				answered++
			}
		}
		if len(again) > 0 {
			if n == 1 {
				return r.fail("batch read", errors.New("the node refuses even a one-call batch"))
			}
			if answered > 0 {
				r.learn(answered) // the node's cap is what it answered
			} else {
				r.learn(rungBelow(n))
			}
		}
		pending = append(again, pending[n:]...)
	}
	return nil
}

// rungs are the batch limits nodes and providers commonly set; a refused
// batch is retried at the next rung down, so a node capped at 100 costs three
// refused round trips once (1000, 500, 200) and then exactly ceil(items/100).
var rungs = []int{1000, 500, 200, 100, 50, 20, 10, 5, 2, 1}

func rungBelow(n int) int {
	for _, r := range rungs {
		if r < n {
			return r
		}
	}
	return 1
}

// elemSize estimates an element's bytes in the request body.
func elemSize(e rpc.BatchElem) int {
	n := 120
	if len(e.Args) > 0 {
		if m, ok := e.Args[0].(map[string]any); ok {
			if b, ok := m["input"].(hexutil.Bytes); ok {
				n += 2 * len(b)
			}
		}
	}
	return n
}

// bodyCutoff is the request size above which a connection the node closes
// while the body is still being written counts as "too large": anvil (2 MiB)
// and proxies close the socket on an oversized body before answering, so the
// client sees a broken pipe or a reset instead of the 413 or error object.
const bodyCutoff = 1 << 20

// cutOff reports a connection closed under a request being sent.
func cutOff(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

func (r *Reader) learn(limit int) {
	r.learned.Store(int64(max(1, limit)))
}

// tooLarge reports whether err says the batch was too big or incomplete, as
// opposed to the read itself failing.
func tooLarge(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, rpc.ErrMissingBatchResponse) {
		return true
	}
	// Some nodes answer a batch they refuse (too many calls, too many
	// bytes) with one error object instead of an array.
	if strings.Contains(err.Error(), "cannot unmarshal object into Go value of type []*rpc.jsonrpcMessage") {
		return true
	}
	var he rpc.HTTPError
	if errors.As(err, &he) && he.StatusCode == http.StatusRequestEntityTooLarge {
		return true
	}
	m := strings.ToLower(err.Error())
	if strings.HasPrefix(m, "execution reverted") {
		return false // a contract's own revert text, whatever it says
	}
	return strings.Contains(m, "batch too large") || strings.Contains(m, "response too large") ||
		(strings.Contains(m, "batch") && (strings.Contains(m, "limit") || strings.Contains(m, "too many") || strings.Contains(m, "exceed")))
}

func (r *Reader) fail(what string, err error) error {
	label := r.Label
	if label == "" {
		label = "chain"
	}
	return fmt.Errorf("%s: %s: %w", label, what, shortErr(err))
}

// shortErr keeps an error to its first line and 160 characters: a node's
// answer to a large batch can carry the whole batch's text.
func shortErr(err error) error {
	if err == nil {
		return nil
	}
	s := redactURLs(err.Error())
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	if s == err.Error() {
		return err
	}
	return &short{msg: s, err: err}
}

var urlRe = regexp.MustCompile(`(?i)\b(https?|wss?)://(?:[^/\s"'@]*@)?([^/\s"'?#]+)[^\s"']*`)

// redactURLs keeps scheme and host of every URL: Go's transport errors quote
// the whole URL, and RPC providers put API keys in its path.
func redactURLs(s string) string { return urlRe.ReplaceAllString(s, "$1://$2") }

type short struct {
	msg string
	err error
}

func (s *short) Error() string { return s.msg }
func (s *short) Unwrap() error { return s.err }

// Short is err as one line of at most 160 characters with every URL cut to
// scheme and host.
func Short(err error) error { return shortErr(err) }
