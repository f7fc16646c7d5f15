package backtest

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PlotFormat is the chart format a file name asks for: "png" or "svg".
func PlotFormat(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		return "png", nil
	case ".svg":
		return "svg", nil
	default:
		return "", fmt.Errorf("--plot %s: want a .png or .svg file name", path)
	}
}

var (
	colSpot   = color.RGBA{R: 200, G: 60, B: 40, A: 255}
	colHedged = color.RGBA{R: 30, G: 90, B: 200, A: 255}
	colTarget = color.RGBA{R: 120, G: 120, B: 120, A: 255}
	colMark   = color.RGBA{R: 230, G: 140, B: 0, A: 255}
)

// WritePlot draws three panels for strategy (normally "policy") against the
// spot alone: portfolio value, cumulative funding (+ received), and the
// short of its first market against its target, with a mark on every step
// that traded. Values are float64 for drawing only.
func (r *Result) WritePlot(w io.Writer, format, strategy string) error {
	st, base := r.Strategy(strategy), r.Strategy("no hedge")
	if st == nil || base == nil {
		return fmt.Errorf("plot: no %q or \"no hedge\" strategy in this run", strategy)
	}
	ticks := calendarTicks{}
	newPlot := func(title, ylabel string) *plot.Plot {
		p := plot.New()
		p.Title.Text = title
		p.Y.Label.Text = ylabel
		p.X.Tick.Marker = ticks
		p.Y.Tick.Marker = preciseTicks{}
		p.Add(plotter.NewGrid())
		p.Legend.Top, p.Legend.Left = true, true
		return p
	}
	xy := func(path []Point, f func(Point) float64) plotter.XYs {
		out := make(plotter.XYs, len(path))
		for i, pt := range path {
			out[i].X, out[i].Y = float64(pt.Time.Unix()), f(pt)
		}
		return out
	}
	line := func(p *plot.Plot, name string, pts plotter.XYs, c color.Color, dashed bool) error {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width = c, vg.Points(1.2)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}

	value := newPlot(fmt.Sprintf("%s %s → %s: portfolio value", strings.Join(r.Assets, "+"), r.Start, r.End), "USD")
	if err := line(value, "spot alone", xy(base.Path, func(p Point) float64 { return p.Value.InexactFloat64() }), colSpot, false); err != nil {
		return err
	}
	if err := line(value, "hedged ("+st.Name+")", xy(st.Path, func(p Point) float64 { return p.Value.InexactFloat64() }), colHedged, false); err != nil {
		return err
	}

	fund := newPlot("cumulative funding (+ received by the short) and costs", "USD")
	if err := line(fund, "funding", xy(st.Path, func(p Point) float64 { return p.Funding.InexactFloat64() }), colHedged, false); err != nil {
		return err
	}
	if err := line(fund, "fees + borrowing", xy(st.Path, func(p Point) float64 { return -p.Fees.InexactFloat64() }), colSpot, true); err != nil {
		return err
	}

	market := ""
	if len(st.Markets) > 0 {
		market = st.Markets[0]
	}
	size := newPlot(fmt.Sprintf("%s short vs target (marks: trades)", market), market)
	if market != "" {
		if err := line(size, "target", xy(st.Path, func(p Point) float64 { return p.Targets[0].InexactFloat64() }), colTarget, true); err != nil {
			return err
		}
		if err := line(size, "short", xy(st.Path, func(p Point) float64 { return p.Shorts[0].InexactFloat64() }), colHedged, false); err != nil {
			return err
		}
		var marks plotter.XYs
		for _, p := range st.Path {
			if p.Traded {
				marks = append(marks, plotter.XY{X: float64(p.Time.Unix()), Y: p.Shorts[0].InexactFloat64()})
			}
		}
		if len(marks) > 0 {
			sc, err := plotter.NewScatter(marks)
			if err != nil {
				return err
			}
			sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = colMark, draw.TriangleGlyph{}, vg.Points(2.5)
			size.Add(sc)
			size.Legend.Add(fmt.Sprintf("trade (%d)", len(marks)), sc)
		}
	}

	width, height := 9*vg.Inch, 9*vg.Inch
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))}
	case "svg":
		c = vgsvg.New(width, height)
	default:
		return fmt.Errorf("plot format %q is not png or svg", format)
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 3, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6),
		PadRight: vg.Points(10), PadY: vg.Points(14)}
	plots := [][]*plot.Plot{{value}, {fund}, {size}}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	_, err := c.WriteTo(w)
	return err
}

// calendarTicks labels a time axis (Unix seconds) at year starts, or at
// month starts when the span is under two years.
type calendarTicks struct{}

func (calendarTicks) Ticks(lo, hi float64) []plot.Tick {
	from, to := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	if to.Sub(from) < 120*24*time.Hour {
		var out []plot.Tick
		t := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
		for ; !t.After(to); t = t.AddDate(0, 0, 1) {
			if t.Before(from) {
				continue
			}
			label := ""
			if t.Weekday() == time.Monday {
				label = t.Format("01-02")
			}
			out = append(out, plot.Tick{Value: float64(t.Unix()), Label: label})
		}
		return out
	}
	months, format := 12, "2006"
	if to.Sub(from) < 2*365*24*time.Hour {
		months, format = 1, "2006-01"
		if to.Sub(from) > 270*24*time.Hour {
			months = 3
		}
	}
	t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []plot.Tick
	for ; !t.After(to); t = t.AddDate(0, 1, 0) {
		if t.Before(from) {
			continue
		}
		label := ""
		if (int(t.Month())-1)%months == 0 {
			label = t.Format(format)
		}
		out = append(out, plot.Tick{Value: float64(t.Unix()), Label: label})
	}
	return out
}

// preciseTicks are gonum's default ticks labelled with as many decimals as
// the span needs: a short that moves by 0.01 of 10 coins must not read 10, 10, 10.
type preciseTicks struct{}

func (preciseTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	prec := 0
	if span := hi - lo; span > 0 {
		prec = max(0, int(math.Ceil(-math.Log10(span)))+1)
	}
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', prec, 64)
		}
	}
	return ts
}
