package analysis

import (
	"exp/load"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkSummary computes the summary of a run of 1M samples (3
// endpoints, 60 s, 0.1% failures) per op: Add each sample, then Summary,
// as exp run does with the samples it reads back from the store. B/op is
// what the analysis allocates, flat in the number of samples.
func BenchmarkSummary(b *testing.B) {
	const n = 1 << 20
	cfg := load.RunConfig{Model: load.Closed, Users: 50, SpawnRate: 50, Duration: time.Minute, Timeout: 10 * time.Second,
		Tasks: []load.Task{{Method: "GET", Path: "/health", Weight: 1}, {Method: "GET", Path: "/io", Weight: 1}, {Method: "GET", Path: "/cpu", Weight: 1}}}
	rng := rand.New(rand.NewPCG(1, 2))
	samples := make([]load.Sample, n)
	for i := range samples {
		s := &samples[i]
		s.Start = time.Duration(i) * (time.Minute / n)
		s.Latency = time.Duration(rng.ExpFloat64()*2000+50) * time.Microsecond
		s.Endpoint, s.Status, s.Bytes = uint16(i%3), 200, 16
		if i%1000 == 0 {
			s.Class, s.Status = load.HTTP, 503
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a := NewAnalyzer(cfg)
		for _, s := range samples {
			a.Add(s)
		}
		if sum := a.Summary(time.Minute); sum.Total.Requests != n {
			b.Fatalf("summary of %d samples counts %d", n, sum.Total.Requests)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/sample")
}
