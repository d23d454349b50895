package lab

import (
	"encoding/json"
	"testing"

	"exp/analysis"
	"exp/load"
	"exp/locust"
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
			in, err := VerdictInput(r, analysis.Summary{}, analysis.Resources{})
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
	if in, _ := VerdictInput(pinned, analysis.Summary{}, analysis.Resources{}); in.GeneratorLimit != 100 || in.TargetLimit != 400 {
		t.Errorf("pinned generator: %+v", in)
	}
	if _, err := VerdictInput(store.Run{Name: "bad", Variant: "pooled", VariantParams: "{"}, analysis.Summary{}, analysis.Resources{}); err == nil {
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
