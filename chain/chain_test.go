package chain

import (
	"context"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/hedger/hedger/contracts"
)

func newChain(t *testing.T, http bool) (*Embedded, *TxManager) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	addr := ""
	if http {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = l.Addr().String()
		l.Close()
	}
	emb, err := NewEmbedded(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: big.NewInt(1e18)}}, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	tokenABI, _ := contracts.TestTokenMetaData.ParseABI()
	return emb, testTx(Config{Backend: emb.Client, Signer: NewKeySigner(key), ABIs: []*abi.ABI{tokenABI}})
}

func deployToken(t *testing.T, m *TxManager) common.Address {
	t.Helper()
	tok := contracts.NewTestToken()
	rcpt, err := m.Send(context.Background(), TxRequest{
		Data: append(common.FromHex(contracts.TestTokenMetaData.Bin), tok.PackConstructor("T", "T", 6)...)})
	if err != nil {
		t.Fatal(err)
	}
	return rcpt.ContractAddress
}

// A custom error comes back by name with its arguments, and nothing is sent.
func TestSendDecodesCustomError(t *testing.T) {
	emb, m := newChain(t, false)
	addr := deployToken(t, m)
	nonce, _ := emb.PendingNonceAt(context.Background(), m.Address())
	data := contracts.NewTestToken().PackTransferFrom(common.HexToAddress("0x01"), m.Address(), big.NewInt(5))
	_, err := m.Send(context.Background(), TxRequest{To: &addr, Data: data})
	if err == nil || !strings.Contains(err.Error(), "would revert: InsufficientAllowance(allowance=0, needed=5)") {
		t.Fatalf("err = %v", err)
	}
	if after, _ := emb.PendingNonceAt(context.Background(), m.Address()); after != nonce {
		t.Fatalf("nonce moved %d -> %d: a reverting call was sent", nonce, after)
	}
}

// With nobody mining, the receipt wait ends at its timeout with the hash.
func TestReceiptTimeout(t *testing.T) {
	emb, m := newChain(t, false)
	emb.Client.mine = nil
	m.cfg.ReceiptTimeout, m.cfg.PollInterval = 300*time.Millisecond, 50*time.Millisecond
	to := common.HexToAddress("0x02")
	var sent common.Hash
	m.cfg.Sent = func(h common.Hash) { sent = h }
	_, err := m.Send(context.Background(), TxRequest{To: &to, Value: big.NewInt(1)})
	if err == nil || !strings.Contains(err.Error(), "not mined within 300ms") || !strings.Contains(err.Error(), sent.Hex()) {
		t.Fatalf("err = %v (sent %s)", err, sent.Hex())
	}
}

func TestDialPinsChainID(t *testing.T) {
	emb, _ := newChain(t, true)
	ctx := context.Background()
	if _, err := Dial(ctx, "http://"+emb.HTTPAddr, DialOptions{ChainID: 1}); err == nil ||
		!strings.Contains(err.Error(), "wrong chain: node reports chain ID 1337, --chain-id pins 1") {
		t.Fatalf("err = %v", err)
	}
	c, err := Dial(ctx, "http://"+emb.HTTPAddr, DialOptions{ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := Dial(ctx, "http://127.0.0.1:1", DialOptions{}); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeRevertData(t *testing.T) {
	errString := append(common.FromHex("08c379a0"), common.FromHex(
		"0000000000000000000000000000000000000000000000000000000000000020"+
			"0000000000000000000000000000000000000000000000000000000000000004"+
			"6e6f706500000000000000000000000000000000000000000000000000000000")...)
	panic11 := append(common.FromHex("4e487b71"), common.LeftPadBytes([]byte{0x11}, 32)...)
	for _, c := range []struct {
		data []byte
		want string
	}{
		{errString, "nope"},
		{panic11, "arithmetic underflow or overflow"},
		{common.FromHex("deadbeef"), "unknown revert 0xdeadbeef"},
	} {
		if got := DecodeRevertData(c.data); !strings.Contains(got, c.want) {
			t.Errorf("DecodeRevertData(%x) = %q, want %q", c.data, got, c.want)
		}
	}
}

// A batch read pinned to a block carries that block's header in the same
// round trip, and eth_blockNumber (no tag) says where the head is now.
func TestBatchHeaderAndBlockNumber(t *testing.T) {
	emb, m := newChain(t, false)
	deployToken(t, m)
	deployToken(t, m)
	head, err := emb.BlockNumber(context.Background())
	if err != nil || head < 2 {
		t.Fatalf("head %d (%v)", head, err)
	}
	var b Batch
	var hdr *types.Header
	var now hexutil.Uint64
	bal := new(big.Int)
	b.Header(&hdr)
	b.Balance(m.Address(), bal)
	b.BlockNumber(&now)
	pin := new(big.Int).SetUint64(head - 1)
	if err := emb.Read(context.Background(), &b, pin); err != nil {
		t.Fatal(err)
	}
	if hdr == nil || hdr.Number.Cmp(pin) != 0 {
		t.Fatalf("header %v, want block %s", hdr, pin)
	}
	if uint64(now) != head {
		t.Errorf("eth_blockNumber %d, want the head %d", now, head)
	}
	if bal.Sign() <= 0 {
		t.Errorf("balance at block %s: %s", pin, bal)
	}
	if b.Len() != 3 {
		t.Errorf("Len %d, want 3", b.Len())
	}
}
