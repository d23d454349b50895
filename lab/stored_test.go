package lab

import (
	"encoding/json"
	"testing"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/locust"
	"exp/monitor"
	"exp/store"
	"exp/target"
)

func paramsJSON(t *testing.T, o target.Options) string {
	t.Helper()
	b, err := json.Marshal(o.Params())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVerdictInput: what the verdict is told of each kind of target.
func TestVerdictInput(t *testing.T) {
	pooled := target.DefaultOptions()
	pooled.Variant, pooled.PoolSize = target.Pooled, 6
	single := target.DefaultOptions()
	single.Variant = target.Single
	goroutine := target.DefaultOptions()
	warn := []analysis.Warning{{Code: analysis.GeneratorSaturated, Text: "generator CPU above 90%"}}
	cases := []struct {
		name                  string
		variant, params       string
		targetLimit, genLimit float64
		concurrency           int
	}{
		{"single: one core, one at a time", "single", paramsJSON(t, single), 100, 400, 1},
		{"pooled: the machine, its pool", "pooled", paramsJSON(t, pooled), 400, 400, 6},
		{"goroutine: the machine, unbounded", "goroutine", paramsJSON(t, goroutine), 400, 400, 0},
		{"pooled from an older row", "pooled", `{"pool_size":3,"queue":16,"variant":"pooled"}`, 400, 400, 3},
		{"external server", "", "", 400, 400, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := store.Run{Name: "r", Variant: c.variant, VariantParams: c.params, Host: store.Host{Cores: 4},
				Config: load.RunConfig{Model: load.Open}, Warnings: warn}
			in, err := VerdictInput(r, analysis.Summary{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if in.TargetLimit != c.targetLimit || in.GeneratorLimit != c.genLimit || in.Concurrency != c.concurrency ||
				in.Model != load.Open || len(in.Warnings) != 1 || in.Warnings[0].Code != analysis.GeneratorSaturated {
				t.Errorf("got %+v", in)
			}
		})
	}
	// A generator pinned to one core of four can use one.
	pinned := store.Run{Name: "p", Host: store.Host{Cores: 4, GOMAXPROCS: 1}}
	if in, _ := VerdictInput(pinned, analysis.Summary{}, nil); in.GeneratorLimit != 100 || in.TargetLimit != 400 {
		t.Errorf("pinned generator: %+v", in)
	}
	if _, err := VerdictInput(store.Run{Name: "bad", Variant: "pooled", VariantParams: "{"}, analysis.Summary{}, nil); err == nil {
		t.Error("unreadable variant params were taken")
	}
}

func TestHistoryPercentilesAreLocusts(t *testing.T) {
	if store.HistoryPercentiles != locust.Percentiles {
		t.Fatalf("store.HistoryPercentiles %v differ from locust.Percentiles %v", store.HistoryPercentiles, locust.Percentiles)
	}
	l := locust.NoLadder()
	l[0], l[4], l[10] = 1.5, 9, 20
	if got := ladderOf(storedLadder(l)); got[0] != 1.5 || got[4] != 9 || got[10] != 20 || got[1] == got[1] {
		t.Errorf("ladder round trip: %v", got)
	}
}

// A staged run that saturates the target only at its top stage is judged
// on that stage's readings: the whole run's median CPU (light stages
// included) would hide the limit.
func TestVerdictInputSteadyResources(t *testing.T) {
	sum := analysis.Summary{Duration: 10 * time.Second}
	var us []monitor.Usage
	for s := range 10 {
		users, cpu := 5, 20.0
		if s >= 5 {
			users, cpu = 40, 99
		}
		sum.Seconds = append(sum.Seconds, analysis.Second{T: s, ActiveUsers: users, Requests: 100, Successes: 100})
		at := time.Duration(s+1) * time.Second // a reading covers the second before it
		us = append(us, monitor.Usage{T: at, Scope: monitor.ScopeTarget, CPUPct: cpu, MachinePct: cpu / 4},
			monitor.Usage{T: at, Scope: monitor.ScopeGenerator, CPUPct: 5, MachinePct: 1},
			monitor.Usage{T: at, Scope: monitor.ScopeSystem, MachinePct: cpu/4 + 1})
	}
	r := store.Run{Name: "staged", Variant: "single", VariantParams: `{"variant":"single"}`, Host: store.Host{Cores: 4},
		Config: load.RunConfig{Model: load.Closed}}
	in, err := VerdictInput(r, sum, us)
	if err != nil {
		t.Fatal(err)
	}
	if in.Resources.TargetCPUMedian != 99 || in.Resources.TargetReadings != 4 || in.CPUWindow != "over the steady seconds 6-9" {
		t.Errorf("steady resources: median %v over %d readings, window %q; want 99 over seconds 6-9",
			in.Resources.TargetCPUMedian, in.Resources.TargetReadings, in.CPUWindow)
	}
	if all := analysis.SummarizeResources(us); all.TargetCPUMedian >= 85 {
		t.Fatalf("the case needs a whole-run median below the cpu-bound share, got %v", all.TargetCPUMedian)
	}
	// A run of one load: its readings are the whole run's, said as such.
	for i := range sum.Seconds {
		sum.Seconds[i].ActiveUsers = 40
	}
	if in, _ := VerdictInput(r, sum, us[:9]); in.CPUWindow != "" {
		t.Errorf("three seconds of one load: window %q, want the whole run's", in.CPUWindow)
	}
}
