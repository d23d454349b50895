package verdict

import (
	"exp/analysis"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// latencies draws n sorted latencies (µs) around median, log-normal like
// real ones, from seed.
func latencies(n int, median float64, seed uint64) []uint32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(median * math.Exp(0.4*rng.NormFloat64()))
	}
	slices.Sort(out)
	return out
}

func perSecond(n int, mean float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Round(mean + math.Sqrt(mean)*rng.NormFloat64())
	}
	return out
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name      string
		base, oth RunSample
		real      [3]bool // median, p95, throughput
		pctNear   [3]float64
		tolerance float64
	}{
		{"same run", RunSample{latencies(5000, 10000, 1), perSecond(10, 200, 1)},
			RunSample{latencies(5000, 10000, 1), perSecond(10, 200, 1)}, [3]bool{}, [3]float64{}, 0.001},
		{"same setting, other draws", RunSample{latencies(5000, 10000, 1), perSecond(10, 200, 1)},
			RunSample{latencies(5000, 10000, 2), perSecond(10, 200, 2)}, [3]bool{}, [3]float64{}, 3},
		{"20% slower, half the throughput", RunSample{latencies(5000, 10000, 1), perSecond(10, 200, 1)},
			RunSample{latencies(5000, 12000, 2), perSecond(10, 100, 2)}, [3]bool{true, true, true},
			[3]float64{20, 20, -50}, 4},
		{"ten times the throughput", RunSample{latencies(300, 200000, 3), perSecond(5, 5, 3)},
			RunSample{latencies(3000, 200000, 4), perSecond(5, 50, 4)}, [3]bool{false, false, true},
			[3]float64{0, 0, 900}, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := Compare(tt.base, tt.oth)
			if len(cs) != 3 {
				t.Fatalf("%d changes, want 3", len(cs))
			}
			for i, c := range cs {
				if c.Real() != tt.real[i] {
					t.Errorf("%s %+.1f%% [%+.1f, %+.1f]: real %v, want %v", c.Metric, c.Pct, c.Lo, c.Hi, c.Real(), tt.real[i])
				}
				if math.Abs(c.Pct-tt.pctNear[i]) > tt.tolerance {
					t.Errorf("%s changed %+.1f%%, want about %+.1f%%", c.Metric, c.Pct, tt.pctNear[i])
				}
				if !c.Known() || c.Lo > c.Pct || c.Hi < c.Pct {
					t.Errorf("%s: %+.1f%% outside its interval [%+.1f, %+.1f]", c.Metric, c.Pct, c.Lo, c.Hi)
				}
			}
		})
	}
}

// The same inputs give the same intervals: compare prints stable figures.
func TestCompareDeterministic(t *testing.T) {
	a := RunSample{latencies(2000, 5000, 1), perSecond(8, 100, 1)}
	b := RunSample{latencies(2000, 5100, 2), perSecond(8, 102, 2)}
	if x, y := Compare(a, b), Compare(a, b); !slices.Equal(x, y) {
		t.Errorf("two compares differ:\n%+v\n%+v", x, y)
	}
}

func TestCompareTooLittleData(t *testing.T) {
	cs := Compare(RunSample{Latencies: []uint32{5}, PerSecond: []float64{3}}, RunSample{Latencies: latencies(10, 5, 1)})
	for _, c := range cs {
		if c.Known() || c.Real() {
			t.Errorf("%s: interval [%v, %v] from one value", c.Metric, c.Lo, c.Hi)
		}
	}
}

// resampleQuantile draws the quantile of a bootstrap resample without
// making it: its draws must follow the law of the naive way (draw n values
// with replacement, sort, take the quantile).
func TestResampleQuantileAgainstNaive(t *testing.T) {
	const n, draws = 501, 3000
	sorted := make([]uint32, n)
	for i := range sorted {
		sorted[i] = uint32(10 * i)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, q := range []float64{50, 95} {
		fast, naive := make([]float64, draws), make([]float64, draws)
		re := make([]uint32, n)
		for d := range draws {
			fast[d] = float64(resampleQuantile(sorted, q, rng))
			for i := range re {
				re[i] = sorted[rng.IntN(n)]
			}
			slices.Sort(re)
			naive[d] = float64(analysis.Percentile(re, q))
		}
		mf, sf := meanSD(fast)
		mn, sn := meanSD(naive)
		if math.Abs(mf-mn) > 0.1*sn || math.Abs(sf-sn) > 0.1*sn {
			t.Errorf("p%g: resampled mean %.1f sd %.1f, naive mean %.1f sd %.1f", q, mf, sf, mn, sn)
		}
	}
}

func meanSD(xs []float64) (float64, float64) {
	m := mean(xs)
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

// Gamma draws have mean and variance a.
func TestGammaRand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, a := range []float64{1, 2.5, 40, 5e5} {
		xs := make([]float64, 20000)
		for i := range xs {
			xs[i] = gammaRand(rng, a)
		}
		m, sd := meanSD(xs)
		if math.Abs(m-a) > 4*math.Sqrt(a/20000) || math.Abs(sd*sd/a-1) > 0.05 {
			t.Errorf("Gamma(%g): mean %g variance %g", a, m, sd*sd)
		}
	}
}

func TestSpectrum(t *testing.T) {
	sorted := make([]uint32, 100000)
	for i := range sorted {
		sorted[i] = uint32(i + 1)
	}
	sp := analysis.Spectrum(sorted)
	if len(sp) != 75 {
		t.Errorf("%d points, want 75", len(sp))
	}
	first, last := sp[0], sp[len(sp)-1]
	if math.Abs(first.P-50) > 1e-9 || math.Abs(last.P-99.99) > 1e-9 {
		t.Errorf("spectrum from p%g to p%g, want 50 to 99.99", first.P, last.P)
	}
	if first.Latency != 50*time.Millisecond || last.Latency != 99990*time.Microsecond {
		t.Errorf("p50 %v, p99.99 %v; want 50ms and 99.99ms", first.Latency, last.Latency)
	}
	for i := 1; i < len(sp); i++ {
		if sp[i].P <= sp[i-1].P || sp[i].Latency < sp[i-1].Latency {
			t.Fatalf("not increasing at %d: %+v then %+v", i, sp[i-1], sp[i])
		}
	}
	if analysis.Spectrum(nil) != nil {
		t.Errorf("spectrum of no latencies")
	}
}

// A run of a million requests costs no more than a small one.
func BenchmarkCompare(b *testing.B) {
	x := RunSample{latencies(1_000_000, 10000, 1), perSecond(60, 200, 1)}
	y := RunSample{latencies(1_000_000, 11000, 2), perSecond(60, 210, 2)}
	b.ResetTimer()
	for b.Loop() {
		Compare(x, y)
	}
}

func TestChangeReal(t *testing.T) {
	nan := math.NaN()
	for _, tt := range []struct {
		lo, hi float64
		real   bool
	}{
		{-1, 1, false},      // crosses zero
		{0.5, 2.5, false},   // within the noise floor
		{-7.3, -0.6, false}, // excludes zero but reaches into the noise floor
		{3.5, 10, true},
		{-40, -20, true},
		{nan, nan, false},
	} {
		if got := (Change{Lo: tt.lo, Hi: tt.hi}).Real(); got != tt.real {
			t.Errorf("[%g, %g]: real %v, want %v", tt.lo, tt.hi, got, tt.real)
		}
	}
}
