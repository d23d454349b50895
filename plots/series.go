package plots

import (
	"errors"
	"exp/analysis"
	"exp/units"
	"exp/verdict"
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot/plotter"

	"exp/monitor"
)

// ErrNoData is wrapped by the error of a chart that has nothing to draw.
var ErrNoData = errors.New("no data to plot")

// RunSeries is what the charts show of one run. Plain data: the caller
// reads it from the store.
type RunSeries struct {
	Name  string
	Color int  // index into the palette; give a run the same one in every chart
	Open  bool // open model: the load is an offered rate, not users
	// Seconds are the run's whole seconds (verdict.FullSeconds), so a
	// partial last second does not show as a drop.
	Seconds   []analysis.Second
	Usage     []monitor.Usage     // resource readings, every scope
	Spectrum  []analysis.Quantile // analysis.Spectrum of its latencies
	Endpoints []analysis.Stats    // per endpoint, the aggregate row excluded
	Plateau   verdict.Plateau
	Phases    analysis.PhaseStats // where the time went; unknown for older runs
	// Faint draws the run in throughput.png as one repeat of a group:
	// thin, half opaque, no legend entry; the group's median (Bold, made
	// by MedianSeries) carries the name. The other charts show each run
	// and no median.
	Faint, Bold bool
}

// palette is Okabe and Ito's, which colour-blind readers can tell apart,
// without its yellow, which white paper cannot show.
var palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x00, 0x00, 0xff}, // black
}

// Color is the colour of palette index i (wrapping around).
func Color(i int) color.Color {
	return palette[((i%len(palette))+len(palette))%len(palette)]
}

func loadAt(open bool, s analysis.Second) float64 {
	if open {
		return s.TargetRate
	}
	return float64(s.ActiveUsers)
}

// rpsOverTime is successful responses per second at each whole second
// (by completion): the throughput the plateau is judged on.
func rpsOverTime(r RunSeries) plotter.XYs {
	xy := make(plotter.XYs, len(r.Seconds))
	for i, s := range r.Seconds {
		xy[i] = plotter.XY{X: float64(s.T), Y: float64(s.Successes)}
	}
	return xy
}

// loadOverTime is the active users (or offered rate) at each second.
func loadOverTime(r RunSeries) plotter.XYs {
	xy := make(plotter.XYs, len(r.Seconds))
	for i, s := range r.Seconds {
		xy[i] = plotter.XY{X: float64(s.T), Y: loadAt(r.Open, s)}
	}
	return xy
}

// plateauPoints is one point per second: load against requests.
func plateauPoints(r RunSeries) plotter.XYs {
	xy := make(plotter.XYs, len(r.Seconds))
	for i, s := range r.Seconds {
		xy[i] = plotter.XY{X: loadAt(r.Open, s), Y: float64(s.Successes)}
	}
	return xy
}

// levelLine is the mean throughput of each load level, by load.
func levelLine(r RunSeries) plotter.XYs {
	xy := make(plotter.XYs, len(r.Plateau.Levels))
	for i, l := range r.Plateau.Levels {
		xy[i] = plotter.XY{X: l.Load, Y: l.RPS}
	}
	return xy
}

// percentile picks p50, p95 or p99 out of a second or a level.
type percentile struct {
	name  string
	sec   func(analysis.Second) time.Duration
	level func(verdict.Level) time.Duration
}

var latencyPercentiles = []percentile{
	{"p50", func(s analysis.Second) time.Duration { return s.P50 }, func(l verdict.Level) time.Duration { return l.P50 }},
	{"p95", func(s analysis.Second) time.Duration { return s.P95 }, func(l verdict.Level) time.Duration { return l.P95 }},
	{"p99", func(s analysis.Second) time.Duration { return s.P99 }, func(l verdict.Level) time.Duration { return l.P99 }},
}

// latencyOverTime is one percentile of each second, in ms; seconds
// without requests are left out (a log axis cannot show 0).
func latencyOverTime(r RunSeries, p percentile) plotter.XYs {
	var xy plotter.XYs
	for _, s := range r.Seconds {
		if v := p.sec(s); v > 0 {
			xy = append(xy, plotter.XY{X: float64(s.T), Y: units.Millis(v)})
		}
	}
	return xy
}

// latencyByLoad is one percentile of each load level, in ms.
func latencyByLoad(r RunSeries, p percentile) plotter.XYs {
	var xy plotter.XYs
	for _, l := range r.Plateau.Levels {
		if v := p.level(l); v > 0 {
			xy = append(xy, plotter.XY{X: l.Load, Y: units.Millis(v)})
		}
	}
	return xy
}

// nines maps a percentile to the spectrum's x axis: log10(1/(1−p)), so
// 90 is 1, 99 is 2, 99.9 is 3.
func nines(p float64) float64 { return -math.Log10(1 - p/100) }

// spectrumXY is the percentile spectrum on the nines axis, in ms.
func spectrumXY(r RunSeries) plotter.XYs {
	var xy plotter.XYs
	for _, q := range r.Spectrum {
		if q.Latency > 0 {
			xy = append(xy, plotter.XY{X: nines(q.P), Y: units.Millis(q.Latency)})
		}
	}
	return xy
}

// endpointBars gives the endpoint names of all runs, in order of first
// appearance, and for each run its p95 (ms) at each (0 where it had none).
func endpointBars(runs []RunSeries) ([]string, [][]float64) {
	var names []string
	idx := map[string]int{}
	for _, r := range runs {
		for _, e := range r.Endpoints {
			key := endpointName(e)
			if _, ok := idx[key]; !ok {
				idx[key] = len(names)
				names = append(names, key)
			}
		}
	}
	vals := make([][]float64, len(runs))
	for i, r := range runs {
		vals[i] = make([]float64, len(names))
		for _, e := range r.Endpoints {
			vals[i][idx[endpointName(e)]] = units.Millis(e.P95)
		}
	}
	return names, vals
}

func endpointName(e analysis.Stats) string {
	if e.Method != "" && e.Method != "GET" {
		return e.Method + " " + e.Name
	}
	return e.Name
}

// usageOverTime is f of the readings of one scope, by second.
func usageOverTime(r RunSeries, scope string, f func(monitor.Usage) float64) plotter.XYs {
	var xy plotter.XYs
	for _, u := range r.Usage {
		if u.Scope == scope {
			xy = append(xy, plotter.XY{X: u.T.Seconds(), Y: f(u)})
		}
	}
	return xy
}

func cpuPct(u monitor.Usage) float64 { return u.CPUPct }
func rssMB(u monitor.Usage) float64  { return float64(u.RSS) / (1 << 20) }

// MedianSeries is a group's median run for the throughput chart: second
// by second, the median of its runs' successful responses and load.
func MedianSeries(name string, colour int, runs []RunSeries) RunSeries {
	out := RunSeries{Name: name, Color: colour, Bold: true}
	n := 0
	for _, r := range runs {
		n = max(n, len(r.Seconds))
		out.Open = r.Open
	}
	for i := range n {
		var succ, load []float64
		for _, r := range runs {
			if i < len(r.Seconds) {
				succ = append(succ, float64(r.Seconds[i].Successes))
				load = append(load, loadAt(r.Open, r.Seconds[i]))
			}
		}
		sec := analysis.Second{T: i, Successes: int64(median(succ))}
		if out.Open {
			sec.TargetRate = median(load)
		} else {
			sec.ActiveUsers = int(median(load))
		}
		out.Seconds = append(out.Seconds, sec)
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}
