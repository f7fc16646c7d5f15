package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shopspring/decimal"

	"github.com/hedger/hedger/hedge"
)

// watchMetrics are the Prometheus series `hedger watch` exports, on a
// registry of its own (no Go runtime or process collectors from elsewhere).
type watchMetrics struct {
	reg *prometheus.Registry

	exposure, shortSize, target, drift, fundingAPR, basisBps, liqDistance, margin, leverage *prometheus.GaugeVec

	// Risk layer.
	windowFundingUSD, windowFundingAPR, fundingCostAPR, hedgeRatio, reduced *prometheus.GaugeVec
	alertsActive                                                            *prometheus.GaugeVec // {asset, kind}
	alertsTotal                                                             *prometheus.CounterVec

	lastAction prometheus.Gauge
	actions    *prometheus.CounterVec
	errors     prometheus.Counter
	cycles     prometheus.Counter
	block      prometheus.Gauge
}

func newWatchMetrics() *watchMetrics {
	reg := prometheus.NewRegistry()
	gv := func(name, help string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hedger_" + name, Help: help}, []string{"asset"})
		reg.MustRegister(g)
		return g
	}
	m := &watchMetrics{reg: reg,
		exposure:    gv("exposure_usd", "spot exposure in USD at index price"),
		shortSize:   gv("short_size", "short position size in base units (negative when long)"),
		target:      gv("target_size", "short size the plan aims for in base units (cross-asset hedges included)"),
		drift:       gv("drift", "(short - target) / target"),
		fundingAPR:  gv("funding_apr", "funding APR from the user's side: + received, - paid"),
		basisBps:    gv("basis_bps", "mark minus index, in basis points of index"),
		liqDistance: gv("liquidation_distance", "(liquidation price - mark) / mark; 0 with no position"),
		margin:      gv("margin", "isolated margin in USD"),
		leverage:    gv("leverage", "short notional / equity; 0 with no position"),

		windowFundingUSD: gv("funding_window_usd", "funding the current short received over the rolling window, USD: + received, - paid"),
		windowFundingAPR: gv("funding_window_apr", "funding over the rolling window, annualised, from the short's side: + received, - paid"),
		fundingCostAPR:   gv("funding_cost_apr", "funding cost the budget is checked against: the worse of the current rate and the window (+ = paid)"),
		hedgeRatio:       gv("effective_hedge_ratio", "hedge ratio in force this cycle (lower while reduced for funding)"),
		reduced:          gv("reduced_for_funding", "1 while the hedge is reduced (or closed) because funding costs too much"),
	}
	m.alertsActive = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hedger_alerts_active",
		Help: "1 while a risk alert of this kind is raised for the asset"}, []string{"asset", "kind"})
	m.alertsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hedger_alerts_total",
		Help: "risk alerts raised, by kind (a lasting condition counts once)"}, []string{"kind"})
	reg.MustRegister(m.alertsActive, m.alertsTotal)
	for _, k := range alertKinds {
		m.alertsTotal.WithLabelValues(string(k)) // export zeros from the start
	}
	m.lastAction = prometheus.NewGauge(prometheus.GaugeOpts{Name: "hedger_last_action_timestamp_seconds",
		Help: "unix time of the last mined action"})
	m.actions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hedger_actions_total",
		Help: "mined actions by kind"}, []string{"kind"})
	m.errors = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedger_errors_total",
		Help: "failed cycles, refusals and head-following errors"})
	m.cycles = prometheus.NewCounter(prometheus.CounterOpts{Name: "hedger_cycles_total", Help: "cycles run"})
	m.block = prometheus.NewGauge(prometheus.GaugeOpts{Name: "hedger_block_number", Help: "block of the last snapshot"})
	reg.MustRegister(m.lastAction, m.actions, m.errors, m.cycles, m.block)
	for _, k := range []hedge.StepKind{hedge.StepApprove, hedge.StepDeposit, hedge.StepWithdraw, hedge.StepTrade} {
		m.actions.WithLabelValues(string(k)) // export zeros from the start
	}
	return m
}

// alertKinds are the kinds hedge.EvaluateRisk raises.
var alertKinds = []hedge.AlertKind{hedge.AlertOracle, hedge.AlertPrice, hedge.AlertDeviation, hedge.AlertPaused, hedge.AlertBenched,
	hedge.AlertFundingSuspended, hedge.AlertFundingIndex, hedge.AlertFunding, hedge.AlertFundingResume,
	hedge.AlertBasis, hedge.AlertEntryCost, hedge.AlertLiquidation}

func f64(d decimal.Decimal) float64 { return d.InexactFloat64() }

// observe sets the per-asset gauges from one cycle's assessment.
func (m *watchMetrics) observe(block uint64, st []hedge.AssetStatus) {
	m.block.Set(float64(block))
	for _, a := range st {
		m.exposure.WithLabelValues(a.Asset).Set(f64(a.SpotValueUSD))
		m.shortSize.WithLabelValues(a.Asset).Set(f64(a.ShortSize))
		m.target.WithLabelValues(a.Asset).Set(f64(a.TargetSize))
		m.drift.WithLabelValues(a.Asset).Set(f64(a.Drift))
		m.fundingAPR.WithLabelValues(a.Asset).Set(f64(a.FundingAPR))
		m.basisBps.WithLabelValues(a.Asset).Set(f64(a.BasisBps))
		m.liqDistance.WithLabelValues(a.Asset).Set(f64(a.LiquidationDistance))
		m.margin.WithLabelValues(a.Asset).Set(f64(a.Margin))
		m.leverage.WithLabelValues(a.Asset).Set(f64(a.Leverage))
	}
}

// observeRisk sets the risk gauges from one cycle's decision.
func (m *watchMetrics) observeRisk(dec hedge.RiskDecision) {
	for _, r := range dec.Assets {
		m.windowFundingUSD.WithLabelValues(r.Asset).Set(f64(r.WindowFundingUSD))
		m.windowFundingAPR.WithLabelValues(r.Asset).Set(f64(r.WindowFundingAPR))
		m.fundingCostAPR.WithLabelValues(r.Asset).Set(f64(r.CostAPR))
		m.hedgeRatio.WithLabelValues(r.Asset).Set(f64(r.HedgeRatio))
		v := 0.0
		if r.ReducedForFunding {
			v = 1
		}
		m.reduced.WithLabelValues(r.Asset).Set(v)
	}
}

func (m *watchMetrics) alertRaised(a hedge.Alert) {
	m.alertsActive.WithLabelValues(a.Asset, string(a.Kind)).Set(1)
	m.alertsTotal.WithLabelValues(string(a.Kind)).Inc()
}

func (m *watchMetrics) alertCleared(a hedge.Alert) {
	m.alertsActive.WithLabelValues(a.Asset, string(a.Kind)).Set(0)
}

func (m *watchMetrics) action(kind hedge.StepKind) {
	m.actions.WithLabelValues(string(kind)).Inc()
	m.lastAction.SetToCurrentTime()
}

// serveMetrics listens on addr and serves /metrics until the returned stop
// is called. The listener is bound before returning, so a bad address fails
// the command at start.
func serveMetrics(addr string, m *watchMetrics, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
