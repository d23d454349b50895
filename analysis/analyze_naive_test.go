package analysis

import (
	"exp/load"
	"exp/units"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The Analyzer keeps counts and closes seconds as it goes; fed samples in
// order of completion, as the store returns them, every figure must equal
// a naive recomputation that sorts all the samples.
func TestAnalyzerMatchesNaiveInCompletionOrder(t *testing.T) {
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		lat     func(r *rand.Rand) time.Duration
	}{
		{"fast", time.Second, func(r *rand.Rand) time.Duration {
			return time.Duration(r.ExpFloat64()*800+20) * time.Microsecond
		}},
		{"wide tail up to the timeout", 3 * time.Second, func(r *rand.Rand) time.Duration {
			if r.IntN(100) == 0 {
				return time.Duration(r.Int64N(int64(3 * time.Second)))
			}
			return time.Duration(r.ExpFloat64()*5000) * time.Microsecond
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			cfg := load.RunConfig{Model: load.Closed, Users: 10, SpawnRate: 100, Duration: 20 * time.Second, Timeout: tt.timeout,
				Tasks: []load.Task{{Method: "GET", Path: "/a", Weight: 1}, {Method: "GET", Path: "/b", Weight: 1}, {Method: "GET", Path: "/c", Weight: 1}}}
			var samples []load.Sample
			for i := range 60000 {
				samples = append(samples, load.Sample{Start: time.Duration(rng.Int64N(int64(20 * time.Second))),
					Latency: tt.lat(rng), Endpoint: uint16(i % 3), Status: 200, Bytes: int64(i % 7)})
			}
			slices.SortFunc(samples, func(x, y load.Sample) int { return int((x.Start + x.Latency) - (y.Start + y.Latency)) })
			a := NewAnalyzer(cfg)
			for _, s := range samples {
				a.Add(s)
			}
			if held := heldSeconds(a); held > int(tt.timeout/time.Second)+4 {
				t.Errorf("%d seconds still hold their latencies; want at most timeout + a few", held)
			}
			sum := a.Summary(20 * time.Second)
			naiveEndpoint := func(ep int) []uint32 {
				var v []uint32
				for _, s := range samples {
					if ep < 0 || int(s.Endpoint) == ep {
						v = append(v, units.Micros(s.Latency))
					}
				}
				slices.Sort(v)
				return v
			}
			for ep, st := range append(sum.Endpoints, sum.Total) {
				if st.Endpoint < 0 {
					ep = -1
				}
				checkStats(t, st, naiveEndpoint(ep))
			}
			for _, sec := range sum.Seconds {
				var v []uint32
				for _, s := range samples {
					if int(s.Start/time.Second) == sec.T {
						v = append(v, units.Micros(s.Latency))
					}
				}
				slices.Sort(v)
				if sec.Requests != int64(len(v)) || sec.P50 != us(Percentile(v, 50)) ||
					sec.P95 != us(Percentile(v, 95)) || sec.P99 != us(Percentile(v, 99)) {
					t.Errorf("second %d: %+v, want %d requests p50 %d p95 %d p99 %d µs", sec.T, sec,
						len(v), Percentile(v, 50), Percentile(v, 95), Percentile(v, 99))
				}
			}
		})
	}
}

func checkStats(t *testing.T, st Stats, sorted []uint32) {
	t.Helper()
	want := []uint32{sorted[0], sorted[len(sorted)-1], Percentile(sorted, 50), Percentile(sorted, 90),
		Percentile(sorted, 95), Percentile(sorted, 99), Percentile(sorted, 99.9)}
	got := []time.Duration{st.Min, st.Max, st.P50, st.P90, st.P95, st.P99, st.P999}
	for i := range want {
		if got[i] != us(want[i]) {
			t.Errorf("%s: min,max,p50,p90,p95,p99,p99.9 = %v, want %v µs", st.Name, got, want)
			return
		}
	}
	if st.Requests != int64(len(sorted)) {
		t.Errorf("%s: %d requests, want %d", st.Name, st.Requests, len(sorted))
	}
}

// heldSeconds counts the seconds whose latencies are still kept.
func heldSeconds(a *Analyzer) int {
	n := 0
	for _, b := range a.bySecond {
		if b.lat != nil {
			n++
		}
	}
	return n
}
