package analysis

import (
	"exp/load"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestPercentileKnownDistribution(t *testing.T) {
	v := make([]uint32, 1000)
	for i := range v {
		v[i] = uint32(i + 1) // 1..1000
	}
	for _, tt := range []struct {
		p    float64
		want uint32
	}{{50, 500}, {90, 900}, {95, 950}, {99, 990}, {99.9, 999}, {100, 1000}, {0.01, 1}} {
		if got := Percentile(v, tt.p); got != tt.want {
			t.Errorf("p%g = %d, want %d", tt.p, got, tt.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

// The aggregate row is checked against a naive recomputation: sort
// everything together and take ranks.
func TestMergedPercentilesMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	parts := make([][]uint32, 3)
	var all []uint32
	for i := range parts {
		for j := 0; j < 1000*(i+1); j++ {
			v := uint32(rng.ExpFloat64() * float64(1000*(i+1)))
			parts[i] = append(parts[i], v)
			all = append(all, v)
		}
		slices.Sort(parts[i])
	}
	slices.Sort(all)
	got := mergedPercentiles(parts, summaryPercentiles)
	for i, p := range summaryPercentiles {
		if want := Percentile(all, p); got[i] != want {
			t.Errorf("merged p%g = %d, want %d", p, got[i], want)
		}
	}
}

func TestAnalyzerSummary(t *testing.T) {
	cfg := load.RunConfig{Model: load.Closed, Users: 2, SpawnRate: 1, Duration: 3 * time.Second,
		Tasks: []load.Task{{Method: "GET", Path: "/a", Weight: 1}, {Method: "GET", Path: "/b", Weight: 1}}}
	a := NewAnalyzer(cfg)
	ms := time.Millisecond
	for i := 1; i <= 100; i++ {
		a.Add(load.Sample{Start: time.Duration(i) * 20 * ms, Latency: time.Duration(i) * ms, Endpoint: 0, Status: 200, Bytes: 10})
	}
	a.Add(load.Sample{Start: 2500 * ms, Latency: 5 * ms, Endpoint: 1, Class: load.HTTP, Status: 503})
	a.Add(load.Sample{Start: 2600 * ms, Latency: 7 * ms, Endpoint: 1, Class: load.Refused})
	s := a.Summary(2 * time.Second)
	a0, b, tot := s.Endpoints[0], s.Endpoints[1], s.Total
	if a0.Requests != 100 || a0.Failures != 0 || a0.P50 != 50*ms || a0.P99 != 99*ms || a0.Min != ms || a0.Max != 100*ms {
		t.Errorf("endpoint /a stats wrong: %+v", a0)
	}
	if a0.Avg != 50500*time.Microsecond || a0.AvgBytes != 10 || a0.RPS != 50 {
		t.Errorf("endpoint /a avg/bytes/rps wrong: %+v", a0)
	}
	if b.Requests != 2 || b.Failures != 2 || b.Name != "/b" {
		t.Errorf("endpoint /b stats wrong: %+v", b)
	}
	if tot.Requests != 102 || tot.Failures != 2 || tot.Name != "Aggregated" || tot.Min != ms || tot.Max != 100*ms {
		t.Errorf("aggregate wrong: %+v", tot)
	}
	// The 503 is an answer, the refusal is not: latency and the rates are
	// over the 101 answers, the floor and rates of successes over /a's 100.
	if tot.Responses != 101 || tot.Successes != 100 || b.Responses != 1 || b.Max != 5*ms ||
		a0.Floor != 2*ms || a0.SuccessP50 != 50*ms || tot.SuccessRPS != 50 || tot.RPS != 50.5 {
		t.Errorf("answered figures wrong: total %+v, /b %+v", tot, b)
	}
	if len(s.Failures) != 2 || s.Failures[0].Count != 1 {
		t.Errorf("failures wrong: %+v", s.Failures)
	}
	names := []string{s.Failures[0].Class, s.Failures[1].Class}
	slices.Sort(names)
	if names[0] != "http-503" || names[1] != "refused" {
		t.Errorf("failure classes %v", names)
	}
	// Samples start at 20ms..2000ms: seconds 0, 1 and 2 exist; users follow
	// the schedule (1 user, then 2 after 1 s).
	if len(s.Seconds) != 3 || s.Seconds[0].ActiveUsers != 1 || s.Seconds[1].ActiveUsers != 2 {
		t.Errorf("seconds wrong: %+v", s.Seconds)
	}
	var n int64
	for _, sec := range s.Seconds {
		n += sec.Requests
	}
	if n != tot.Requests || s.Seconds[2].Failures != 2 {
		t.Errorf("seconds count %d requests, want %d; %+v", n, tot.Requests, s.Seconds)
	}
}
