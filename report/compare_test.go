package report

import (
	"encoding/json"
	"exp/analysis"
	"exp/compare"
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

func compareFixture() Comparison {
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
	ch := func(f compare.Figure, base, v, pct, lo, hi float64, src compare.Source, j compare.Judgement) compare.Change {
		return compare.Change{Figure: f, Base: base, Value: v, Pct: pct, Lo: lo, Hi: hi, Source: src, Judgement: j,
			Runs: [2]int{3, 3}, DF: 4, Block: 3}
	}
	nan := math.NaN()
	changes := [][]compare.Change{
		{ch(compare.P50, 900, 51, -94.3, -94.5, -94.1, compare.BetweenRuns, compare.Real),
			ch(compare.P95, 2700, 153, -94.3, -94.6, -94.0, compare.BetweenRuns, compare.Real),
			ch(compare.P99, 3600, 204, -94.3, nan, nan, compare.NoSource, compare.TooLittleData),
			ch(compare.Throughput, 20, 400, 1900, 1700, 2100, compare.BetweenRuns, compare.Real)},
		{ch(compare.P50, 900, 905, 0.6, 0.1, 1.2, compare.WithinRun, compare.Undecided),
			ch(compare.P95, 2700, 2715, 0.6, -0.5, 1.5, compare.WithinRun, compare.WithinNoise),
			ch(compare.P99, 3600, 3620, 0.6, -0.5, 1.5, compare.WithinRun, compare.WithinNoise),
			ch(compare.Throughput, 20, 20.2, 1, nan, nan, compare.NoSource, compare.TooLittleData)},
	}
	gates := [][]compare.GateResult{compare.Check([]compare.Gate{{Figure: compare.P95, TolPct: 5}}, "goroutine", changes[0]),
		compare.Check([]compare.Gate{{Figure: compare.P95, TolPct: 5}}, "pooled", changes[1])}
	return Comparison{Runs: runs, Base: Side{Name: "single", Group: true, Runs: []string{"single"}},
		Others:  []Side{{Name: "goroutine", Group: true, Runs: []string{"goroutine"}}, {Name: "pooled", Runs: []string{"pooled"}}},
		Changes: changes, Gates: gates}
}

func TestCompareGolden(t *testing.T) {
	var b strings.Builder
	if err := Compare(&b, compareFixture()); err != nil {
		t.Fatal(err)
	}
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

// The JSON and Markdown forms carry the same judgements and gates.
func TestCompareFormats(t *testing.T) {
	c := compareFixture()
	var js, md strings.Builder
	if err := CompareJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Candidates []struct {
			Name    string
			Changes []struct {
				Figure    string
				Judgement string
				ChangePct *float64 `json:"change_pct"`
				CILowPct  *float64 `json:"ci_low_pct"`
			}
			Gates []struct{ Failed bool }
		}
		GateFailed bool `json:"gate_failed"`
	}
	if err := json.Unmarshal([]byte(js.String()), &got); err != nil {
		t.Fatalf("%v:\n%s", err, js.String())
	}
	if len(got.Candidates) != 2 || got.Candidates[0].Changes[0].Judgement != "real" ||
		got.Candidates[1].Changes[0].Judgement != "undecided" || got.Candidates[0].Changes[2].CILowPct != nil {
		t.Errorf("json: %+v", got)
	}
	if got.GateFailed || got.Candidates[0].Gates[0].Failed {
		t.Errorf("json: a p95 that got 94%% better failed its gate: %s", js.String())
	}
	if err := CompareMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| group goroutine (1 run) |", "real: better", "undecided", "✅ `p95:+5%`", "— gate passed"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}
