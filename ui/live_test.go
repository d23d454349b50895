package ui

import (
	"testing"
	"time"

	"exp/load"
)

// A live chart's point holds to the README's definitions: its req/s is
// the responses that completed in the second (the open model's offered
// rate is its load, not its throughput), its latencies those of the
// answered requests started in it; drops are failures.
func TestLivePointsAreThroughput(t *testing.T) {
	ms := time.Millisecond
	cfg := load.RunConfig{Model: load.Open, Rate: 100, Duration: 3 * time.Second}
	a := newSecAgg(cfg)
	for i := range 300 { // 100 arrivals a second; one in ten answered, 1.5 s later
		s := load.Sample{Start: time.Duration(i) * 10 * ms, Class: load.Dropped}
		if i%10 == 0 {
			s.Class, s.Status, s.Latency = load.OK, 200, 1500*ms
		}
		a.Add(s)
	}
	pts, requests, failures := a.since(0, 5)
	if requests != 300 || failures != 270 {
		t.Errorf("%d requests, %d failures; want 300, 270", requests, failures)
	}
	want := []struct{ rps, p95, load float64 }{{0, 1500, 100}, {5, 1500, 100}, {10, 1500, 100}, {10, 0, 0}, {5, 0, 0}}
	if len(pts) != len(want) {
		t.Fatalf("%d points, want %d: %+v", len(pts), len(want), pts)
	}
	for i, w := range want {
		if p := pts[i]; p.RPS != w.rps || p.P95 != w.p95 || p.Load != w.load {
			t.Errorf("second %d: %.0f req/s, p95 %.0f ms, load %.0f; want %.0f, %.0f, %.0f", i, p.RPS, p.P95, p.Load, w.rps, w.p95, w.load)
		}
	}
}
