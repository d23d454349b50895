package lab

import (
	"reflect"
	"testing"
	"time"

	"exp/input"
	"exp/load"
	"exp/store"
	"exp/target"
)

func baseSpec(t *testing.T) RunSpec {
	t.Helper()
	tasks, err := load.ParseTasks("/health:1,/io:1")
	if err != nil {
		t.Fatal(err)
	}
	return RunSpec{Load: load.RunConfig{Model: load.Closed, Tasks: tasks, Users: 1, SpawnRate: 1,
		Duration: 3 * time.Second, Timeout: time.Second, KeepAlive: true},
		Target: Target{Builtin: target.DefaultOptions()}, SampleEvery: time.Second}
}

// TestPlanCells: --levels 10:2,50:5 --variants single,pooled gives four
// runs, level by level, each a RunSpec of its own.
func TestPlanCells(t *testing.T) {
	levels, err := ParseLevels("10:2,50:5")
	if err != nil {
		t.Fatal(err)
	}
	variants, err := target.ParseVariants("single,pooled")
	if err != nil {
		t.Fatal(err)
	}
	p := PlanSpec{Variants: variants, Levels: levels, Cell: baseSpec(t)}
	cells, err := p.Cells("p1")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		cell    int
		variant target.Variant
		users   int
		spawn   float64
		name    string
	}
	wants := []want{{1, target.Single, 10, 2, "p1-single-10"}, {2, target.Pooled, 10, 2, "p1-pooled-10"},
		{3, target.Single, 50, 5, "p1-single-50"}, {4, target.Pooled, 50, 5, "p1-pooled-50"}}
	if len(cells) != len(wants) {
		t.Fatalf("%d cells", len(cells))
	}
	for i, w := range wants {
		c := cells[i]
		got := want{c.Cell, c.Spec.Target.Builtin.Variant, c.Spec.Load.Users, c.Spec.Load.SpawnRate, c.Spec.Load.Name}
		if got != w || c.Variant != string(w.variant) || c.RunName != w.name || c.Users != w.users ||
			c.Spec.Load.Model != load.Closed || !reflect.DeepEqual(c.Spec.Load.Tasks, p.Cell.Load.Tasks) {
			t.Errorf("cell %d: %+v (row %+v), want %+v", i+1, got, c.PlanCell, w)
		}
	}
	// The template is not changed by laying it out.
	if p.Cell.Load.Users != 1 || p.Cell.Target.Builtin.Variant != target.Goroutine {
		t.Errorf("the plan's cell template changed: %+v", p.Cell)
	}
	// An external target: one run per level, named without a variant.
	ext := baseSpec(t)
	ext.Target = Target{URL: "http://127.0.0.1:9"}
	cells, err = PlanSpec{Levels: levels, Cell: ext}.Cells("p2")
	if err != nil || len(cells) != 2 || cells[0].RunName != "p2-10" || cells[1].Variant != "" || cells[1].Label() != "at 50 users" {
		t.Errorf("external plan: %+v, %v", cells, err)
	}
}

func TestPlanSpecErrorsNameTheField(t *testing.T) {
	bad := baseSpec(t)
	bad.Load.Timeout = 0
	ext := baseSpec(t)
	ext.Target = Target{URL: "http://127.0.0.1:9"}
	for _, c := range []struct {
		spec  PlanSpec
		field string
	}{
		{PlanSpec{Cell: baseSpec(t)}, "levels"},
		{PlanSpec{Levels: []store.PlanLevel{{Users: 1, SpawnRate: 1}}, Cell: bad}, "timeout"},
		{PlanSpec{Variants: []target.Variant{target.Single}, Levels: []store.PlanLevel{{Users: 1, SpawnRate: 1}}, Cell: ext}, "variants"},
	} {
		e, ok := input.As(c.spec.Check())
		if !ok || e.Field != c.field {
			t.Errorf("plan %+v: error %v, want one of field %q", c.spec, e, c.field)
		}
	}
	for _, s := range []string{"0:1", "10:2,5:1", "10:x", "10:NaN", "10:-1", ""} {
		if _, err := ParseLevels(s); err == nil {
			t.Errorf("ParseLevels(%q) accepted", s)
		} else if e, ok := input.As(err); !ok || e.Field != "levels" {
			t.Errorf("ParseLevels(%q): %v", s, err)
		}
	}
}
