package verdict

import (
	"exp/analysis"
	"exp/load"
	"strings"
	"testing"
	"time"
)

// step is a stretch of a synthetic run: secs seconds at load users (or
// target rate), rps requests each second, with that p50.
type step struct {
	load float64
	secs int
	rps  int64
	p50  time.Duration
}

// synthetic builds a Summary from steps, plus a partial last second that
// must be ignored, and one endpoint whose fastest request took floor. In
// the open model, as the real pipeline stores them, every scheduled
// arrival is a request of its second: the ones not answered were dropped.
func synthetic(model load.Model, floor time.Duration, steps ...step) analysis.Summary {
	var s analysis.Summary
	var n, lat, reqs, dropped int64
	for _, st := range steps {
		for range st.secs {
			sec := analysis.Second{T: len(s.Seconds), Requests: st.rps, Responses: st.rps, Successes: st.rps,
				P50: st.p50, P95: 2 * st.p50, P99: 3 * st.p50}
			if model == load.Open {
				sec.TargetRate = st.load
				sec.Requests = max(int64(st.load), st.rps)
				sec.Dropped = sec.Requests - st.rps
				sec.Failures = sec.Dropped
			} else {
				sec.ActiveUsers = int(st.load)
			}
			s.Seconds = append(s.Seconds, sec)
			n += st.rps
			reqs += sec.Requests
			dropped += sec.Dropped
			lat += st.rps * int64(st.p50)
		}
	}
	last := s.Seconds[len(s.Seconds)-1]
	last.T++
	last.Requests, last.Responses, last.Successes = 1, 1, 1 // partial: would drag the top level down
	last.Dropped, last.Failures = 0, 0
	s.Seconds = append(s.Seconds, last)
	s.Duration = time.Duration(len(s.Seconds)-1)*time.Second + 300*time.Millisecond
	avg := time.Duration(lat / max(n, 1))
	rps := float64(n) / s.Duration.Seconds()
	s.Total = analysis.Stats{Endpoint: -1, Name: "Aggregated", Requests: reqs + 1, Responses: n, Successes: n,
		Failures: dropped, Dropped: dropped, RPS: rps, SuccessRPS: rps, Avg: avg}
	s.Endpoints = []analysis.Stats{{Name: "/x", Requests: reqs + 1, Responses: n, Successes: n, Failures: dropped,
		Dropped: dropped, Min: floor, Floor: floor, P50: medianP50(steps), SuccessP50: medianP50(steps), Avg: avg}}
	if dropped > 0 {
		s.Failures = []analysis.FailureCount{{Name: "/x", Class: "dropped", Count: dropped}}
	}
	return s
}

// medianP50 is the p50 of the step holding most requests, a stand-in for
// the run's median.
func medianP50(steps []step) time.Duration {
	best := steps[0]
	for _, st := range steps {
		if st.rps*int64(st.secs) > best.rps*int64(best.secs) {
			best = st
		}
	}
	return best.p50
}

var (
	growing = []step{{5, 3, 50, 100 * time.Millisecond}, {20, 3, 200, 101 * time.Millisecond}, {40, 3, 400, 102 * time.Millisecond}}
	// flat: 100 req/s whatever the users, latency grows with them.
	flat = []step{{5, 3, 100, 50 * time.Millisecond}, {20, 3, 100, 200 * time.Millisecond}, {40, 3, 101, 400 * time.Millisecond}}
)

// rejectingRun is a run whose server answered almost every request 503.
func rejectingRun() analysis.Summary {
	s := synthetic(load.Closed, time.Millisecond, step{20, 5, 20000, 2 * time.Millisecond})
	fails := s.Total.Requests - 50
	s.Total.Failures, s.Total.Successes = fails, 50
	s.Total.SuccessRPS = 50 / s.Duration.Seconds()
	return withFailures(s, analysis.FailureCount{Class: "http-503", Count: fails})
}

func TestDiagnose(t *testing.T) {
	ms := time.Millisecond
	idle := analysis.Resources{HasTarget: true, TargetCPUMax: 8, TargetCPUMean: 5, TargetCPUMedian: 5, TargetReadings: 9,
		GeneratorCPUMean: 10, GeneratorCPUMax: 20, Readings: 9, SystemCPUMedian: 20}
	busy := idle
	busy.TargetCPUMax, busy.TargetCPUMean, busy.TargetCPUMedian = 99, 90, 93
	peak := idle // one reading at the limit, the rest idle
	peak.TargetCPUMax = 99
	oneCore := idle // a server that can use one core only, on a machine of four
	oneCore.TargetCPUMax, oneCore.TargetCPUMean, oneCore.TargetCPUMedian = 103, 97, 99
	shared := idle // the machine full, neither process most of it
	shared.TargetCPUMedian, shared.TargetCPUMax, shared.TargetMachMedian = 110, 130, 55
	shared.SystemCPUMedian, shared.SystemCPUMax, shared.GeneratorMachMean = 99, 100, 40
	heldByMachine := oneCore // one core, but the generator had the other: no core idle
	heldByMachine.SystemCPUMedian, heldByMachine.TargetMachMedian, heldByMachine.GeneratorMachMean = 87, 47, 37
	others := idle // the machine full of other processes' work
	others.SystemCPUMedian, others.SystemCPUMax, others.TargetMachMedian, others.GeneratorMachMean = 98, 100, 2, 3
	genBusy := idle
	genBusy.GeneratorCPUMean, genBusy.GeneratorCPUMax = 170, 195
	noTarget := idle
	noTarget.HasTarget = false
	tests := []struct {
		name     string
		in       VerdictInput
		want     Kind
		evidence string // a fragment of the evidence
	}{
		{"generator CPU near its limit", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: genBusy, GeneratorLimit: 200, TargetLimit: 200}, GeneratorBound, "generator CPU mean 170%"},
		{"saturation warning stored", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, growing...),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200,
			Warnings: []analysis.Warning{{Code: analysis.GeneratorSaturated, Text: "generator CPU above 90% for 10 s: figures may be limited"}}}, GeneratorBound, "warning stored"},
		{"port exhaustion", VerdictInput{Model: load.Closed, Summary: withFailures(synthetic(load.Closed, 10*ms, flat...),
			analysis.FailureCount{Class: "port-exhaustion", Count: 30}, analysis.FailureCount{Class: "reset", Count: 5}),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, ConnectionBound, "port-exhaustion 30, reset 5"},
		{"handshakes take the latency", VerdictInput{Model: load.Closed, Summary: withPhases(synthetic(load.Closed, 10*ms, flat...),
			0.30, 0.10, 0), Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, ConnectionBound,
			"connect 30.0% and TLS 10.0% of latency"},
		{"handshakes small", VerdictInput{Model: load.Closed, Summary: withPhases(synthetic(load.Closed, 99*ms, growing...),
			0.10, 0.05, 0), Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, NotSaturated, "it follows the load"},
		{"handshakes large but connections reused", VerdictInput{Model: load.Closed, Summary: withPhases(synthetic(load.Closed, 99*ms, growing...),
			0.40, 0, 0.9), Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, NotSaturated, "it follows the load"},
		{"a machine full of others' work", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 99*ms, growing...),
			Resources: others, GeneratorLimit: 200, TargetLimit: 200}, NotSaturated, "other processes loaded it"},
		{"throughput follows users", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 99*ms, growing...),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, NotSaturated, "it follows the load"},
		{"one load level, latency at its floor", VerdictInput{Model: load.Closed,
			Summary: synthetic(load.Closed, 200*ms, step{10, 5, 50, 201 * ms}), Resources: idle, GeneratorLimit: 200,
			TargetLimit: 200}, NotSaturated, "requests do not queue"},
		{"flat at full CPU", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: busy, GeneratorLimit: 200, TargetLimit: 100}, CPUBound, "target CPU median 93%, max 99%"},
		{"flat with one CPU peak", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: peak, GeneratorLimit: 200, TargetLimit: 100}, ConcurrencyBound, "median 5%"},
		{"flat at one core of four", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: oneCore, GeneratorLimit: 400, TargetLimit: 400}, CPUBound, "cpu-bound: one core, the most this server used"},
		{"one core held because the machine had no other", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: heldByMachine, GeneratorLimit: 200, TargetLimit: 200}, MachineBound, "compete for the machine"},
		{"shared machine", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: shared, GeneratorLimit: 200, TargetLimit: 200}, MachineBound, "compete for the machine"},
		{"open model behind on a shared machine", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 10*ms,
			step{100, 6, 50, 900 * ms}), Resources: shared, GeneratorLimit: 200, TargetLimit: 200}, MachineBound,
			"the server did not keep up with the arrival rate"},
		{"open model capped by its own in-flight slots", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 400*ms,
			step{100, 6, 50, 401 * ms}), Resources: idle, GeneratorLimit: 200, TargetLimit: 200, MaxInflight: 20}, GeneratorBound,
			"the in-flight cap limited the run, not the server"},
		{"open model dropping at a slow server", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 10*ms,
			step{100, 6, 50, 400 * ms}), Resources: idle, GeneratorLimit: 200, TargetLimit: 200, MaxInflight: 20}, ConcurrencyBound,
			"did not keep up"},
		{"collapse after a peak", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms,
			step{10, 3, 1000, 10 * ms}, step{20, 3, 2000, 10 * ms}, step{40, 3, 1000, 40 * ms}),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, ConcurrencyBound, "peaked at 2000 req/s at 20 users, then fell to 1000 req/s at 40 users"},
		{"rejecting", VerdictInput{Model: load.Closed, Summary: rejectingRun(),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200, Concurrency: 1}, Rejecting, "(100.0%) were answered 503 or 429"},
		{"throughput slows at full CPU", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 9*ms,
			step{5, 3, 15, 30 * ms}, step{20, 3, 61, 39 * ms}, step{40, 3, 86, 156 * ms}),
			Resources: busy, GeneratorLimit: 200, TargetLimit: 100}, CPUBound, "per user it fell to 71%"},
		{"flat at low CPU", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 100, Concurrency: 1}, ConcurrencyBound, "Little's law"},
		{"one load level, queueing", VerdictInput{Model: load.Closed,
			Summary: synthetic(load.Closed, 200*ms, step{10, 5, 5, 2000 * ms}), Resources: idle, GeneratorLimit: 200,
			TargetLimit: 100, Concurrency: 1}, ConcurrencyBound, "about 8 wait"},
		{"flat, target not monitored", VerdictInput{Model: load.Closed, Summary: synthetic(load.Closed, 10*ms, flat...),
			Resources: noTarget, GeneratorLimit: 200, TargetLimit: 200}, Saturated, "not monitored"},
		{"open model keeps up", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 10*ms,
			step{50, 3, 50, 11 * ms}, step{100, 3, 100, 11 * ms}, step{200, 3, 199, 11 * ms}),
			Resources: idle, GeneratorLimit: 200, TargetLimit: 200}, NotSaturated, "req/s offered"},
		{"samples lost by the store", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 10*ms,
			step{50, 3, 50, 11 * ms}, step{100, 3, 50, 11 * ms}), Resources: idle, GeneratorLimit: 200, TargetLimit: 200,
			Warnings: []analysis.Warning{{Code: analysis.SamplesLost, Text: "4052 samples could not be stored"}}}, Incomplete,
			"no bottleneck is judged"},
		{"open model falls behind", VerdictInput{Model: load.Open, Summary: synthetic(load.Open, 10*ms,
			step{50, 3, 50, 11 * ms}, step{100, 3, 100, 30 * ms}, step{200, 3, 100, 900 * ms}),
			Resources: busy, GeneratorLimit: 200, TargetLimit: 100}, CPUBound, "flat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Diagnose(tt.in)
			text := strings.Join(v.Evidence, "\n")
			if v.Kind != tt.want {
				t.Fatalf("verdict %q, want %q; evidence:\n%s\nplateau: %s", v.Kind, tt.want, text, v.Plateau)
			}
			if !strings.Contains(text, tt.evidence) {
				t.Errorf("evidence lacks %q:\n%s", tt.evidence, text)
			}
		})
	}
}

func withFailures(s analysis.Summary, fs ...analysis.FailureCount) analysis.Summary {
	s.Failures = fs
	for _, f := range fs {
		s.Total.Failures += f.Count
	}
	return s
}

func TestFindPlateau(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name       string
		floor      time.Duration
		steps      []step
		flat       bool
		knee       float64
		atMost     bool
		peak       float64
		peakLoad   float64
		topRPS     float64
		latGrowth  float64
		levelCount int
	}{
		{"growing", 99 * ms, growing, false, 0, false, 400, 40, 400, 1.02, 3},
		{"flat from the first level", 10 * ms, flat, true, 5, false, 101, 40, 101, 8, 3},
		{"knee at 20 of 5, 20, 40, 80", 9 * ms, []step{{5, 3, 50, 10 * ms}, {20, 3, 190, 11 * ms}, {40, 3, 200, 20 * ms},
			{80, 3, 200, 40 * ms}}, true, 20, false, 200, 40, 200, 4, 4},
		// As measured: single variant, /cpu, 5, 20, 40 users on a busy machine.
		{"slowed past 20 of 5, 20, 40", 9 * ms, []step{{5, 3, 15, 30 * ms}, {20, 3, 61, 39 * ms},
			{40, 3, 86, 156 * ms}}, true, 20, false, 86, 40, 86, 5.2, 3},
		{"latency grows, throughput follows", 9 * ms, []step{{5, 3, 15, 10 * ms}, {20, 3, 60, 20 * ms},
			{40, 3, 118, 40 * ms}}, false, 0, false, 118, 40, 118, 4, 3},
		{"one level, queueing", 200 * ms, []step{{10, 4, 5, 2000 * ms}}, true, 10, true, 5, 10, 5, 1, 1},
		// As measured: goroutine at 10 users ramping 2/s, a noisy per-user
		// rate at the short ramp levels but no queueing: not a plateau.
		{"noisy ramp, latency flat", 200 * ms, []step{{3, 1, 12, 13 * ms}, {5, 1, 20, 13 * ms}, {7, 1, 26, 14 * ms},
			{9, 1, 30, 13 * ms}, {10, 8, 26, 13 * ms}}, false, 0, false, 26, 10, 26, 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := FindPlateau(load.Closed, synthetic(load.Closed, tt.floor, tt.steps...))
			if p.Flat != tt.flat || p.KneeLoad != tt.knee || p.KneeAtMost != tt.atMost {
				t.Errorf("flat %v knee %g atMost %v, want %v %g %v (%s)", p.Flat, p.KneeLoad, p.KneeAtMost,
					tt.flat, tt.knee, tt.atMost, p)
			}
			if len(p.Levels) != tt.levelCount || p.TopRPS != tt.topRPS {
				t.Errorf("levels %d top %.1f req/s, want %d levels, top %.1f (partial last second counted?)",
					len(p.Levels), p.TopRPS, tt.levelCount, tt.topRPS)
			}
			if tt.peakLoad != 0 && (p.PeakRPS != tt.peak || p.PeakLoad != tt.peakLoad) {
				t.Errorf("peak %.1f req/s at %g users, want %.1f at %g", p.PeakRPS, p.PeakLoad, tt.peak, tt.peakLoad)
			}
			if d := p.LatencyGrowth - tt.latGrowth; d > 0.01 || d < -0.01 {
				t.Errorf("latency growth %.2f, want %.2f", p.LatencyGrowth, tt.latGrowth)
			}
		})
	}
}

// The sustained peak is a mean over steady seconds: neither a one-second
// burst nor the seconds in which users joined make it.
func TestSustainedPeak(t *testing.T) {
	tests := []struct {
		name     string
		users    []int
		requests []int64
		rps      float64
		at       int
		load     float64
	}{
		{"burst", []int{10, 10, 10, 10, 10, 10, 10, 10, 10}, []int64{100, 100, 200, 100, 100, 150, 150, 150, 100}, 150, 5, 10},
		{"ramp then steady", []int{5, 10, 15, 20, 20, 20, 20, 20}, []int64{30, 35, 36, 36, 20, 21, 22, 20}, 21, 4, 20},
		{"steady stretches of two", []int{5, 5, 20, 20, 40, 40}, []int64{50, 50, 99, 100, 101, 100}, 100, 3, 20},
		{"ramp only", []int{2, 4, 6, 8, 10}, []int64{10, 20, 30, 40, 50}, 40, 2, 8},
		{"no seconds", nil, nil, 0, 0, 0},
	}
	for _, tt := range tests {
		secs := make([]analysis.Second, len(tt.users))
		for i := range secs {
			secs[i] = analysis.Second{T: i, ActiveUsers: tt.users[i], Requests: tt.requests[i], Successes: tt.requests[i]}
		}
		rps, at, load := sustainedPeak(load.Closed, secs)
		if rps != tt.rps || at != tt.at || load != tt.load {
			t.Errorf("%s: peak %.1f at second %d (%g users), want %.1f at %d (%g)", tt.name, rps, at, load, tt.rps, tt.at, tt.load)
		}
	}
}

// A run without a whole second of load has no plateau to judge.
func TestNoWholeSecond(t *testing.T) {
	v := Diagnose(VerdictInput{Model: load.Open, Summary: analysis.Summary{Duration: 500 * time.Millisecond,
		Seconds: []analysis.Second{{T: 0, TargetRate: 5, Requests: 2, Successes: 2}}}, TargetLimit: 100, GeneratorLimit: 200})
	if v.Kind != NotSaturated || len(v.Plateau.Levels) != 0 || !strings.Contains(strings.Join(v.Evidence, " "), "nothing to judge") {
		t.Errorf("verdict %q, evidence %v, plateau %s", v.Kind, v.Evidence, v.Plateau)
	}
}

func TestSteadySeconds(t *testing.T) {
	s := synthetic(load.Closed, time.Millisecond, step{5, 2, 10, time.Millisecond}, step{10, 5, 20, time.Millisecond})
	got := SteadySeconds(load.Closed, s)
	if len(got) != 4 || got[0].T != 3 || got[len(got)-1].T != 6 {
		t.Errorf("steady seconds %+v, want seconds 3 to 6", got)
	}
	// A top load that lasted one second falls back to the last seconds.
	s = synthetic(load.Closed, time.Millisecond, step{5, 6, 10, time.Millisecond}, step{10, 1, 20, time.Millisecond})
	if got := SteadySeconds(load.Closed, s); len(got) != SustainWindow+2 {
		t.Errorf("got %d steady seconds, want %d", len(got), SustainWindow+2)
	}
}

// TestNumbersAsPeopleWriteThem: loads print whole, never in exponent form.
func TestNumbersAsPeopleWriteThem(t *testing.T) {
	p := Plateau{PeakRPS: 12000, PeakLoad: 10000, TopLoad: 10000, Levels: []Level{{Load: 10000}}}
	if s := p.String(); !strings.Contains(s, "at 10000 users") || strings.Contains(s, "e+") {
		t.Errorf("plateau %q", s)
	}
}

// withPhases gives s phases: connect and TLS taking those shares of the
// latency, reuse the share of requests over kept-alive connections.
func withPhases(s analysis.Summary, connect, tls, reuse float64) analysis.Summary {
	p := &s.Phases
	p.Sent, p.Responses = s.Total.Requests, s.Total.Responses
	p.Reused = int64(reuse * float64(p.Sent))
	p.NewConns = p.Sent - p.Reused
	shares := []float64{0, connect, tls, 1 - connect - tls, 0}
	for i, sh := range shares {
		p.Phases[i] = analysis.PhaseStat{Name: load.PhaseNames[i], Share: sh,
			Mean: time.Duration(sh * float64(s.Total.Avg)), P95: time.Duration(sh * float64(s.Total.P95))}
	}
	return s
}
