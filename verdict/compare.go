package verdict

import (
	"exp/analysis"
	"exp/load"
	"math"
	"math/rand/v2"
	"slices"
)

// Comparison settings (see the package doc).
const (
	// Resamples is the number of bootstrap resamples behind each interval.
	Resamples = 1000
	// NoiseFloorPct: a change is real only when its whole interval lies
	// beyond ±this many percent. Two runs of one setting differ by about
	// this much from the machine's state (a tail percentile of a few
	// hundred requests the most), a noise one run's bootstrap cannot see.
	NoiseFloorPct = 3.0
	// bootstrapSeed fixes the resampling, so compare prints the same
	// intervals every time.
	bootstrapSeed = 0x5eed
)

// Change is how one figure moved from a baseline run to another, with a 95%
// bootstrap confidence interval of the change in percent.
type Change struct {
	Metric      string  // "median latency", "p95 latency", "throughput"
	Unit        string  // "ms", "req/s"
	Base, Value float64 // the figure in the baseline and the other run
	Pct         float64 // (Value−Base)/Base × 100
	Lo, Hi      float64 // the interval of Pct; NaN when it cannot be had
	N           [2]int  // observations behind it: latencies or seconds
}

// Known reports whether the interval could be computed.
func (c Change) Known() bool { return !math.IsNaN(c.Lo) && !math.IsNaN(c.Hi) }

// Real reports whether the change is beyond noise: its whole interval
// lies past ±NoiseFloorPct, so zero and the run-to-run noise are both
// outside it. Anything else is within noise.
func (c Change) Real() bool {
	return c.Known() && (c.Lo > NoiseFloorPct || c.Hi < -NoiseFloorPct)
}

// RunSample is what a comparison needs of one run: the latencies of its
// responses (µs, sorted) and the successful responses of its steady
// seconds (SteadySeconds).
type RunSample struct {
	Latencies []uint32
	PerSecond []float64
}

// NewRunSample builds a RunSample from a run's sorted latencies (µs) and
// its summary.
func NewRunSample(model load.Model, sortedLat []uint32, s analysis.Summary) RunSample {
	steady := SteadySeconds(model, s)
	per := make([]float64, len(steady))
	for i, sec := range steady {
		per[i] = float64(sec.Successes)
	}
	return RunSample{Latencies: sortedLat, PerSecond: per}
}

// Compare gives the change from base to other in median and p95 latency
// and in throughput, each with its 95% interval. Deterministic: the
// resampling uses a fixed seed.
func Compare(base, other RunSample) []Change {
	rng := rand.New(rand.NewPCG(bootstrapSeed, bootstrapSeed))
	lat := latencyChanges(base.Latencies, other.Latencies, rng)
	return append(lat, throughputChange(base.PerSecond, other.PerSecond, rng))
}

// latencyChanges bootstraps the median and the p95 of both runs.
func latencyChanges(a, b []uint32, rng *rand.Rand) []Change {
	out := []Change{{Metric: "median latency", Unit: "ms"}, {Metric: "p95 latency", Unit: "ms"}}
	for i, q := range []float64{50, 95} {
		c := &out[i]
		c.N = [2]int{len(a), len(b)}
		c.Base = float64(analysis.Percentile(a, q)) / 1000
		c.Value = float64(analysis.Percentile(b, q)) / 1000
		c.Pct = pctChange(c.Base, c.Value)
		c.Lo, c.Hi = math.NaN(), math.NaN()
		if len(a) < 2 || len(b) < 2 || c.Base == 0 {
			continue
		}
		pcts := make([]float64, Resamples)
		for r := range pcts {
			pcts[r] = pctChange(float64(resampleQuantile(a, q, rng)), float64(resampleQuantile(b, q, rng)))
		}
		c.Lo, c.Hi = interval(pcts)
	}
	return out
}

// resampleQuantile is the nearest-rank quantile q of one bootstrap
// resample of sorted (n draws with replacement), drawn without making the
// resample. Its k-th smallest value is sorted[⌊n·U₍ₖ₎⌋], where U₍ₖ₎, the
// k-th smallest of n uniform draws, follows Beta(k, n+1−k): exact, and
// O(1) whatever the run's size, so every sample of a run takes part.
func resampleQuantile(sorted []uint32, q float64, rng *rand.Rand) uint32 {
	n := len(sorted)
	k := analysis.NearestRank(q, n)
	u := betaRand(rng, float64(k), float64(n+1-k))
	return sorted[min(int(u*float64(n)), n-1)]
}

// betaRand draws from Beta(a, b) as X/(X+Y), X and Y Gamma(a) and Gamma(b).
func betaRand(rng *rand.Rand, a, b float64) float64 {
	x := gammaRand(rng, a)
	return x / (x + gammaRand(rng, b))
}

// gammaRand draws from Gamma(a, 1), a ≥ 1, by Marsaglia and Tsang's
// method (ACM TOMS 26(3), 2000).
func gammaRand(rng *rand.Rand, a float64) float64 {
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(1-rng.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// throughputChange bootstraps the mean requests per second over the
// steady seconds of both runs.
func throughputChange(a, b []float64, rng *rand.Rand) Change {
	c := Change{Metric: "throughput", Unit: "req/s", N: [2]int{len(a), len(b)}, Lo: math.NaN(), Hi: math.NaN()}
	c.Base, c.Value = mean(a), mean(b)
	c.Pct = pctChange(c.Base, c.Value)
	if len(a) < 2 || len(b) < 2 || c.Base == 0 {
		return c
	}
	pcts := make([]float64, Resamples)
	for r := range pcts {
		pcts[r] = pctChange(resampleMean(a, rng), resampleMean(b, rng))
	}
	c.Lo, c.Hi = interval(pcts)
	return c
}

func resampleMean(xs []float64, rng *rand.Rand) float64 {
	var s float64
	for range xs {
		s += xs[rng.IntN(len(xs))]
	}
	return s / float64(len(xs))
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

func pctChange(base, v float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return (v - base) / base * 100
}

// interval is the 2.5th and 97.5th percentile of the bootstrap values
// (percentile method).
func interval(xs []float64) (float64, float64) {
	xs = slices.DeleteFunc(xs, math.IsNaN)
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	at := func(p float64) float64 { return xs[min(len(xs)-1, int(p*float64(len(xs))))] }
	return at(0.025), at(0.975)
}
