package runflags

import (
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"exp/target"
)

// exp plan's flags, as the CLI and the UI give them, lay the plan out as
// one whole RunSpec a cell: every flag carried into each, only the level's
// users and spawn rate, the variant and the run's name differing.
func TestPlanFlagsToCells(t *testing.T) {
	fs := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var pf Plan
	pf.Bind(fs)
	args := []string{"--levels", "10:2,50:5", "--variants", "single,pooled", "--duration", "4s",
		"--timeout", "3s", "--pool-size", "3", "--queue", "7", "--wait", "0", "--tasks", "/health:1,/io?ms=20:1"}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	p, err := pf.Spec(fs)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := p.Cells("p")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		variant target.Variant
		users   int
		spawn   float64
		name    string
	}{{target.Single, 10, 2, "p-single-10"}, {target.Pooled, 10, 2, "p-pooled-10"},
		{target.Single, 50, 5, "p-single-50"}, {target.Pooled, 50, 5, "p-pooled-50"}}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, w := range want {
		c := cells[i]
		if p.Cell.Load.Duration != 4*time.Second || p.Cell.Load.Timeout != 3*time.Second ||
			p.Cell.Target.Builtin.PoolSize != 3 || p.Cell.Target.Builtin.Queue != 7 || len(p.Cell.Load.Tasks) != 2 {
			t.Fatalf("the flags did not reach the plan's cell: %+v", p.Cell)
		}
		// The cell is the template with only its own fields changed.
		exp := p.Cell
		exp.Load.Users, exp.Load.SpawnRate, exp.Load.Name = w.users, w.spawn, w.name
		exp.Target.Builtin.Variant = w.variant
		if !reflect.DeepEqual(c.Spec, exp) {
			t.Errorf("cell %d:\n got %+v\nwant %+v", i+1, c.Spec, exp)
		}
		if c.Cell != i+1 || c.RunName != w.name || c.Variant != string(w.variant) || c.Users != w.users || c.SpawnRate != w.spawn {
			t.Errorf("cell %d row: %+v", i+1, c.PlanCell)
		}
	}
}
