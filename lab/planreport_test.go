package lab

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exp/analysis"
	"exp/store"
	"exp/target"
)

// TestWritePlanReport builds the report of a plan whose runs a test
// stored: two variants at two levels, one cell never run.
func TestWritePlanReport(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t)
	levels := []store.PlanLevel{{Users: 10, SpawnRate: 2}, {Users: 50, SpawnRate: 5}}
	spec := PlanSpec{Variants: []target.Variant{target.Single, target.Goroutine}, Levels: levels, Cell: baseSpec(t)}
	th, err := analysis.ParseThresholds([]string{"rps>150", "fail_rate<5%"})
	if err != nil {
		t.Fatal(err)
	}
	spec.Cell.Thresholds = th
	cfg, err := spec.config()
	if err != nil {
		t.Fatal(err)
	}
	p := store.Plan{Name: "p", Variants: []string{"single", "goroutine"}, Levels: levels, Duration: 10 * time.Second, Config: cfg}
	if p.ID, err = db.CreatePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	cells, err := spec.Cells("p")
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]int64{
		"p-single-10":    fixedRun(t, db, "p-single-10", target.Single, 100, 10*time.Millisecond, 95),
		"p-goroutine-10": fixedRun(t, db, "p-goroutine-10", target.Goroutine, 100, 10*time.Millisecond, 40),
		"p-single-50":    fixedRun(t, db, "p-single-50", target.Single, 100, 400*time.Millisecond, 99),
		// p-goroutine-50 never ran.
	}
	for _, c := range cells {
		if err := db.AddPlanCell(ctx, p.ID, c.PlanCell); err != nil {
			t.Fatal(err)
		}
		if id := runs[c.RunName]; id != 0 {
			if err := db.LinkPlanRun(ctx, p.ID, c.Cell, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.FinishPlan(ctx, p.ID, store.PlanCompleted, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindPlan(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	again, err := StoredThresholds(stored)
	if err != nil || len(again) != 2 || again[0].Text != "rps>150" {
		t.Fatalf("stored thresholds %+v, %v", again, err)
	}
	dir := t.TempDir()
	rep, err := WritePlanReport(ctx, db, "p", dir, again)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Report
	if len(r.Cells) != 4 || len(r.Levels) != 2 || len(rep.Files) != 2 {
		t.Fatalf("report: %d cells, %d levels, files %v", len(r.Cells), len(r.Levels), rep.Files)
	}
	for _, c := range r.Cells {
		id, ran := runs[c.Run]
		switch {
		case c.Variant == "goroutine" && c.Users == 50:
			if c.Run != "" || len(c.Thresholds) != 0 {
				t.Errorf("the cell that never ran: %+v", c)
			}
		case !ran:
			t.Errorf("cell %s at %d: run %q", c.Variant, c.Users, c.Run)
		default:
			// Figures as a naive count gives them; each threshold checked.
			if want := naiveRPS(t, db, id); math.Abs(c.RPS-want) > 1e-9 || c.Requests != 1000 || c.Failures != 20 {
				t.Errorf("cell %s: rps %v (want %v), %d requests, %d failures", c.Run, c.RPS, want, c.Requests, c.Failures)
			}
			if len(c.Thresholds) != 2 || c.Thresholds[0].Passed || !c.Thresholds[1].Passed {
				t.Errorf("cell %s thresholds %+v", c.Run, c.Thresholds)
			}
			if c.Observation == "" || !strings.Contains(c.Observation, "req/s") {
				t.Errorf("cell %s observation %q", c.Run, c.Observation)
			}
		}
	}
	if rep.Breaches() != 3 {
		t.Errorf("%d breaches, want 3 (rps>150 in each run)", rep.Breaches())
	}
	if r.Levels[0].Compare == "" || r.Levels[1].Compare != "" {
		t.Errorf("compare text at 10 users %q, at 50 users %q (one run: none)", r.Levels[0].Compare, r.Levels[1].Compare)
	}
	var settings map[string]string = map[string]string{}
	for _, kv := range r.Settings {
		settings[kv[0]] = kv[1]
	}
	if settings["task mix"] != "/health:1,/io:1" || !strings.Contains(settings["thresholds (every run)"], "rps>150") ||
		!strings.Contains(settings["built-in target"], "cpu_work") || strings.Contains(settings["built-in target"], "variant") {
		t.Errorf("settings %v", settings)
	}
	for _, f := range rep.Files {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("report file %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "users-10")); err != nil {
		t.Errorf("no charts of the level: %v", err)
	}
	// An unreadable plan config is an error, not an empty settings table.
	bad := stored
	bad.Config = json.RawMessage(`{`)
	b := planBuilder{p: bad}
	if _, err := b.settings(); err == nil {
		t.Error("a broken plan config was read")
	}
}
