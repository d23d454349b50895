package report

import (
	"exp/analysis"
	"exp/verdict"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func compareFixture() ([]CompareRun, [][]verdict.Change) {
	ms := time.Millisecond
	run := func(name string, rps float64, p50 time.Duration, fails int64, cpu float64) CompareRun {
		total := analysis.Stats{Endpoint: -1, Name: "Aggregated", Requests: int64(rps * 10), Failures: fails,
			RPS: rps, SuccessRPS: rps - float64(fails)/10, Avg: p50 + ms, Min: ms, Max: 10 * p50, P50: p50, P90: 2 * p50, P95: 3 * p50, P99: 4 * p50, P999: 5 * p50}
		io := total
		io.Endpoint, io.Method, io.Name = 0, "GET", "/io"
		return CompareRun{Name: name,
			Summary: analysis.Summary{Total: total, Endpoints: []analysis.Stats{io}},
			Resources: analysis.Resources{HasTarget: true, TargetCPUMean: cpu, TargetCPUMax: cpu * 1.5,
				TargetRSSMax: 20 << 20, GeneratorCPUMax: 12, Readings: 10},
			Verdict: verdict.Verdict{Kind: verdict.NotSaturated, Evidence: []string{"some evidence"},
				Plateau: verdict.Plateau{PeakRPS: rps * 1.1, Levels: []verdict.Level{{Load: 10, RPS: rps}}, TopLoad: 10, TopRPS: rps}},
		}
	}
	runs := []CompareRun{run("single", 20, 900*ms, 0, 3), run("goroutine", 400, 51*ms, 4, 30), run("pooled", 20.2, 905*ms, 0, 3.1)}
	changes := [][]verdict.Change{
		{{Metric: "median latency", Unit: "ms", Base: 900, Value: 51, Pct: -94.3, Lo: -94.5, Hi: -94.1},
			{Metric: "p95 latency", Unit: "ms", Base: 2700, Value: 153, Pct: -94.3, Lo: -94.6, Hi: -94.0},
			{Metric: "throughput", Unit: "req/s", Base: 20, Value: 400, Pct: 1900, Lo: 1700, Hi: 2100}},
		{{Metric: "median latency", Unit: "ms", Base: 900, Value: 905, Pct: 0.6, Lo: 0.1, Hi: 1.2},
			{Metric: "p95 latency", Unit: "ms", Base: 2700, Value: 2715, Pct: 0.6, Lo: -0.5, Hi: 1.5},
			{Metric: "throughput", Unit: "req/s", Base: 20, Value: 20.2, Pct: 1, Lo: math.NaN(), Hi: math.NaN(), N: [2]int{1, 1}}},
	}
	return runs, changes
}

func TestCompareGolden(t *testing.T) {
	var b strings.Builder
	runs, changes := compareFixture()
	Compare(&b, runs, changes)
	got := b.String()
	path := filepath.Join("testdata", "compare.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("compare output differs from %s (go test -update to accept):\n%s", path, got)
	}
}

func TestCell(t *testing.T) {
	pctRow := row{format: rpsCell}
	rateRow := row{format: func(v float64) string { return "x" }, points: true}
	tests := []struct {
		rw        row
		v, base   float64
		ok, delta bool
		want      string
	}{
		{pctRow, 12, 10, true, true, "12.0 (+20.0%)"},
		{pctRow, 12, 10, true, false, "12.0"},
		{pctRow, 0, 0, true, true, "0.0 (=)"},
		{pctRow, 3, 0, true, true, "3.0 (new)"},
		{pctRow, 300, 10, true, true, "300.0 (+2900%)"},
		{pctRow, 1, 10, false, true, "-"},
		{rateRow, 1.5, 0.5, true, true, "x (+1.00 pt)"},
	}
	for _, tt := range tests {
		if got := cell(tt.rw, tt.v, tt.ok, tt.base, tt.delta); got != tt.want {
			t.Errorf("cell(%g vs %g) = %q, want %q", tt.v, tt.base, got, tt.want)
		}
	}
}
