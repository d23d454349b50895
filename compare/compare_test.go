package compare

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ar1(n int, rho float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = rng.NormFloat64()
		if i > 0 {
			xs[i] += rho * xs[i-1]
		}
	}
	return xs
}

// The block length grows with the autocorrelation, as Carlstein's rule
// says, and stays within [1, n/2].
func TestBlockLength(t *testing.T) {
	tests := []struct {
		name     string
		series   []float64
		min, max int
	}{
		{"too short", []float64{1, 2, 3}, 1, 1},
		{"constant", make([]float64, 60), 1, 1},
		{"independent", ar1(600, 0, 1), 1, 2},
		{"rho 0.5, 60 s", ar1(60, 0.5, 2), 2, 8},
		{"rho 0.9, 60 s", ar1(60, 0.9, 3), 10, 30},
		{"rho 0.9, 600 s", ar1(600, 0.9, 4), 25, 60},
		{"alternating", []float64{1, -1, 1, -1, 1, -1, 1, -1}, 1, 1},
	}
	for _, tt := range tests {
		if b := BlockLength(tt.series); b < tt.min || b > tt.max {
			t.Errorf("%s: block %d, want %d to %d (lag-1 %.2f)", tt.name, b, tt.min, tt.max, lag1(tt.series))
		}
	}
}

func TestTQuantile(t *testing.T) {
	// Tables of Student's t, 97.5th percentile.
	for df, want := range map[int]float64{1: 12.706, 4: 2.776, 10: 2.228, 11: 2.201, 15: 2.131, 20: 2.086, 30: 2.042, 120: 1.980, 100000: 1.960} {
		if got := tQuantile975(df); math.Abs(got-want) > 0.002 {
			t.Errorf("t(%d) = %.4f, want %.3f", df, got, want)
		}
	}
}

func TestParseGate(t *testing.T) {
	tests := []struct {
		in      string
		want    Gate
		wantErr bool
	}{
		{"p95:+5%", Gate{P95, 5}, false},
		{"p95:5%", Gate{P95, 5}, false},
		{"median:+2.5%", Gate{P50, 2.5}, false},
		{"throughput:-3%", Gate{Throughput, 3}, false},
		{"RPS:3%", Gate{Throughput, 3}, false},
		{" p99 : +10% ", Gate{P99, 10}, false},
		{"p95:-5%", Gate{}, true},        // p95 gets worse going up
		{"throughput:+3%", Gate{}, true}, // throughput gets worse going down
		{"p95:5", Gate{}, true},
		{"p95", Gate{}, true},
		{"p97:+5%", Gate{}, true},
		{"p95:x%", Gate{}, true},
		{"p95:NaN%", Gate{}, true},
	}
	for _, tt := range tests {
		got, err := ParseGate(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParseGate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// A gate prints as it parses, without an exponent for a large tolerance
// (what parses is at most 1000000%).
func TestGateString(t *testing.T) {
	for _, tt := range []struct {
		g    Gate
		want string
	}{
		{Gate{P95, 5}, "p95:+5%"},
		{Gate{Throughput, 2.5}, "throughput:-2.5%"},
		{Gate{P99, 1e6}, "p99:+1000000%"},
		{Gate{P50, 1e7}, "p50:+10000000%"},
		{Gate{P95, 12345.5}, "p95:+12345.5%"},
	} {
		got := tt.g.String()
		if got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.g, got, tt.want)
		}
		if back, err := ParseGate(got); tt.g.TolPct <= 1e6 && (err != nil || back != tt.g) {
			t.Errorf("ParseGate(%q) = %v, %v; want %v", got, back, err, tt.g)
		}
	}
}

func change(f Figure, pct, lo, hi float64, j Judgement) Change {
	return Change{Figure: f, Pct: pct, Lo: lo, Hi: hi, Judgement: j, Source: BetweenRuns}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		gate   Gate
		change Change
		fail   bool
	}{
		{"p95 up beyond tolerance", Gate{P95, 5}, change(P95, 20, 12, 28, Real), true},
		{"p95 up, interval reaches into tolerance", Gate{P95, 5}, change(P95, 8, 3, 13, Real), false},
		{"p95 down", Gate{P95, 5}, change(P95, -20, -28, -12, Real), false},
		{"within noise", Gate{P95, 0}, change(P95, 2, -1, 5, WithinNoise), false},
		{"one run a side", Gate{P95, 5}, change(P95, 40, 30, 50, Undecided), false},
		{"too little data", Gate{P95, 5}, Change{Figure: P95, Lo: math.NaN(), Hi: math.NaN()}, false},
		{"throughput down beyond tolerance", Gate{Throughput, 3}, change(Throughput, -30, -40, -20, Real), true},
		{"throughput up", Gate{Throughput, 3}, change(Throughput, 30, 20, 40, Real), false},
	}
	for _, tt := range tests {
		r := Check([]Gate{tt.gate}, "b", []Change{tt.change})
		if len(r) != 1 || r[0].Failed != tt.fail {
			t.Errorf("%s: %+v, want failed %v", tt.name, r, tt.fail)
		}
	}
}

// Where the noise comes from, by what each side has.
func TestSources(t *testing.T) {
	m := noiseModel{"", 0.5, simOffsetSD}
	rng := rand.New(rand.NewPCG(5, 5))
	run := func() Run { return simRun(rng, m, 1) }
	one := Side{Runs: []Run{run()}}
	three := Side{Runs: []Run{run(), run(), run()}}
	cal := Measure("cal", []Run{run(), run(), run(), run(), run()})
	tests := []struct {
		name         string
		a, b         Side
		noise        *Noise
		source       Source
		df           int
		neverReal    bool
		blockNonZero bool
	}{
		{"one run a side", one, Side{Runs: []Run{run()}}, nil, WithinRun, 0, true, true},
		{"repeats both sides", three, Side{Runs: []Run{run(), run(), run()}}, nil, BetweenRuns, 4, false, false},
		{"repeats one side", three, one, nil, BetweenRuns, 2, false, false},
		{"calibrated single runs", one, Side{Runs: []Run{run()}}, &cal, Calibrated, 4, false, false},
		{"calibration and repeats", three, Side{Runs: []Run{run(), run(), run()}}, &cal, BetweenRuns, 8, false, false},
	}
	for _, tt := range tests {
		for _, c := range Compare(tt.a, tt.b, tt.noise) {
			if c.Figure == P99 { // 1,800 requests a run, below MinRequests
				if c.Judgement != TooLittleData {
					t.Errorf("%s: %v, want too little data", tt.name, c)
				}
				continue
			}
			if c.Source != tt.source || c.DF != tt.df || !c.Known() {
				t.Errorf("%s: %v source %v df %d, want %v df %d", tt.name, c, c.Source, c.DF, tt.source, tt.df)
			}
			if tt.neverReal && c.Judgement == Real {
				t.Errorf("%s: %v: one run a side cannot be real", tt.name, c)
			}
			if (c.Block > 0) != tt.blockNonZero {
				t.Errorf("%s: block %d", tt.name, c.Block)
			}
			if c.Lo > c.Pct || c.Hi < c.Pct {
				t.Errorf("%s: %v: the change lies outside its interval", tt.name, c)
			}
		}
	}
}

// Runs below the minimums are too little data, never real.
func TestTooLittleData(t *testing.T) {
	small := Run{Lat: []uint32{1000, 2000, 3000}, Sec: []int32{0, 0, 1}, Throughput: []float64{1, 2}}
	big := Run{Lat: make([]uint32, 5000), Sec: make([]int32, 5000), Throughput: make([]float64, 60)}
	for i := range big.Lat {
		big.Lat[i], big.Sec[i] = uint32(1000+i), int32(i/100)
	}
	for i := range big.Throughput {
		big.Throughput[i] = 100
	}
	a := Side{Runs: []Run{small, small, small}}
	b := Side{Runs: []Run{big, big, big}}
	for _, c := range Compare(a, b, nil) {
		if c.Judgement != TooLittleData || c.Known() {
			t.Errorf("%v: want too little data", c)
		}
	}
}

// The same inputs give the same intervals.
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	m := noiseModel{"", 0.9, 0}
	a, b := Side{Runs: []Run{simRun(rng, m, 1)}}, Side{Runs: []Run{simRun(rng, m, 1)}}
	x, y := Compare(a, b, nil), Compare(a, b, nil)
	for i := range x {
		if x[i].String() != y[i].String() || x[i].Block != y[i].Block {
			t.Errorf("two compares differ: %v and %v", x[i], y[i])
		}
	}
}
