package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"exp/analysis"
)

// Figure names a compared figure.
type Figure string

// The compared figures.
const (
	P50        Figure = "p50"
	P95        Figure = "p95"
	P99        Figure = "p99"
	Throughput Figure = "throughput"
)

// Figures are the compared figures in the order they are printed.
var Figures = []Figure{P50, P95, P99, Throughput}

// Label is how the figure is named in a table.
func (f Figure) Label() string {
	switch f {
	case P50:
		return "median latency"
	case P95:
		return "p95 latency"
	case P99:
		return "p99 latency"
	}
	return "throughput"
}

// Unit is the figure's unit.
func (f Figure) Unit() string {
	if f == Throughput {
		return "req/s"
	}
	return "ms"
}

// HigherIsWorse tells which way is a regression: up for latency, down for
// throughput.
func (f Figure) HigherIsWorse() bool { return f != Throughput }

func (f Figure) quantile() float64 {
	switch f {
	case P50:
		return 50
	case P95:
		return 95
	case P99:
		return 99
	}
	return 0
}

// Minimums below which a figure of a run is too little data to tell.
var (
	// MinRequests is, per latency figure, the answered requests a run
	// needs: 20 of them beyond the percentile at least.
	MinRequests = map[Figure]int{P50: 100, P95: 400, P99: 2000}
	// MinSeconds is the steady seconds a run needs for its throughput.
	MinSeconds = 5
)

// Resamples is the number of bootstrap resamples of a within-run interval.
const Resamples = 1000

// seed fixes the resampling: compare prints the same intervals each time.
const seed = 0x5eed

// Run is what a comparison needs of one run.
type Run struct {
	Name       string
	Lat        []uint32  // latencies (µs) of the answered requests, sorted
	Sec        []int32   // the second of the run each Lat[i] started in
	Throughput []float64 // successful responses per steady second, in time order
}

// Value is the run's figure: the nearest-rank percentile of its latencies
// (ms) or its mean successful responses per steady second.
func (r Run) Value(f Figure) float64 {
	if f == Throughput {
		return mean(r.Throughput)
	}
	if len(r.Lat) == 0 {
		return 0
	}
	return float64(analysis.Percentile(r.Lat, f.quantile())) / 1000
}

// enough reports whether the run has the data its figure needs.
func (r Run) enough(f Figure) bool {
	if f == Throughput {
		return len(r.Throughput) >= MinSeconds
	}
	return len(r.Lat) >= MinRequests[f]
}

// Side is one side of a comparison: a run, or the runs of a group.
type Side struct {
	Name string // the group's or the run's
	Runs []Run
}

// Noise is the run-to-run spread of a configuration measured by a
// calibration: the standard deviation of each figure's natural log over
// Runs runs.
type Noise struct {
	Group string
	Runs  int
	SDLog map[Figure]float64
}

// Measure computes the noise of a group of runs of one configuration.
func Measure(group string, runs []Run) Noise {
	n := Noise{Group: group, Runs: len(runs), SDLog: map[Figure]float64{}}
	for _, f := range Figures {
		logs, ok := logValues(runs, f)
		if ok && len(logs) >= 2 {
			n.SDLog[f] = math.Sqrt(variance(logs))
		}
	}
	return n
}

// Source says where a change's interval got its noise.
type Source int

const (
	// NoSource: too little data for any interval.
	NoSource Source = iota
	// BetweenRuns: the spread of the repeats (and a calibration's).
	BetweenRuns
	// Calibrated: a calibration's spread alone (one run a side).
	Calibrated
	// WithinRun: one run a side, no calibration: a block bootstrap over
	// each run's seconds; run-to-run noise unknown.
	WithinRun
)

// Judgement is what a change amounts to.
type Judgement int

const (
	// TooLittleData: below MinRequests, MinSeconds, or no interval.
	TooLittleData Judgement = iota
	// WithinNoise: the interval holds zero.
	WithinNoise
	// Real: the interval excludes zero, from a measured run-to-run noise.
	Real
	// Undecided: the interval (within-run only) excludes zero, but the
	// run-to-run noise, which could explain it, is unknown.
	Undecided
)

func (j Judgement) String() string {
	switch j {
	case WithinNoise:
		return "within noise"
	case Real:
		return "real"
	case Undecided:
		return "undecided"
	}
	return "too little data"
}

// Change is how one figure moved from the baseline side to the other.
type Change struct {
	Figure      Figure
	Base, Value float64 // the sides' figures: a run's, a group's geometric mean
	Pct         float64 // (Value−Base)/Base × 100
	Lo, Hi      float64 // the 95% interval of Pct; NaN without one
	Source      Source
	DF          int // degrees of freedom of a t interval; 0 otherwise
	Block       int // seconds per block of a within-run bootstrap; 0 otherwise
	Runs        [2]int
	Judgement   Judgement
}

// Known reports whether the change has an interval.
func (c Change) Known() bool { return !math.IsNaN(c.Lo) && !math.IsNaN(c.Hi) }

// Worse reports whether the figure moved the bad way.
func (c Change) Worse() bool { return (c.Pct > 0) == c.Figure.HigherIsWorse() && c.Pct != 0 }

// Compare gives the change of every figure from base to other. noise may
// be nil. Deterministic.
func Compare(base, other Side, noise *Noise) []Change {
	out := make([]Change, 0, len(Figures))
	for _, f := range Figures {
		out = append(out, compareFigure(base, other, noise, f))
	}
	return out
}

func compareFigure(base, other Side, noise *Noise, f Figure) Change {
	c := Change{Figure: f, Lo: math.NaN(), Hi: math.NaN(), Runs: [2]int{len(base.Runs), len(other.Runs)}}
	a, okA := logValues(base.Runs, f)
	b, okB := logValues(other.Runs, f)
	if !okA || !okB || len(a) == 0 || len(b) == 0 {
		// Shown, not judged: the figures as they are.
		c.Base, c.Value = geoMean(base.Runs, f), geoMean(other.Runs, f)
		c.Pct = pctChange(c.Base, c.Value)
		return c
	}
	c.Base, c.Value = math.Exp(mean(a)), math.Exp(mean(b))
	c.Pct = (math.Exp(mean(b)-mean(a)) - 1) * 100
	ss, df := pooled(a, b, noise, f)
	switch {
	case df > 0:
		se := math.Sqrt(ss/float64(df)) * math.Sqrt(1/float64(len(a))+1/float64(len(b)))
		t := tQuantile975(df)
		d := mean(b) - mean(a)
		c.Lo, c.Hi = (math.Exp(d-t*se)-1)*100, (math.Exp(d+t*se)-1)*100
		c.DF, c.Source = df, BetweenRuns
		if len(a) == 1 && len(b) == 1 {
			c.Source = Calibrated
		}
	case len(a) == 1 && len(b) == 1:
		c.Lo, c.Hi, c.Block = withinRun(base.Runs[0], other.Runs[0], f)
		c.Source = WithinRun
	}
	c.Judgement = judge(c)
	return c
}

func judge(c Change) Judgement {
	switch {
	case !c.Known():
		return TooLittleData
	case c.Lo <= 0 && c.Hi >= 0:
		return WithinNoise
	case c.Source == WithinRun:
		return Undecided
	}
	return Real
}

// logValues are the natural logs of the runs' figure; false when a run
// has too little data (or a zero figure, which has no log).
func logValues(runs []Run, f Figure) ([]float64, bool) {
	out := make([]float64, 0, len(runs))
	for _, r := range runs {
		v := r.Value(f)
		if !r.enough(f) || v <= 0 {
			return nil, false
		}
		out = append(out, math.Log(v))
	}
	return out, true
}

// geoMean is the geometric mean of the runs' positive figures, 0 when
// none is.
func geoMean(runs []Run, f Figure) float64 {
	var logs []float64
	for _, r := range runs {
		if v := r.Value(f); v > 0 {
			logs = append(logs, math.Log(v))
		}
	}
	if len(logs) == 0 {
		return 0
	}
	return math.Exp(mean(logs))
}

// pooled gives the sum of squared deviations of the log values about each
// side's mean, and its degrees of freedom, over the sides with two runs
// or more and the calibration.
func pooled(a, b []float64, noise *Noise, f Figure) (ss float64, df int) {
	for _, xs := range [][]float64{a, b} {
		if len(xs) >= 2 {
			ss += variance(xs) * float64(len(xs)-1)
			df += len(xs) - 1
		}
	}
	if noise != nil && noise.Runs >= 2 {
		if sd, ok := noise.SDLog[f]; ok {
			ss += sd * sd * float64(noise.Runs-1)
			df += noise.Runs - 1
		}
	}
	return ss, df
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// variance is the sample variance (n−1).
func variance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := mean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}

func pctChange(base, v float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return (v - base) / base * 100
}

// interval is the 2.5th and 97.5th percentile of bootstrap values.
func interval(xs []float64) (float64, float64) {
	xs = slices.DeleteFunc(xs, math.IsNaN)
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	at := func(p float64) float64 { return xs[min(len(xs)-1, int(p*float64(len(xs))))] }
	return at(0.025), at(0.975)
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

// String is a change in one line, for tests and logs.
func (c Change) String() string {
	return fmt.Sprintf("%s %+.1f%% [%+.1f, %+.1f] %s", c.Figure, c.Pct, c.Lo, c.Hi, c.Judgement)
}
