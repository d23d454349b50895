package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"exp/analysis"
)

// The statistical checks of the method on simulated runs whose per-second
// latency drifts (AR(1)) and whose runs differ by an offset, as runs on a
// real machine do. Latencies are log-normal: log L = μ + offset + x_s + ε,
// ε ~ N(0, 0.35²) a request, x_s the second's drift with marginal standard
// deviation driftSD and lag-1 correlation ρ, offset ~ N(0, offsetSD²) a
// run. Throughput per second drifts and shifts the same way around 300/s.
const (
	simSeconds  = 60
	simPerSec   = 30 // requests a second
	simPairs    = 200
	simDriftSD  = 0.03
	simOffsetSD = 0.02
	simRepeats  = 3
)

type noiseModel struct {
	name   string
	rho    float64
	offset float64 // run-to-run offset SD
}

var simModels = []noiseModel{
	{"independent seconds, no run offset", 0, 0},
	{"independent seconds, run offsets", 0, simOffsetSD},
	{"AR(1) rho=0.5, run offsets", 0.5, simOffsetSD},
	{"AR(1) rho=0.9, run offsets", 0.9, simOffsetSD},
	{"AR(1) rho=0.9, no run offset", 0.9, 0},
}

// simRun draws one run; shift multiplies its latencies (a true change).
func simRun(rng *rand.Rand, m noiseModel, shift float64) Run {
	off := m.offset * rng.NormFloat64()
	sd := simDriftSD * math.Sqrt(1-m.rho*m.rho)
	x := simDriftSD * rng.NormFloat64()
	var r Run
	type pair struct {
		lat uint32
		sec int32
	}
	ps := make([]pair, 0, simSeconds*simPerSec)
	for s := range simSeconds {
		if s > 0 {
			x = m.rho*x + sd*rng.NormFloat64()
		}
		for range simPerSec {
			l := 10000 * shift * math.Exp(off+x+0.35*rng.NormFloat64())
			ps = append(ps, pair{uint32(l), int32(s)})
		}
		r.Throughput = append(r.Throughput, math.Round(300*math.Exp(-off-x)))
	}
	slices.SortFunc(ps, func(a, b pair) int { return int(a.lat) - int(b.lat) })
	for _, p := range ps {
		r.Lat = append(r.Lat, p.lat)
		r.Sec = append(r.Sec, p.sec)
	}
	return r
}

// oldMethod is the comparison this package replaced: a bootstrap of
// individual requests (as if independent) of one run a side, real when the
// whole interval lies beyond ±3%.
func oldMethod(a, b Run, rng *rand.Rand) (lo, hi float64, real bool) {
	pcts := make([]float64, 1000)
	for i := range pcts {
		pcts[i] = pctChange(float64(iidQuantile(a.Lat, rng)), float64(iidQuantile(b.Lat, rng)))
	}
	lo, hi = interval(pcts)
	return lo, hi, lo > 3 || hi < -3
}

func iidQuantile(sorted []uint32, rng *rand.Rand) uint32 {
	n := len(sorted)
	k := analysis.NearestRank(50, n)
	// The k-th of n uniforms is Beta(k, n+1−k): X/(X+Y) of two Gammas,
	// approximated here by the normal (n is large).
	m := float64(k) / float64(n+1)
	u := m + math.Sqrt(m*(1-m)/float64(n+2))*rng.NormFloat64()
	return sorted[min(max(int(u*float64(n)), 0), n-1)]
}

type tally struct{ real, covered, n int }

func (t *tally) add(c Change, truth float64) {
	t.n++
	if c.Judgement == Real {
		t.real++
	}
	if c.Known() && c.Lo <= truth && c.Hi >= truth {
		t.covered++
	}
}

func (t tally) rates() (float64, float64) {
	return float64(t.real) / float64(t.n), float64(t.covered) / float64(t.n)
}

// TestSimulatedFalsePositivesAndCoverage runs simPairs pairs of identical
// configurations under each noise model through the old method, the new
// one with one run a side (within-run block bootstrap) and the new one
// with simRepeats repeats a side, and checks the repeats: "real" at most
// 5% plus sampling error, the 95% interval holding the truth (0) in 90%
// or more. It prints the table (go test -run Simulated -v).
func TestSimulatedFalsePositivesAndCoverage(t *testing.T) {
	if raceEnabled {
		t.Skip("simulation: no goroutines to race; it runs in the plain go test")
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%d pairs of identical configurations a model; median latency; %d s x %d req/s a run\n", simPairs, simSeconds, simPerSec)
	fmt.Fprintf(&table, "%-36s | %-21s | %-30s | %-21s\n", "noise model", "old: per request, ±3%", "new, 1 run a side: beyond CI", "new, 3 repeats a side")
	fmt.Fprintf(&table, "%-36s | %9s %11s | %9s %9s %10s | %9s %11s\n", "", "real", "CI holds 0", "beyond", "real", "CI holds 0", "real", "CI holds 0")
	// 5% plus two standard errors of a proportion over simPairs.
	maxFP := 0.05 + 2*math.Sqrt(0.05*0.95/simPairs)
	for mi, m := range simModels {
		rng := rand.New(rand.NewPCG(uint64(mi+1), 7))
		var old, single, rep tally
		beyond := 0
		for range simPairs {
			a, b := simRun(rng, m, 1), simRun(rng, m, 1)
			lo, hi, real := oldMethod(a, b, rng)
			old.n++
			if real {
				old.real++
			}
			if lo <= 0 && hi >= 0 {
				old.covered++
			}
			c := compareFigure(Side{Runs: []Run{a}}, Side{Runs: []Run{b}}, nil, P50)
			single.add(c, 0)
			if c.Judgement == Undecided {
				beyond++
			}
			var as, bs []Run
			for range simRepeats {
				as, bs = append(as, simRun(rng, m, 1)), append(bs, simRun(rng, m, 1))
			}
			rep.add(compareFigure(Side{Runs: as}, Side{Runs: bs}, nil, P50), 0)
		}
		of, oc := old.rates()
		sf, sc := single.rates()
		rf, rc := rep.rates()
		fmt.Fprintf(&table, "%-36s | %8.1f%% %10.1f%% | %8.1f%% %8.1f%% %9.1f%% | %8.1f%% %10.1f%%\n",
			m.name, 100*of, 100*oc, 100*float64(beyond)/simPairs, 100*sf, 100*sc, 100*rf, 100*rc)
		if sf != 0 {
			t.Errorf("%s: one run a side was called real %.1f%% of the time: without repeats it must be undecided", m.name, 100*sf)
		}
		if rf > maxFP {
			t.Errorf("%s: repeats called identical configurations real %.1f%% of the time, want at most %.1f%%", m.name, 100*rf, 100*maxFP)
		}
		if rc < 0.90 {
			t.Errorf("%s: the repeats' 95%% interval held the truth %.1f%% of the time, want at least 90%%", m.name, 100*rc)
		}
	}
	t.Log("\n" + table.String())
}

// TestSimulatedPower: a true 10% change in median latency, simRepeats
// repeats a side, the noisiest model: detected (real, the right way) in
// 80% of pairs or more.
func TestSimulatedPower(t *testing.T) {
	if raceEnabled {
		t.Skip("simulation: no goroutines to race; it runs in the plain go test")
	}
	for mi, m := range simModels[1:] {
		rng := rand.New(rand.NewPCG(uint64(mi+100), 9))
		detected, covered := 0, 0
		for range simPairs {
			var as, bs []Run
			for range simRepeats {
				as, bs = append(as, simRun(rng, m, 1)), append(bs, simRun(rng, m, 1.1))
			}
			c := compareFigure(Side{Runs: as}, Side{Runs: bs}, nil, P50)
			if c.Judgement == Real && c.Pct > 0 {
				detected++
			}
			if c.Lo <= 10 && c.Hi >= 10 {
				covered++
			}
		}
		p := float64(detected) / simPairs
		t.Logf("%s: +10%% median detected in %.1f%% of %d pairs (3 repeats a side); CI held +10%% in %.1f%%",
			m.name, 100*p, simPairs, 100*float64(covered)/simPairs)
		if p < 0.80 {
			t.Errorf("%s: power %.1f%%, want at least 80%%", m.name, 100*p)
		}
	}
}
