package monitor

import (
	"strings"
	"testing"
	"time"
)

func TestSaturation(t *testing.T) {
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	// gen builds generator rows at T = 1..len(pcts) s.
	gen := func(pcts ...float64) []Usage {
		out := make([]Usage, len(pcts))
		for i, p := range pcts {
			out[i] = Usage{T: sec(i + 1), Scope: ScopeGenerator, CPUPct: p}
		}
		return out
	}
	rep := func(p float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = p
		}
		return out
	}
	cases := []struct {
		name   string
		cpus   int
		rows   []Usage
		fireAt int // index of the row that fires; -1: never
	}{
		{"idle", 2, gen(rep(10, 30)...), -1},
		{"10 s at 190% of 2 cores fires on the 10th", 2, gen(rep(190, 12)...), 9},
		{"9 s is not enough", 2, gen(rep(190, 9)...), -1},
		{"exactly 90% is not above", 2, gen(rep(180, 15)...), -1},
		{"a dip restarts the count", 2, gen(append(append(rep(190, 8), 50), rep(190, 10)...)...), 18},
		{"one core: 95% counts", 1, gen(rep(95, 10)...), 9},
		{"four cores: 190% does not", 4, gen(rep(190, 20)...), -1},
		{"other scopes ignored", 1, []Usage{
			{T: sec(1), Scope: ScopeTarget, CPUPct: 400},
			{T: sec(20), Scope: ScopeSystem, CPUPct: 400},
		}, -1},
		{"2 s interval: 5 readings", 1, []Usage{
			{T: sec(2), Scope: ScopeGenerator, CPUPct: 99},
			{T: sec(4), Scope: ScopeGenerator, CPUPct: 99},
			{T: sec(6), Scope: ScopeGenerator, CPUPct: 99},
			{T: sec(8), Scope: ScopeGenerator, CPUPct: 99},
			{T: sec(10), Scope: ScopeGenerator, CPUPct: 99},
		}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewSaturation(c.cpus)
			fired := -1
			for i, u := range c.rows {
				if w := d.Add(u); w != "" {
					if fired >= 0 {
						t.Fatalf("fired twice: rows %d and %d", fired, i)
					}
					fired = i
					if !strings.Contains(w, "generator CPU above 90% for 10 s") {
						t.Errorf("warning = %q", w)
					}
				}
			}
			if fired != c.fireAt {
				t.Fatalf("fired at row %d, want %d", fired, c.fireAt)
			}
			if (d.Warning() != "") != (c.fireAt >= 0) {
				t.Errorf("Warning() = %q", d.Warning())
			}
		})
	}
}
