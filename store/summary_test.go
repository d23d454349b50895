package store

import (
	"context"
	"exp/analysis"
	"reflect"
	"testing"
	"time"

	"exp/monitor"
)

func testSummary() analysis.Summary {
	ms := time.Millisecond
	st := func(ep int, method, name string, n int64) analysis.Stats {
		return analysis.Stats{Endpoint: ep, Method: method, Name: name, Requests: n, Failures: n / 10,
			RPS: float64(n) / 90, FailPerSec: float64(n/10) / 90, AvgBytes: 123.5,
			Avg: 12345 * time.Microsecond, Min: 250 * time.Microsecond, Max: 2 * time.Second,
			P50: 10 * ms, P90: 20 * ms, P95: 30 * ms, P99: 40 * ms, P999: 1500 * time.Microsecond}
	}
	return analysis.Summary{
		Duration:  90 * time.Second,
		Endpoints: []analysis.Stats{st(0, "GET", "/health", 400), st(1, "GET", "/io?ms=200", 600)},
		Total:     st(-1, "", "Aggregated", 1000),
		Seconds: []analysis.Second{
			{T: 0, ActiveUsers: 5, Requests: 10, Failures: 1, P50: ms, P95: 2 * ms, P99: 3 * ms},
			{T: 1, ActiveUsers: 10, TargetRate: 0, Requests: 20, P50: ms, P95: 2 * ms, P99: 3 * ms},
		},
		Failures: []analysis.FailureCount{
			{Endpoint: 1, Method: "GET", Name: "/io?ms=200", Class: "http-503", Count: 60},
			{Endpoint: 0, Method: "GET", Name: "/health", Class: "refused", Count: 40},
		},
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "r")
	first := testSummary()
	first.Seconds = first.Seconds[:1]
	if err := db.SaveSummary(ctx, id, first); err != nil {
		t.Fatal(err)
	}
	want := testSummary() // saved again: replaces the first
	if err := db.SaveSummary(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	got, err := db.Summary(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summary\n%+v\nwant\n%+v", got, want)
	}
	stats, _ := db.EndpointStats(ctx, id)
	if last := stats[len(stats)-1]; last.Endpoint != -1 || last.Name != "Aggregated" {
		t.Errorf("last endpoint stats row %+v, want the aggregate", last)
	}
}

func TestUsageRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "r")
	want := []monitor.Usage{
		{T: 0, Scope: monitor.ScopeGenerator, CPUPct: 50, MachinePct: 25, RSS: 1 << 30, MemPct: 3.5,
			Threads: 12, FDs: 40, TCPEstablished: 10, TCPTimeWait: 2, TCPOther: 1, SysTimeWait: 5},
		{T: 0, Scope: monitor.ScopeTarget, CPUPct: 150, MachinePct: 75, RSS: 1 << 20, FDs: -1},
		{T: time.Second, Scope: monitor.ScopeSystem, CPUPct: 180, MachinePct: 90, MemPct: 40},
	}
	if err := db.InsertUsage(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	got, err := db.Usage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Usage\n%+v\nwant\n%+v", got, want)
	}
}
