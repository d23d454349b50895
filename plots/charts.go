package plots

import (
	"errors"
	"exp/units"
	"exp/verdict"
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"exp/monitor"
)

// Charts are the files WriteAll writes, in order, with the function that
// draws each.
var Charts = []struct {
	File string
	Draw func([]RunSeries, string) error
}{
	{"throughput.png", Throughput},
	{"plateau.png", Plateau},
	{"latency.png", Latency},
	{"percentiles.png", Percentiles},
	{"endpoints.png", Endpoints},
	{"phases.png", Phases},
	{"resources.png", Resources},
}

// WriteAll writes every chart of runs into dir (created if missing). It
// returns the files written and, for charts with nothing to draw, a
// reason each; err is for anything else.
func WriteAll(runs []RunSeries, dir string) (written, skipped []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("plots directory: %w", err)
	}
	for _, c := range Charts {
		path := filepath.Join(dir, c.File)
		in := runs
		if c.File != "throughput.png" {
			in = withoutMedians(runs)
		}
		err := c.Draw(in, path)
		switch {
		case errors.Is(err, ErrNoData):
			skipped = append(skipped, fmt.Sprintf("%s: %v", c.File, err))
		case err != nil:
			return written, skipped, err
		default:
			written = append(written, path)
		}
	}
	return written, skipped, nil
}

func noData(chart, what string) error {
	return fmt.Errorf("%s: %w: %s", chart, ErrNoData, what)
}

// Throughput draws requests per second over time, with the active users
// (or offered rate) in a panel under it.
func Throughput(runs []RunSeries, path string) error {
	top := newPlot("Throughput over time", "", "successful throughput (req/s)")
	bottom := newPlot("", "time since start (s)", loadLabel(runs))
	drawn := 0
	for _, r := range runs {
		if len(r.Seconds) == 0 {
			continue
		}
		c, width, name := drawStyle(r)
		if err := lineWidth(top, rpsOverTime(r), c, solid, name, width); err != nil {
			return fmt.Errorf("throughput of run %s: %w", r.Name, err)
		}
		if err := lineWidth(bottom, loadOverTime(r), c, solid, "", width); err != nil {
			return fmt.Errorf("load of run %s: %w", r.Name, err)
		}
		drawn++
	}
	if drawn == 0 {
		return noData("throughput", "no run has a whole second of data")
	}
	headroom(top, 0.3)
	headroom(bottom, 0.1)
	top.X.Min = 0
	sameX(top, bottom)
	return saveStacked(top, bottom, path)
}

// Plateau draws throughput against load: a dot per second, a line through
// the mean of each load level, and, where throughput stopped growing, a
// ring at the knee and a dashed line at the highest sustained throughput.
func Plateau(runs []RunSeries, path string) error {
	p := newPlot("Throughput against load: where it stops growing", loadLabel(runs), "successful throughput (req/s)")
	drawn := 0
	for _, r := range runs {
		if len(r.Seconds) == 0 {
			continue
		}
		if err := plateauRun(p, r); err != nil {
			return fmt.Errorf("plateau of run %s: %w", r.Name, err)
		}
		drawn++
	}
	if drawn == 0 {
		return noData("plateau", "no run has a whole second of data")
	}
	p.X.Min = 0
	headroom(p, 0.35)
	return save(p, path)
}

func plateauRun(p *plot.Plot, r RunSeries) error {
	c := Color(r.Color)
	dots, err := plotter.NewScatter(plateauPoints(r))
	if err != nil {
		return err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: fade(c), Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
	p.Add(dots)
	l, pts, err := plotter.NewLinePoints(levelLine(r))
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(2)
	pts.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	p.Add(l, pts)
	if r.Plateau.Flat {
		if err := markKnee(p, r, c); err != nil {
			return err
		}
	}
	p.Legend.Add(plateauLabel(r), l, pts)
	return nil
}

// plateauLabel is a run's legend in plateau.png: where its throughput
// stopped growing, or that it did not.
func plateauLabel(r RunSeries) string {
	pl := r.Plateau
	unit, peak, knee := pl.LoadUnit(), units.Rate(pl.PeakRPS), units.Number(pl.KneeLoad)
	switch {
	case pl.Flat && pl.KneeAtMost:
		return fmt.Sprintf("%s: plateau %s req/s from ≤ %s %s", r.Name, peak, knee, unit)
	case pl.Flat && pl.Slowed:
		return fmt.Sprintf("%s: %s req/s, not keeping up past %s %s", r.Name, peak, knee, unit)
	case pl.Flat:
		return fmt.Sprintf("%s: plateau %s req/s from %s %s", r.Name, peak, knee, unit)
	case len(pl.Levels) > 0 && pl.TopLoad < verdict.FlatSpan*pl.Levels[0].Load:
		return fmt.Sprintf("%s: no sign of a limit at %s %s", r.Name, units.Number(pl.TopLoad), unit)
	}
	return fmt.Sprintf("%s: still growing at %s %s", r.Name, units.Number(pl.TopLoad), unit)
}

// markKnee rings the knee and draws the sustained peak from there on.
func markKnee(p *plot.Plot, r RunSeries, c color.Color) error {
	pl := r.Plateau
	ring, err := plotter.NewScatter(plotter.XYs{{X: pl.KneeLoad, Y: pl.KneeRPS}})
	if err != nil {
		return err
	}
	ring.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(7), Shape: draw.RingGlyph{}}
	p.Add(ring)
	if pl.TopLoad <= pl.KneeLoad {
		return nil
	}
	return line(p, plotter.XYs{{X: pl.KneeLoad, Y: pl.PeakRPS}, {X: pl.TopLoad, Y: pl.PeakRPS}}, c, dashed, "")
}

// drawStyle is how a run's line looks: a group's repeats faint and thin
// without a legend entry, its median bold.
func drawStyle(r RunSeries) (color.Color, vg.Length, string) {
	switch {
	case r.Faint:
		return fade(Color(r.Color)), vg.Points(1), ""
	case r.Bold:
		return Color(r.Color), vg.Points(2.8), r.Name
	}
	return Color(r.Color), vg.Points(1.6), r.Name
}

// withoutMedians leaves out the groups' medians, which only the
// throughput chart draws: the others show each run.
func withoutMedians(runs []RunSeries) []RunSeries {
	var out []RunSeries
	for _, r := range runs {
		if !r.Bold {
			r.Faint = false
			out = append(out, r)
		}
	}
	return out
}

// fade gives c at half opacity, for the per-second dots under the line.
func fade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x70}
}

// Latency draws p50, p95 and p99 against load when every run had at
// least three load levels, over time otherwise.
func Latency(runs []RunSeries, path string) error {
	byLoad := len(runs) > 0
	for _, r := range runs {
		byLoad = byLoad && len(r.Plateau.Levels) >= 3
	}
	title, x := "Latency over time", "time since start (s)"
	if byLoad {
		title, x = "Latency against load", loadLabel(runs)
	}
	p := newPlot(title, x, "latency (ms, log scale)")
	logY(p)
	drawn := 0
	for _, r := range runs {
		for i, pc := range latencyPercentiles {
			xy := latencyOverTime(r, pc)
			if byLoad {
				xy = latencyByLoad(r, pc)
			}
			if len(xy) == 0 {
				continue
			}
			l, pts, err := plotter.NewLinePoints(xy)
			if err != nil {
				return fmt.Errorf("latency of run %s: %w", r.Name, err)
			}
			l.Color, l.Width, l.Dashes = Color(r.Color), vg.Points(1.6), pctDashes[i]
			pts.GlyphStyle = draw.GlyphStyle{Color: Color(r.Color), Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
			p.Add(l, pts)
			drawn++
		}
		p.Legend.Add(r.Name, legendLine(Color(r.Color), solid))
	}
	if drawn == 0 {
		return noData("latency", "no run has a second with requests")
	}
	for i, pc := range latencyPercentiles {
		p.Legend.Add(pc.name, legendLine(color.Black, pctDashes[i]))
	}
	headroom(p, 0.35)
	return save(p, path)
}

// legendLine is a legend thumbnail of a line style, drawn nowhere else.
func legendLine(c color.Color, dashes []vg.Length) plot.Thumbnailer {
	return &plotter.Line{LineStyle: draw.LineStyle{Color: c, Width: vg.Points(1.6), Dashes: dashes}}
}

// Percentiles draws each run's latency percentile spectrum, x on the
// log(1/(1−p)) axis, as HdrHistogram plots it.
func Percentiles(runs []RunSeries, path string) error {
	p := newPlot("Latency by percentile", "percentile (%, log scale of 1/(1−p))", "latency (ms, log scale)")
	logY(p)
	drawn := 0
	for _, r := range runs {
		xy := spectrumXY(r)
		if len(xy) == 0 {
			continue
		}
		if err := line(p, xy, Color(r.Color), solid, r.Name); err != nil {
			return fmt.Errorf("percentiles of run %s: %w", r.Name, err)
		}
		drawn++
	}
	if drawn == 0 {
		return noData("percentiles", "no run has latencies")
	}
	var ticks plot.ConstantTicks
	for _, pc := range []float64{50, 90, 99, 99.9, 99.99} {
		ticks = append(ticks, plot.Tick{Value: nines(pc), Label: units.Number(pc)})
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = nines(50), nines(99.99)
	headroom(p, 0.3)
	return save(p, path)
}

// Endpoints draws grouped bars of each endpoint's p95 latency, one bar
// per run, the value written above each bar.
func Endpoints(runs []RunSeries, path string) error {
	names, vals := endpointBars(runs)
	if len(names) == 0 {
		return noData("endpoints", "no run has per-endpoint figures")
	}
	p := newPlot("p95 latency by endpoint", "endpoint", "p95 latency (ms)")
	n := float64(len(runs))
	w := min(vg.Points(40), vg.Points(440/float64(len(names))/n))
	for i, r := range runs {
		bars, err := plotter.NewBarChart(plotter.Values(vals[i]), w)
		if err != nil {
			return fmt.Errorf("endpoints of run %s: %w", r.Name, err)
		}
		bars.Color, bars.LineStyle.Width = Color(r.Color), 0
		bars.Offset = vg.Length(float64(i)-(n-1)/2) * w
		p.Add(bars)
		p.Legend.Add(r.Name, bars)
		if err := barLabels(p, vals[i], bars.Offset); err != nil {
			return fmt.Errorf("endpoints of run %s: %w", r.Name, err)
		}
	}
	p.NominalX(names...)
	headroom(p, 0.3)
	return save(p, path)
}

func barLabels(p *plot.Plot, vals []float64, offset vg.Length) error {
	xy := make(plotter.XYs, len(vals))
	text := make([]string, len(vals))
	for i, v := range vals {
		xy[i] = plotter.XY{X: float64(i), Y: v}
		text[i] = units.Sig(v, 3)
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: text})
	if err != nil {
		return err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font.Size = vg.Points(8)
		labels.TextStyle[i].XAlign = draw.XCenter
	}
	labels.Offset = vg.Point{X: offset, Y: vg.Points(2)}
	p.Add(labels)
	return nil
}

// Resources draws the target's CPU (the generator's dashed) over time,
// with the target's RSS in a panel under it.
func Resources(runs []RunSeries, path string) error {
	top := newPlot("Resources over time", "", "CPU (% of one core)")
	bottom := newPlot("", "time since start (s)", "target RSS (MB)")
	drawn := 0
	for _, r := range runs {
		c := Color(r.Color)
		named := false
		for _, s := range []struct {
			scope  string
			dashes []vg.Length
		}{{monitor.ScopeTarget, solid}, {monitor.ScopeGenerator, dashed}} {
			xy := usageOverTime(r, s.scope, cpuPct)
			if len(xy) == 0 {
				continue
			}
			if err := line(top, xy, c, s.dashes, ""); err != nil {
				return fmt.Errorf("CPU of run %s: %w", r.Name, err)
			}
			drawn, named = drawn+1, true
		}
		if named {
			top.Legend.Add(r.Name, legendLine(c, solid))
		}
		if xy := usageOverTime(r, monitor.ScopeTarget, rssMB); len(xy) > 0 {
			if err := line(bottom, xy, c, solid, ""); err != nil {
				return fmt.Errorf("RSS of run %s: %w", r.Name, err)
			}
		}
	}
	if drawn == 0 {
		return noData("resources", "no run has resource readings")
	}
	top.Legend.Add("target", legendLine(color.Black, solid))
	top.Legend.Add("generator", legendLine(color.Black, dashed))
	headroom(top, 0.35)
	headroom(bottom, 0.15)
	top.X.Min = 0
	sameX(top, bottom)
	return saveStacked(top, bottom, path)
}
