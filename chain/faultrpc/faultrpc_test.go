package faultrpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/hedger/hedger/chain"
	"github.com/hedger/hedger/chain/faultrpc"
)

// env is the embedded chain served over real HTTP, a proxy in front of it,
// a client through the proxy and one straight to the node.
type env struct {
	t       *testing.T
	emb     *chain.Embedded
	proxy   *faultrpc.Proxy
	via     *rpc.Client // through the proxy
	viaEth  *ethclient.Client
	direct  *rpc.Client
	dirEth  *ethclient.Client
	sender  common.Address
	signer  types.Signer
	accts   []common.Address // funded with distinct balances
	chainID *big.Int
}

var testKey, _ = crypto.HexToECDSA("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sender := crypto.PubkeyToAddress(testKey.PublicKey)
	alloc := types.GenesisAlloc{sender: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}}
	var accts []common.Address
	for i := 1; i <= 6; i++ {
		a := common.BigToAddress(big.NewInt(int64(0x1000 + i)))
		accts = append(accts, a)
		alloc[a] = types.Account{Balance: big.NewInt(int64(i) * 1_000_000)}
	}
	addr := freeAddr(t)
	emb, err := chain.NewEmbedded(alloc, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	p, err := faultrpc.New("http://"+addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	via, err := rpc.Dial(p.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(via.Close)
	direct, err := rpc.Dial("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(direct.Close)
	e := &env{t: t, emb: emb, proxy: p, via: via, viaEth: ethclient.NewClient(via), direct: direct,
		dirEth: ethclient.NewClient(direct), sender: sender, accts: accts, chainID: emb.ChainID}
	e.signer = types.LatestSignerForChainID(e.chainID)
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// tx signs a fresh transfer (nonce from the node, not from the proxy).
func (e *env) tx() *types.Transaction {
	e.t.Helper()
	n, err := e.dirEth.PendingNonceAt(ctx(e.t), e.sender)
	if err != nil {
		e.t.Fatal(err)
	}
	tx, err := types.SignNewTx(testKey, e.signer, &types.DynamicFeeTx{
		ChainID: e.chainID, Nonce: n, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e11), Gas: 21000,
		To: &e.accts[0], Value: big.NewInt(1),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tx
}

// nodeHas reports whether the node knows hash (pending or mined).
func (e *env) nodeHas(hash common.Hash) bool {
	e.t.Helper()
	_, _, err := e.dirEth.TransactionByHash(ctx(e.t), hash)
	return err == nil
}

func (e *env) mine(n int) {
	for i := 0; i < n; i++ {
		e.emb.Backend.Commit()
	}
}

func (e *env) head() uint64 {
	e.t.Helper()
	n, err := e.dirEth.BlockNumber(ctx(e.t))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) wantCount(kind faultrpc.Kind, method string, n int) {
	e.t.Helper()
	if got := e.proxy.Injected(kind); got != n {
		e.t.Errorf("Injected(%s) = %d, want %d (%s)", kind, got, n, e.proxy.Stats())
	}
	if method != "" {
		if got := e.proxy.InjectedFor(kind, method); got != n {
			e.t.Errorf("InjectedFor(%s, %s) = %d, want %d", kind, method, got, n)
		}
	}
}

// balances reads the balances of e.accts in one batch through the proxy.
func (e *env) batchBalances() ([]*big.Int, []rpc.BatchElem, error) {
	elems := make([]rpc.BatchElem, len(e.accts))
	res := make([]hexutil.Big, len(e.accts))
	for i, a := range e.accts {
		elems[i] = rpc.BatchElem{Method: "eth_getBalance", Args: []any{a, "latest"}, Result: &res[i]}
	}
	err := e.via.BatchCallContext(ctx(e.t), elems)
	out := make([]*big.Int, len(res))
	for i := range res {
		out[i] = (*big.Int)(&res[i])
	}
	return out, elems, err
}

func wantBalance(i int) *big.Int { return big.NewInt(int64(i+1) * 1_000_000) }

func TestTransparent(t *testing.T) {
	e := newEnv(t)
	e.mine(2)
	n, err := e.viaEth.BlockNumber(ctx(t))
	if err != nil || n != e.head() {
		t.Fatalf("block number through the proxy %d (%v), node %d", n, err, e.head())
	}
	bals, _, err := e.batchBalances()
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bals {
		if b.Cmp(wantBalance(i)) != 0 {
			t.Errorf("balance %d = %s, want %s", i, b, wantBalance(i))
		}
	}
	tx := e.tx()
	if err := e.viaEth.SendTransaction(ctx(t), tx); err != nil {
		t.Fatal(err)
	}
	st := e.proxy.Stats()
	if st.Total() != 0 || st.Calls["eth_getBalance"] != len(e.accts) || st.Calls["eth_sendRawTransaction"] != 1 || st.HTTPRequests != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestDropRequest(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.DropRequest, Methods: []string{"eth_sendRawTransaction"}, Count: 1})
	tx := e.tx()
	err := e.viaEth.SendTransaction(ctx(t), tx)
	if err == nil {
		t.Fatal("send through a dropped request succeeded")
	}
	t.Logf("client saw: %v", err)
	if e.nodeHas(tx.Hash()) {
		t.Error("the node got a request the proxy dropped")
	}
	e.wantCount(faultrpc.DropRequest, "eth_sendRawTransaction", 1)
	// Count 1: the retry goes through.
	if err := e.viaEth.SendTransaction(ctx(t), tx); err != nil {
		t.Fatalf("second send: %v", err)
	}
	if !e.nodeHas(tx.Hash()) {
		t.Error("second send did not reach the node")
	}
	e.wantCount(faultrpc.DropRequest, "eth_sendRawTransaction", 1)
}

func TestDropResponse(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.DropResponse, Methods: []string{"eth_sendRawTransaction"}})
	tx := e.tx()
	err := e.viaEth.SendTransaction(ctx(t), tx)
	if err == nil {
		t.Fatal("send with a dropped response reported success")
	}
	t.Logf("client saw: %v", err)
	if !e.nodeHas(tx.Hash()) {
		t.Fatal("the transaction did not reach the node")
	}
	e.mine(1)
	r, err := e.dirEth.TransactionReceipt(ctx(t), tx.Hash())
	if err != nil || r.Status != 1 {
		t.Fatalf("receipt %v %v", r, err)
	}
	e.wantCount(faultrpc.DropResponse, "eth_sendRawTransaction", 1)
	// Other methods are untouched.
	if _, err := e.viaEth.BlockNumber(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.wantCount(faultrpc.DropResponse, "", 1)
}

func TestDelay(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.Delay, Methods: []string{"eth_blockNumber"}, Delay: 50 * time.Millisecond, Count: 2})
	for i := 0; i < 3; i++ {
		if _, err := e.viaEth.BlockNumber(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	e.wantCount(faultrpc.Delay, "eth_blockNumber", 2)
	// A client that gives up before the delay ends sees an error.
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.Delay, Delay: time.Hour})
	c, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := e.viaEth.BlockNumber(c); err == nil {
		t.Error("a call held for an hour answered")
	}
	e.wantCount(faultrpc.Delay, "eth_blockNumber", 3)
}

func TestHTTP5xx(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(
		faultrpc.Rule{Kind: faultrpc.HTTP5xx, Methods: []string{"eth_sendRawTransaction"}, Forward: true, Status: 502, Count: 1},
		faultrpc.Rule{Kind: faultrpc.HTTP5xx, Methods: []string{"eth_blockNumber"}},
	)
	_, err := e.viaEth.BlockNumber(ctx(t))
	var he rpc.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Fatalf("eth_blockNumber: %v, want an HTTP 503", err)
	}
	tx := e.tx()
	err = e.viaEth.SendTransaction(ctx(t), tx)
	if !errors.As(err, &he) || he.StatusCode != 502 {
		t.Fatalf("send: %v, want an HTTP 502", err)
	}
	if !e.nodeHas(tx.Hash()) {
		t.Error("Forward: the node did not get the transaction")
	}
	e.wantCount(faultrpc.HTTP5xx, "", 2)
	if got := e.proxy.InjectedFor(faultrpc.HTTP5xx, "eth_sendRawTransaction"); got != 1 {
		t.Errorf("InjectedFor(http_5xx, eth_sendRawTransaction) = %d", got)
	}
}

func TestRPCError(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.RPCError, Methods: []string{"eth_sendRawTransaction"}, Code: -32000, Message: "injected", Count: 1},
		faultrpc.Rule{Kind: faultrpc.RPCError, Methods: []string{"eth_getBalance"}, Match: func(c faultrpc.Call) bool { return c.Index%2 == 1 }})
	tx := e.tx()
	err := e.viaEth.SendTransaction(ctx(t), tx)
	var re rpc.Error
	if !errors.As(err, &re) || re.ErrorCode() != -32000 || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("send: %v, want JSON-RPC error -32000", err)
	}
	if e.nodeHas(tx.Hash()) {
		t.Error("an errored call was forwarded")
	}
	// In a batch only the matching elements (odd positions) fail; the others
	// are answered by the node.
	bals, elems, err := e.batchBalances()
	if err != nil {
		t.Fatal(err)
	}
	for i, el := range elems {
		switch {
		case i%2 == 1 && el.Error == nil:
			t.Errorf("element %d: no error", i)
		case i%2 == 0 && (el.Error != nil || bals[i].Cmp(wantBalance(i)) != 0):
			t.Errorf("element %d: %v %s", i, el.Error, bals[i])
		}
	}
	if got := e.proxy.InjectedFor(faultrpc.RPCError, "eth_getBalance"); got != len(elems)/2 {
		t.Errorf("InjectedFor(rpc_error, eth_getBalance) = %d, want %d", got, len(elems)/2)
	}
	if got := e.proxy.Injected(faultrpc.RPCError); got != 2 {
		t.Errorf("Injected(rpc_error) = %d, want 2", got)
	}
}

func TestTruncate(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.Truncate, Methods: []string{"eth_sendRawTransaction", "eth_getBalance"}})
	tx := e.tx()
	if err := e.viaEth.SendTransaction(ctx(t), tx); err == nil {
		t.Fatal("send with a truncated answer succeeded")
	} else {
		t.Logf("client saw: %v", err)
	}
	if !e.nodeHas(tx.Hash()) {
		t.Error("the node did not get the transaction")
	}
	if _, _, err := e.batchBalances(); err == nil {
		t.Error("batch with a truncated answer succeeded")
	}
	if got := e.proxy.InjectedFor(faultrpc.Truncate, "eth_sendRawTransaction"); got != 1 {
		t.Errorf("InjectedFor(truncate, eth_sendRawTransaction) = %d, want 1", got)
	}
	if got := e.proxy.Injected(faultrpc.Truncate); got != 2 {
		t.Errorf("Injected(truncate) = %d, want 2", got)
	}
	if got := e.proxy.InjectedFor(faultrpc.Truncate, "eth_getBalance"); got != len(e.accts) {
		t.Errorf("InjectedFor(truncate, eth_getBalance) = %d, want %d", got, len(e.accts))
	}
}

func TestStaleHead(t *testing.T) {
	e := newEnv(t)
	// A transfer in the last block, so that state differs across the lag.
	if err := e.dirEth.SendTransaction(ctx(t), e.tx()); err != nil {
		t.Fatal(err)
	}
	e.mine(1)
	e.mine(4)
	real := e.head()
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: 3})
	n, err := e.viaEth.BlockNumber(ctx(t))
	if err != nil || n != real-3 {
		t.Fatalf("eth_blockNumber through the proxy: %d (%v), want %d", n, err, real-3)
	}
	h, err := e.viaEth.HeaderByNumber(ctx(t), nil)
	if err != nil || h.Number.Uint64() != real-3 {
		t.Fatalf("latest header through the proxy: %v (%v), want %d", h, err, real-3)
	}
	// Explicit numbers are served as asked.
	h, err = e.viaEth.HeaderByNumber(ctx(t), new(big.Int).SetUint64(real))
	if err != nil || h.Number.Uint64() != real {
		t.Fatalf("header %d through the proxy: %v (%v)", real, h, err)
	}
	// A batch mixing eth_blockNumber with other calls.
	var num hexutil.Uint64
	var bal hexutil.Big
	elems := []rpc.BatchElem{
		{Method: "eth_getBalance", Args: []any{e.accts[2], "latest"}, Result: &bal},
		{Method: "eth_blockNumber", Result: &num},
	}
	if err := e.via.BatchCallContext(ctx(t), elems); err != nil || elems[0].Error != nil || elems[1].Error != nil {
		t.Fatalf("batch: %v %v %v", err, elems[0].Error, elems[1].Error)
	}
	if uint64(num) != real-3 || (*big.Int)(&bal).Cmp(wantBalance(2)) != 0 {
		t.Errorf("batch: block %d balance %s; want %d and %s", num, (*big.Int)(&bal), real-3, wantBalance(2))
	}
	st := e.proxy.Stats()
	if st.ByMethod[faultrpc.StaleHead]["eth_blockNumber"] != 2 || st.ByMethod[faultrpc.StaleHead]["eth_getBlockByNumber"] != 1 {
		t.Errorf("stale counts %v", st.ByMethod[faultrpc.StaleHead])
	}
	if st.Faults[faultrpc.StaleHead] != 3 {
		t.Errorf("Injected(stale_head) = %d, want 3 (requests changed)", st.Faults[faultrpc.StaleHead])
	}
	// StaleState: "latest" reads are served at the lagging block too; the
	// transfer 5 blocks back is seen with lag 3, not with lag 6.
	got := func() *big.Int {
		b, err := e.viaEth.BalanceAt(ctx(t), e.accts[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: 3, StaleState: true})
	if b := got(); b.Cmp(new(big.Int).Add(wantBalance(0), big.NewInt(1))) != 0 {
		t.Errorf("balance with lag 3: %s, want %s+1", b, wantBalance(0))
	}
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.StaleHead, Lag: 6, StaleState: true})
	if b := got(); b.Cmp(wantBalance(0)) != 0 {
		t.Errorf("balance with lag 6: %s, want %s (before the transfer)", b, wantBalance(0))
	}
}

// rawBatch posts a batch of eth_getBalance calls with ids 1..n to the proxy
// and returns the ids in the order of the answer.
func rawBatch(t *testing.T, url string, accts []common.Address) []int {
	t.Helper()
	var calls []map[string]any
	for i, a := range accts {
		calls = append(calls, map[string]any{"jsonrpc": "2.0", "id": i + 1, "method": "eth_getBalance", "params": []any{a, "latest"}})
	}
	body, _ := json.Marshal(calls)
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var answers []struct {
		ID     int             `json:"id"`
		Result hexutil.Big     `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &answers); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	var ids []int
	for _, a := range answers {
		if len(a.Error) == 0 && (*big.Int)(&a.Result).Cmp(wantBalance(a.ID-1)) != 0 {
			t.Errorf("answer id %d carries %s, want %s", a.ID, (*big.Int)(&a.Result), wantBalance(a.ID-1))
		}
		ids = append(ids, a.ID)
	}
	return ids
}

func TestReorderBatch(t *testing.T) {
	e := newEnv(t)
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.ReorderBatch})
	ids := rawBatch(t, e.proxy.URL(), e.accts)
	inOrder := true
	for i, id := range ids {
		if id != i+1 {
			inOrder = false
		}
	}
	if inOrder || len(ids) != len(e.accts) {
		t.Errorf("answer ids %v: want all %d, out of order", ids, len(e.accts))
	}
	// A single call is never "reordered".
	if _, err := e.viaEth.BlockNumber(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// The go-ethereum client matches answers by id.
	bals, elems, err := e.batchBalances()
	if err != nil {
		t.Fatal(err)
	}
	for i := range elems {
		if elems[i].Error != nil || bals[i].Cmp(wantBalance(i)) != 0 {
			t.Errorf("element %d: %v %s, want %s", i, elems[i].Error, bals[i], wantBalance(i))
		}
	}
	e.wantCount(faultrpc.ReorderBatch, "", 2)
	if got := e.proxy.InjectedFor(faultrpc.ReorderBatch, "eth_getBalance"); got != 2*len(e.accts) {
		t.Errorf("InjectedFor(reorder_batch, eth_getBalance) = %d", got)
	}
}

func TestSplitBatch(t *testing.T) {
	for _, asErrors := range []bool{false, true} {
		name := "missing"
		if asErrors {
			name = "errors"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.SplitBatch, AsErrors: asErrors})
			if ids := rawBatch(t, e.proxy.URL(), e.accts); !asErrors && (len(ids) == 0 || len(ids) >= len(e.accts)) {
				t.Errorf("split answer has %d of %d elements", len(ids), len(e.accts))
			}
			bals, elems, err := e.batchBalances()
			if err != nil {
				t.Fatal(err)
			}
			failed := 0
			for i := range elems {
				if elems[i].Error != nil {
					failed++
					var re rpc.Error
					if asErrors != errors.As(elems[i].Error, &re) {
						t.Errorf("element %d: error %v (as JSON-RPC error: %v)", i, elems[i].Error, asErrors)
					}
					continue
				}
				if bals[i].Cmp(wantBalance(i)) != 0 {
					t.Errorf("element %d: %s, want %s", i, bals[i], wantBalance(i))
				}
			}
			if failed == 0 || failed == len(elems) {
				t.Errorf("%d of %d elements failed; want some, not all", failed, len(elems))
			}
			e.wantCount(faultrpc.SplitBatch, "", 2)
			if n := e.proxy.Stats().ByMethod[faultrpc.SplitBatch]["eth_getBalance"]; n < failed+1 {
				t.Errorf("InjectedFor(split_batch, eth_getBalance) = %d, want ≥ %d", n, failed+1)
			}
		})
	}
}

// TestSchedule checks Skip, Every, Count and Prob, and that a seed
// reproduces the same faults.
func TestSchedule(t *testing.T) {
	e := newEnv(t)
	pattern := func(rules ...faultrpc.Rule) string {
		e.proxy.SetRules(rules...)
		var b strings.Builder
		for i := 0; i < 20; i++ {
			if _, err := e.viaEth.BlockNumber(ctx(t)); err != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	rpcErr := faultrpc.Rule{Kind: faultrpc.RPCError, Methods: []string{"eth_blockNumber"}}
	r := rpcErr
	r.Skip, r.Every, r.Count = 2, 3, 4
	if got, want := pattern(r), "..x..x..x..x........"; got != want {
		t.Errorf("Skip 2 Every 3 Count 4: %s, want %s", got, want)
	}
	r = rpcErr
	r.Prob = 0.3
	e.proxy.Seed(42)
	a := pattern(r)
	e.proxy.Seed(42)
	if b := pattern(r); a != b || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("Prob 0.3 with seed 42: %s then %s; want the same mix twice", a, b)
	}
	r = rpcErr
	r.Methods = []string{"eth_chainId"}
	if got := pattern(r); strings.Contains(got, "x") {
		t.Errorf("a rule for eth_chainId hit eth_blockNumber: %s", got)
	}
	e.proxy.Pause(true)
	if got := pattern(rpcErr); strings.Contains(got, "x") {
		t.Errorf("paused proxy injected: %s", got)
	}
}

// TestOnRequest: the hook sees every HTTP request, numbered from 1 across
// ResetStats and Pause, and runs before the request is forwarded, so a block
// it mines is already in the answer of the request that triggered it.
func TestOnRequest(t *testing.T) {
	e := newEnv(t)
	var seen []uint64
	e.proxy.OnRequest(func(n uint64) {
		seen = append(seen, n)
		if n%3 == 0 {
			e.mine(1)
		}
	})
	start := e.head()
	var heads []uint64
	for i := 0; i < 7; i++ {
		if i == 4 {
			e.proxy.ResetStats()
			e.proxy.Pause(true)
		}
		h, err := e.viaEth.BlockNumber(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		heads = append(heads, h-start)
	}
	if got, want := fmt.Sprint(seen), "[1 2 3 4 5 6 7]"; got != want {
		t.Errorf("hook saw %s, want %s", got, want)
	}
	// Requests 3 and 6 mined before they were answered.
	if got, want := fmt.Sprint(heads), "[0 0 1 1 1 2 2]"; got != want {
		t.Errorf("heads seen %s, want %s", got, want)
	}
	e.proxy.OnRequest(nil)
	if _, err := e.viaEth.BlockNumber(ctx(t)); err != nil || len(seen) != 7 {
		t.Errorf("after OnRequest(nil): err %v, hook calls %d, want 7", err, len(seen))
	}
}

// TestClientReadThroughFaults runs chain.Client.Read (the batched snapshot
// read) through reordered and split batch answers: a reordered answer must
// decode to the right values, a split one must be an error naming the
// calls, never a value assigned to the wrong call.
func TestClientReadThroughFaults(t *testing.T) {
	e := newEnv(t)
	c, err := chain.Dial(ctx(t), e.proxy.URL(), chain.DialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	read := func() ([]*big.Int, error) {
		var b chain.Batch
		out := make([]*big.Int, len(e.accts))
		for i, a := range e.accts {
			out[i] = new(big.Int)
			b.Balance(a, out[i])
		}
		return out, c.Read(ctx(t), &b, nil)
	}
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.ReorderBatch})
	for round := 0; round < 5; round++ {
		got, err := read()
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Cmp(wantBalance(i)) != 0 {
				t.Fatalf("reordered batch: balance %d = %s, want %s", i, got[i], wantBalance(i))
			}
		}
	}
	for _, asErrors := range []bool{false, true} {
		e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.SplitBatch, AsErrors: asErrors})
		_, err := read()
		if err == nil || !strings.Contains(err.Error(), "eth_getBalance #") {
			t.Errorf("split batch (errors %v): %v, want an error naming the calls", asErrors, err)
		}
	}
	if e.proxy.Injected(faultrpc.ReorderBatch) != 5 || e.proxy.Injected(faultrpc.SplitBatch) != 2 {
		t.Errorf("stats %s", e.proxy.Stats())
	}
}

// TestDialRequestTimeout: a node that takes a request and never answers
// (DropRequest held for an hour) fails the call after the client's request
// timeout; a command whose context has no deadline does not hang.
func TestDialRequestTimeout(t *testing.T) {
	e := newEnv(t)
	c, err := chain.Dial(ctx(t), e.proxy.URL(), chain.DialOptions{RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	e.proxy.SetRules(faultrpc.Rule{Kind: faultrpc.DropRequest, Methods: []string{"eth_getBlockByNumber"}, Delay: time.Hour})
	done := make(chan error, 1)
	go func() { _, err := c.Head(context.Background()); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a request the proxy never answered succeeded")
		}
		t.Logf("client saw: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("a request the proxy never answered hung the client (no request timeout)")
	}
	e.wantCount(faultrpc.DropRequest, "eth_getBlockByNumber", 1)
}
