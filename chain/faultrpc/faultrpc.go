// Package faultrpc is a JSON-RPC HTTP proxy for tests that sits between a
// client (the hedger) and a node (anvil, geth, the embedded chain) and
// injects the failures real networks produce: dropped requests, responses
// lost after the node acted on the request, delays, HTTP 5xx, JSON-RPC error
// objects, truncated bodies, a head lagging behind the chain, and batch
// answers reordered or with elements missing.
//
// Faults are chosen per request by rules: each rule names a fault kind, the
// methods it applies to, and when it fires (every matching request, every
// n-th, the first n after a skip, or with a probability drawn from a seeded
// RNG, so a run is reproducible). Every injection is counted per kind and
// per method, so a test can report exactly what it survived.
//
// The proxy speaks HTTP/1.1 only (what go-ethereum's HTTP client uses).
package faultrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind is a fault kind.
type Kind string

// The fault kinds.
const (
	// DropRequest closes the client's connection without forwarding: the
	// node never sees the request and the client sees a connection reset
	// (after Rule.Delay, if set, which looks like a timeout).
	DropRequest Kind = "drop_request"
	// DropResponse forwards the request, waits for the node's answer and
	// then closes the client's connection: the node acted (a transaction
	// was accepted) but the client never heard.
	DropResponse Kind = "drop_response"
	// Delay holds the request for Rule.Delay, then forwards it normally.
	Delay Kind = "delay"
	// HTTP5xx answers Rule.Status (default 503) with a plain-text body. The
	// request is not forwarded unless Rule.Forward is set (a gateway that
	// times out after the node acted).
	HTTP5xx Kind = "http_5xx"
	// RPCError answers a JSON-RPC error object (Rule.Code, default -32603)
	// instead of forwarding. In a batch, only the matching elements get the
	// error; the others are forwarded and answered.
	RPCError Kind = "rpc_error"
	// Truncate forwards the request and sends back only the first part of
	// the node's body (Rule.Keep bytes, default half), which no longer parses.
	Truncate Kind = "truncate"
	// StaleHead makes the head lag Rule.Lag blocks (default 1): eth_blockNumber
	// answers head−Lag and eth_getBlockByNumber("latest"|"safe"|"finalized")
	// answers that block. With Rule.StaleState, reads tagged "latest"
	// (eth_call, eth_getBalance, eth_getTransactionCount, eth_getCode,
	// eth_getStorageAt) are also served at that block, as a lagging node
	// behind a load balancer would.
	StaleHead Kind = "stale_head"
	// ReorderBatch forwards a batch and answers its elements in another
	// order (JSON-RPC 2.0 lets a server answer a batch in any order).
	ReorderBatch Kind = "reorder_batch"
	// SplitBatch forwards a batch and answers only part of it: some
	// elements (at least one, never all) are left out, or, with
	// Rule.AsErrors, answered with a JSON-RPC error instead.
	SplitBatch Kind = "split_batch"
)

// Kinds lists every fault kind.
var Kinds = []Kind{DropRequest, DropResponse, Delay, HTTP5xx, RPCError, Truncate, StaleHead, ReorderBatch, SplitBatch}

// Call is one JSON-RPC call of a request, as a rule's Match sees it.
type Call struct {
	Method string
	Params json.RawMessage
	Batch  bool // part of a batch
	Index  int  // position in the batch
}

// Rule says when to inject one kind of fault.
type Rule struct {
	Kind Kind
	// Methods the rule applies to; empty means every method. A batch
	// matches when any of its calls matches.
	Methods []string
	// Match, when set, further filters calls (e.g. only a raw transaction
	// calling a given function).
	Match func(Call) bool
	// BatchOnly and SingleOnly restrict the rule to batches or to single calls.
	BatchOnly, SingleOnly bool

	// When it fires, among matching requests: Skip lets the first Skip pass,
	// then every Every-th fires (0 or 1: each one), at most Count times
	// (0: no limit). With Prob > 0 each candidate fires only with that
	// probability, drawn from the proxy's seeded RNG.
	Skip, Every, Count int
	Prob               float64

	Delay      time.Duration // Delay; DropRequest: hold before closing
	Status     int           // HTTP5xx; default 503
	Forward    bool          // HTTP5xx: forward first (the node acts), then answer 5xx
	Code       int           // RPCError; default -32603
	Message    string        // RPCError; default "injected fault"
	Keep       int           // Truncate: bytes kept; default half the body
	Lag        uint64        // StaleHead: blocks behind; default 1
	StaleState bool          // StaleHead: also serve "latest" reads at the lagging block
	AsErrors   bool          // SplitBatch: answer the split-off elements with errors instead of omitting them
}

// Stats are the proxy's counters.
type Stats struct {
	HTTPRequests int            // HTTP requests received
	Calls        map[string]int // JSON-RPC calls received, per method (batch elements count one each)
	Faults       map[Kind]int   // injections per kind (one per request affected)
	// ByMethod counts, per kind, the calls a fault affected, per method: a
	// dropped batch of 7 calls counts each of its 7 methods once.
	ByMethod map[Kind]map[string]int
}

// Total is the number of injections of every kind.
func (s Stats) Total() int {
	n := 0
	for _, v := range s.Faults {
		n += v
	}
	return n
}

// String is one line: total, then kind=count in a stable order.
func (s Stats) String() string {
	var parts []string
	for _, k := range Kinds {
		if s.Faults[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, s.Faults[k]))
		}
	}
	return fmt.Sprintf("%d faults in %d HTTP requests (%s)", s.Total(), s.HTTPRequests, strings.Join(parts, " "))
}

// MethodString lists, per kind, the methods faults hit, e.g.
// "drop_response: eth_sendRawTransaction=3".
func (s Stats) MethodString() string {
	var lines []string
	for _, k := range Kinds {
		m := s.ByMethod[k]
		if len(m) == 0 {
			continue
		}
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		var parts []string
		for _, n := range names {
			parts = append(parts, fmt.Sprintf("%s=%d", n, m[n]))
		}
		lines = append(lines, fmt.Sprintf("%s: %s", k, strings.Join(parts, " ")))
	}
	return strings.Join(lines, "; ")
}

// Add returns the sum of two Stats.
func (s Stats) Add(o Stats) Stats {
	out := Stats{HTTPRequests: s.HTTPRequests + o.HTTPRequests, Calls: map[string]int{}, Faults: map[Kind]int{}, ByMethod: map[Kind]map[string]int{}}
	for _, x := range []Stats{s, o} {
		for k, v := range x.Calls {
			out.Calls[k] += v
		}
		for k, v := range x.Faults {
			out.Faults[k] += v
		}
		for k, m := range x.ByMethod {
			if out.ByMethod[k] == nil {
				out.ByMethod[k] = map[string]int{}
			}
			for n, v := range m {
				out.ByMethod[k][n] += v
			}
		}
	}
	return out
}

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	target   string
	upstream *http.Client
	srv      *http.Server
	ln       net.Listener

	mu        sync.Mutex
	rng       *rand.Rand
	rules     []*ruleState
	stats     Stats
	off       bool
	requests  uint64         // HTTP requests since New (ResetStats leaves it)
	onRequest func(n uint64) // see OnRequest
	hookMu    sync.Mutex     // one onRequest call at a time
}

type ruleState struct {
	Rule
	seen, fired int
}

// New starts a proxy on a free loopback port forwarding to target (an
// http:// JSON-RPC endpoint), with no rules (a transparent proxy) and the
// RNG seeded with seed.
func New(target string, seed int64) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		target:   target,
		upstream: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 16}},
		ln:       ln,
		rng:      rand.New(rand.NewSource(seed)),
	}
	p.resetStatsLocked()
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln)
	return p, nil
}

// URL is the proxy's http:// endpoint.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Close stops the proxy and drops open connections.
func (p *Proxy) Close() error {
	err := p.srv.Close()
	p.upstream.CloseIdleConnections()
	return err
}

// SetRules replaces the rules (and their skip/every/count progress).
// Rules are tried in order; the first that fires decides the request's fault,
// except StaleHead, which applies alongside any other.
func (p *Proxy) SetRules(rules ...Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = p.rules[:0]
	for _, r := range rules {
		p.rules = append(p.rules, &ruleState{Rule: r})
	}
}

// OnRequest sets f (nil: none) to be called with the number n (1, 2, …,
// counted since New) of every HTTP request the proxy receives, before the
// request is looked at or forwarded; calls are serialised and the request
// waits for f. A test paces a chain by the client's requests with it (mine a
// block every k-th request) instead of by the clock, so that what the client
// sees does not depend on how fast the machine is. It runs whether or not
// injection is paused.
func (p *Proxy) OnRequest(f func(n uint64)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onRequest = f
}

// Seed reseeds the RNG.
func (p *Proxy) Seed(seed int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rng = rand.New(rand.NewSource(seed))
}

// Pause turns injection off (true) or back on (false) without losing rules.
func (p *Proxy) Pause(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.off = off
}

// Stats returns a copy of the counters.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{}.Add(p.stats)
}

// ResetStats zeroes the counters.
func (p *Proxy) ResetStats() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resetStatsLocked()
}

func (p *Proxy) resetStatsLocked() {
	p.stats = Stats{Calls: map[string]int{}, Faults: map[Kind]int{}, ByMethod: map[Kind]map[string]int{}}
}

// Injected is the number of injections of kind so far.
func (p *Proxy) Injected(kind Kind) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats.Faults[kind]
}

// InjectedFor is the number of calls of method a fault of kind affected.
func (p *Proxy) InjectedFor(kind Kind, method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats.ByMethod[kind][method]
}

// count records one injection of kind affecting calls.
func (p *Proxy) count(kind Kind, calls []Call) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Faults[kind]++
	m := p.stats.ByMethod[kind]
	if m == nil {
		m = map[string]int{}
		p.stats.ByMethod[kind] = m
	}
	for _, c := range calls {
		m[c.Method]++
	}
}

// ------------------------------------------------------------------ wire

type message struct {
	JSONRPC string          `json:"jsonrpc,omitempty"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   json.RawMessage `json:"error,omitempty"`
}

// parse reads a request body: one call or a batch.
func parse(body []byte) (msgs []*message, batch bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		err = json.Unmarshal(body, &msgs)
		return msgs, true, err
	}
	var m message
	if err = json.Unmarshal(body, &m); err != nil {
		return nil, false, err
	}
	return []*message{&m}, false, nil
}

func callsOf(msgs []*message, batch bool) []Call {
	out := make([]Call, len(msgs))
	for i, m := range msgs {
		out[i] = Call{Method: m.Method, Params: m.Params, Batch: batch, Index: i}
	}
	return out
}

// matches reports which calls a rule applies to (nil: the request does not match).
func (r *Rule) matches(calls []Call, batch bool) []int {
	if (r.BatchOnly && !batch) || (r.SingleOnly && batch) {
		return nil
	}
	var idx []int
	for i, c := range calls {
		ok := len(r.Methods) == 0
		for _, m := range r.Methods {
			if m == c.Method {
				ok = true
				break
			}
		}
		if ok && r.Match != nil {
			ok = r.Match(c)
		}
		if ok {
			idx = append(idx, i)
		}
	}
	return idx
}

// decide picks the request's fault (nil: none) and the StaleHead rule, if any.
func (p *Proxy) decide(calls []Call, batch bool) (fault *ruleState, hit []int, stale *ruleState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.off {
		return nil, nil, nil
	}
	for _, r := range p.rules {
		if (r.Kind == StaleHead && stale != nil) || (r.Kind != StaleHead && fault != nil) {
			continue
		}
		idx := r.matches(calls, batch)
		if len(idx) == 0 {
			continue
		}
		if (r.Kind == ReorderBatch || r.Kind == SplitBatch) && (!batch || len(calls) < 2) {
			continue
		}
		r.seen++
		if r.seen <= r.Skip {
			continue
		}
		if r.Every > 1 && (r.seen-r.Skip-1)%r.Every != 0 {
			continue
		}
		if r.Count > 0 && r.fired >= r.Count {
			continue
		}
		if r.Prob > 0 && p.rng.Float64() >= r.Prob {
			continue
		}
		r.fired++
		if r.Kind == StaleHead {
			stale = r
		} else {
			fault, hit = r, idx
		}
	}
	return fault, hit, stale
}

// request is one client request as the proxy works on it.
type request struct {
	http  *http.Request
	msgs  []*message
	batch bool
	calls []Call
	// local answers the proxy gives itself, by message index.
	local map[int]json.RawMessage
}

// ServeHTTP handles one client request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	body, err := io.ReadAll(hr.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	msgs, batch, perr := parse(body)
	r := &request{http: hr, msgs: msgs, batch: batch, calls: callsOf(msgs, batch)}
	p.mu.Lock()
	p.stats.HTTPRequests++
	for _, c := range r.calls {
		p.stats.Calls[c.Method]++
	}
	p.requests++
	n, hook := p.requests, p.onRequest
	p.mu.Unlock()
	if hook != nil {
		p.hookMu.Lock()
		hook(n)
		p.hookMu.Unlock()
	}
	ctx := hr.Context()
	if perr != nil || len(msgs) == 0 {
		// Not JSON-RPC we understand: pass it through untouched.
		raw, hdr, err := p.forward(ctx, hr, body)
		if err != nil && raw == nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		writeRaw(w, hdr, raw)
		return
	}
	fault, hit, stale := p.decide(r.calls, batch)
	if stale != nil {
		r.local, _ = p.applyStale(ctx, stale, msgs, r.calls)
	}
	if fault == nil {
		p.answer(w, r, nil)
		return
	}
	hitCalls := make([]Call, len(hit))
	for i, j := range hit {
		hitCalls[i] = r.calls[j]
	}
	switch fault.Kind {
	case DropRequest:
		p.count(DropRequest, r.calls)
		if fault.Delay > 0 {
			sleep(ctx, fault.Delay)
		}
		hangUp(w)
	case DropResponse:
		if _, _, err := p.send(ctx, r); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		p.count(DropResponse, r.calls)
		hangUp(w)
	case Delay:
		p.count(Delay, r.calls)
		sleep(ctx, fault.Delay)
		p.answer(w, r, nil)
	case HTTP5xx:
		if fault.Forward {
			if _, _, err := p.send(ctx, r); err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
		}
		p.count(HTTP5xx, r.calls)
		status := fault.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		http.Error(w, "faultrpc: injected "+strconv.Itoa(status), status)
	case RPCError:
		p.count(RPCError, hitCalls)
		if r.local == nil {
			r.local = map[int]json.RawMessage{}
		}
		for _, i := range hit {
			r.local[i] = errorObject(msgs[i].ID, fault.Code, fault.Message)
		}
		p.answer(w, r, nil)
	case Truncate:
		raw, hdr, err := p.send(ctx, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		keep := fault.Keep
		if keep <= 0 || keep >= len(raw) {
			keep = len(raw) / 2
		}
		p.count(Truncate, r.calls)
		writeRaw(w, hdr, raw[:keep])
	case ReorderBatch, SplitBatch:
		p.answer(w, r, func(answers []json.RawMessage) []json.RawMessage {
			if fault.Kind == ReorderBatch {
				p.reorder(answers)
				p.count(ReorderBatch, r.calls)
				return answers
			}
			return p.split(fault, answers, msgs, r.calls)
		})
	default:
		p.answer(w, r, nil)
	}
}

// answer sends r and relays the answer; rework, for a batch, may change the
// list of answers first.
func (p *Proxy) answer(w http.ResponseWriter, r *request, rework func([]json.RawMessage) []json.RawMessage) {
	raw, hdr, err := p.send(r.http.Context(), r)
	if err != nil && raw == nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if rework != nil && err == nil {
		var answers []json.RawMessage
		if json.Unmarshal(raw, &answers) == nil && len(answers) >= 2 {
			raw, _ = json.Marshal(rework(answers))
		}
	}
	writeRaw(w, hdr, raw)
}

// send forwards the calls of r that the proxy does not answer itself and
// returns the whole answer: local answers merged in, batch order kept.
func (p *Proxy) send(ctx context.Context, r *request) ([]byte, http.Header, error) {
	if len(r.local) == 0 {
		body, err := marshalRequest(r.msgs, r.batch)
		if err != nil {
			return nil, nil, err
		}
		return p.forward(ctx, r.http, body)
	}
	if !r.batch {
		return r.local[0], nil, nil
	}
	var rest []*message
	for i, m := range r.msgs {
		if _, ok := r.local[i]; !ok {
			rest = append(rest, m)
		}
	}
	got := map[string]json.RawMessage{}
	var hdr http.Header
	if len(rest) > 0 {
		body, _ := json.Marshal(rest)
		raw, h, err := p.forward(ctx, r.http, body)
		if err != nil {
			return raw, h, err
		}
		hdr = h
		var answers []json.RawMessage
		if err := json.Unmarshal(raw, &answers); err != nil {
			return raw, h, nil // relay whatever the node said
		}
		for _, a := range answers {
			var m message
			if json.Unmarshal(a, &m) == nil {
				got[string(m.ID)] = a
			}
		}
	}
	out := make([]json.RawMessage, 0, len(r.msgs))
	for i, m := range r.msgs {
		if a, ok := r.local[i]; ok {
			out = append(out, a)
		} else if a, ok := got[string(m.ID)]; ok {
			out = append(out, a)
		}
	}
	raw, err := json.Marshal(out)
	return raw, hdr, err
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// hangUp closes the client's connection with a TCP reset and no answer.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http drops the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func marshalRequest(msgs []*message, batch bool) ([]byte, error) {
	if batch {
		return json.Marshal(msgs)
	}
	return json.Marshal(msgs[0])
}

func copyHeader(w http.ResponseWriter, h http.Header) {
	for k, vs := range h {
		if strings.EqualFold(k, "Content-Length") {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
}

func writeRaw(w http.ResponseWriter, hdr http.Header, raw []byte) {
	copyHeader(w, hdr)
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
}

// forward sends body to the target and returns the answer's body and header.
func (p *Proxy) forward(ctx context.Context, req *http.Request, body []byte) ([]byte, http.Header, error) {
	// The node must act even when the client hangs up meanwhile.
	ctx = context.WithoutCancel(ctx)
	up, err := http.NewRequestWithContext(ctx, http.MethodPost, p.target, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	up.Header.Set("Content-Type", "application/json")
	if req != nil {
		if a := req.Header.Get("Accept"); a != "" {
			up.Header.Set("Accept", a)
		}
	}
	resp, err := p.upstream.Do(up)
	if err != nil {
		return nil, nil, fmt.Errorf("faultrpc: upstream: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("faultrpc: upstream body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return raw, resp.Header, fmt.Errorf("faultrpc: upstream answered %s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	return raw, resp.Header, nil
}

func errorObject(id json.RawMessage, code int, msg string) json.RawMessage {
	if code == 0 {
		code = -32603
	}
	if msg == "" {
		msg = "faultrpc: injected fault"
	}
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	e, _ := json.Marshal(map[string]any{"code": code, "message": msg})
	out, _ := json.Marshal(message{JSONRPC: "2.0", ID: id, Error: e})
	return out
}

// reorder shuffles answers so that at least one element moves.
func (p *Proxy) reorder(answers []json.RawMessage) {
	p.mu.Lock()
	perm := p.rng.Perm(len(answers))
	p.mu.Unlock()
	identity := true
	for i, j := range perm {
		if i != j {
			identity = false
			break
		}
	}
	if identity { // reverse instead
		for i := range perm {
			perm[i] = len(perm) - 1 - i
		}
	}
	orig := append([]json.RawMessage(nil), answers...)
	for i, j := range perm {
		answers[i] = orig[j]
	}
}

// split drops (or turns into errors) a random non-empty, proper subset of
// the answers, and counts the calls whose answers were affected.
func (p *Proxy) split(r *ruleState, answers []json.RawMessage, msgs []*message, calls []Call) []json.RawMessage {
	p.mu.Lock()
	n := 1 + p.rng.Intn(len(answers)-1) // 1 .. len-1 answers affected
	perm := p.rng.Perm(len(answers))
	p.mu.Unlock()
	cut := map[int]bool{}
	for _, i := range perm[:n] {
		cut[i] = true
	}
	byID := map[string]int{}
	for i, m := range msgs {
		byID[string(m.ID)] = i
	}
	var out []json.RawMessage
	var affected []Call
	for i, a := range answers {
		if !cut[i] {
			out = append(out, a)
			continue
		}
		var m message
		json.Unmarshal(a, &m)
		if j, ok := byID[string(m.ID)]; ok {
			affected = append(affected, calls[j])
		}
		if r.AsErrors {
			out = append(out, errorObject(m.ID, r.Code, r.Message))
		}
	}
	p.count(SplitBatch, affected)
	return out
}

// ------------------------------------------------------------- stale head

var staleReads = map[string]int{ // method -> index of its block tag
	"eth_call": 1, "eth_getBalance": 1, "eth_getTransactionCount": 1, "eth_getCode": 1, "eth_getStorageAt": 2,
}

// applyStale rewrites msgs so that the head appears Lag blocks behind. It
// returns answers the proxy gives itself (eth_blockNumber, by message index)
// and whether anything changed; it counts the calls it changed.
func (p *Proxy) applyStale(ctx context.Context, r *ruleState, msgs []*message, calls []Call) (map[int]json.RawMessage, bool) {
	lag := r.Lag
	if lag == 0 {
		lag = 1
	}
	head, err := p.head(ctx)
	if err != nil {
		return nil, false // the forward will fail or succeed on its own
	}
	stale := uint64(0)
	if head > lag {
		stale = head - lag
	}
	tag, _ := json.Marshal(fmt.Sprintf("0x%x", stale))
	local := map[int]json.RawMessage{}
	var affected []Call
	for i, m := range msgs {
		var params []json.RawMessage
		if len(m.Params) > 0 && json.Unmarshal(m.Params, &params) != nil {
			continue
		}
		switch {
		case m.Method == "eth_blockNumber":
			ans, _ := json.Marshal(message{JSONRPC: "2.0", ID: m.ID, Result: tag})
			local[i] = ans
		case m.Method == "eth_getBlockByNumber" || m.Method == "eth_getHeaderByNumber":
			if len(params) == 0 || !isLatestLike(params[0]) {
				continue
			}
			params[0] = tag
			m.Params, _ = json.Marshal(params)
		default:
			at, ok := staleReads[m.Method]
			if !ok || !r.StaleState {
				continue
			}
			if len(params) <= at {
				params = append(params, tag)
			} else if isLatestLike(params[at]) {
				params[at] = tag
			} else {
				continue
			}
			m.Params, _ = json.Marshal(params)
		}
		affected = append(affected, calls[i])
	}
	if len(affected) == 0 {
		return nil, false
	}
	p.count(StaleHead, affected)
	return local, true
}

func isLatestLike(raw json.RawMessage) bool {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return false
	}
	switch s {
	case "latest", "safe", "finalized":
		return true
	}
	return false
}

// head reads the node's real head number (not counted as a client call).
func (p *Proxy) head(ctx context.Context) (uint64, error) {
	raw, _, err := p.forward(ctx, nil, []byte(`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`))
	if err != nil {
		return 0, err
	}
	var m struct {
		Result string          `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return 0, err
	}
	if len(m.Error) > 0 {
		return 0, errors.New(string(m.Error))
	}
	return strconv.ParseUint(strings.TrimPrefix(m.Result, "0x"), 16, 64)
}
