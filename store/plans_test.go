package store

import (
	"context"
	"errors"
	"exp/analysis"
	"exp/load"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestPlans(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	name, err := db.NextPlanName(ctx, "plan")
	if err != nil || name != "plan-1" {
		t.Fatalf("NextPlanName = %q, %v", name, err)
	}
	p := Plan{Name: name, Variants: []string{"single", "pooled"}, Duration: 3 * time.Second,
		Levels: []PlanLevel{{Users: 10, SpawnRate: 2}, {Users: 50, SpawnRate: 5}}, Config: []byte(`{"wait":"0"}`)}
	id, err := db.CreatePlan(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePlan(ctx, p); !errors.Is(err, ErrNameTaken) {
		t.Errorf("second plan of one name: %v, want ErrNameTaken", err)
	}
	if name, _ := db.NextPlanName(ctx, "plan"); name != "plan-2" {
		t.Errorf("next name %q, want plan-2", name)
	}
	r1 := mustCreateRun(t, db, "plan-1-single-10")
	cells := []PlanCell{
		{Cell: 1, Variant: "single", Users: 10, SpawnRate: 2, RunName: "plan-1-single-10"},
		{Cell: 2, Variant: "pooled", Users: 10, SpawnRate: 2, RunName: "plan-1-pooled-10"},
		{Cell: 3, Variant: "single", Users: 50, SpawnRate: 5, RunName: "plan-1-single-50"},
	}
	for _, c := range cells {
		if err := db.AddPlanCell(ctx, id, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.LinkPlanRun(ctx, id, 1, r1); err != nil {
		t.Fatal(err)
	}
	// Created but never linked (its process died): found by name.
	r2 := mustCreateRun(t, db, "plan-1-pooled-10")
	if err := db.FinishPlan(ctx, id, PlanAborted, "plans/plan-1", time.Now()); err != nil {
		t.Fatal(err)
	}

	got, err := db.FindPlan(ctx, "plan-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Status != PlanAborted || got.OutDir != "plans/plan-1" || got.EndedAt.IsZero() ||
		!reflect.DeepEqual(got.Levels, p.Levels) || !reflect.DeepEqual(got.Variants, p.Variants) ||
		got.Duration != p.Duration || string(got.Config) != `{"wait":"0"}` {
		t.Errorf("FindPlan = %+v", got)
	}
	if byID, err := db.FindPlan(ctx, "1"); err != nil || byID.ID != id {
		t.Errorf("FindPlan by id: %+v, %v", byID, err)
	}
	if _, err := db.FindPlan(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindPlan(nope): %v", err)
	}
	back, err := db.PlanCells(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	cells[0].RunID, cells[1].RunID = r1, r2
	if !reflect.DeepEqual(back, cells) {
		t.Errorf("PlanCells =\n%+v\nwant\n%+v", back, cells)
	}
	var n int
	db.x.Get(&n, `SELECT count(*) FROM plan_summary WHERE plan = 'plan-1'`)
	if n != 3 {
		t.Errorf("plan_summary has %d rows, want 3", n)
	}
}

// A file from before plans is read as it is: no plans; Open adds them.
func TestPlansOnOlderFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exp.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateRun(t, db, "old")
	db.x.MustExec(`DROP VIEW plan_summary`)
	db.x.MustExec(`DROP TABLE plan_runs`)
	db.x.MustExec(`DROP TABLE plans`)
	db.x.MustExec(`DROP TABLE endpoint_percentiles`)
	db.x.MustExec(`DROP TABLE locust_history`)
	db.x.MustExec(`DELETE FROM migrations WHERE name = '0003_plans.sql'`)
	db.Close()

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.FindPlan(context.Background(), "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindPlan on an older file: %v, want ErrNotFound", err)
	}
	if l, err := ro.Ladders(context.Background(), 1); err != nil || l != nil {
		t.Errorf("Ladders on an older file: %v, %v", l, err)
	}
	ro.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindRun(context.Background(), "old"); err != nil {
		t.Error(err)
	}
	if _, err := db.CreatePlan(context.Background(), Plan{Name: "p"}); err != nil {
		t.Errorf("CreatePlan after the migration: %v", err)
	}
}

func TestImportRun(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	ms := time.Millisecond
	io := analysis.Stats{Endpoint: 0, Method: "GET", Name: "/io", Requests: 10, Failures: 1, RPS: 2,
		Avg: 200 * ms, Min: 190 * ms, Max: 250 * ms, P50: 200 * ms, P90: 210 * ms, P95: 220 * ms, P99: 250 * ms, P999: 250 * ms}
	total := io
	total.Endpoint, total.Method, total.Name = -1, "", "Aggregated"
	var pct [len(HistoryPercentiles)]float64
	for i := range pct {
		pct[i] = math.NaN()
	}
	pct[0], pct[1] = 200, 205
	ir := ImportedRun{Name: "locust-1", Started: time.Unix(1_700_000_000, 0), Users: 10,
		Tasks: []load.Task{{Method: "GET", Path: "/io", Weight: 1}},
		Summary: analysis.Summary{Duration: 5 * time.Second, Endpoints: []analysis.Stats{io}, Total: total,
			Seconds:  []analysis.Second{{T: 0, ActiveUsers: 10, Requests: 10, Failures: 1, P50: 200 * ms}},
			Failures: []analysis.FailureCount{{Endpoint: 0, Method: "GET", Name: "/io", Class: "refused", Count: 1}}},
		Ladders: map[int][]Quantile{0: {{P: 66, MS: 205}, {P: 50, MS: 200}, {P: 75, MS: math.NaN()}}},
		History: []HistoryRow{{Timestamp: 1_700_000_001, UserCount: 10, Name: "Aggregated", RPS: 2, Pct: pct, TotalRequests: 10}},
	}
	id, err := db.ImportRun(ctx, ir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportRun(ctx, ir); !errors.Is(err, ErrNameTaken) {
		t.Errorf("second import of one name: %v", err)
	}
	run, err := db.FindRun(ctx, "locust-1")
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != StatusImported || run.Config.Users != 10 || run.DurationS != 5 || !run.StartedAt.Equal(ir.Started) {
		t.Errorf("run %+v", run)
	}
	sum, err := db.Summary(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sum, ir.Summary) {
		t.Errorf("summary\n%+v\nwant\n%+v", sum, ir.Summary)
	}
	if n, _ := db.SampleCount(ctx, id); n != 0 {
		t.Errorf("%d samples", n)
	}
	ls, err := db.Ladders(ctx, id)
	if err != nil || !reflect.DeepEqual(ls, map[int][]Quantile{0: {{P: 50, MS: 200}, {P: 66, MS: 205}}}) {
		t.Errorf("ladders %v, %v", ls, err)
	}
	h, err := db.History(ctx, id)
	if err != nil || len(h) != 1 || h[0].TotalRequests != 10 || h[0].Pct[1] != 205 || !math.IsNaN(h[0].Pct[3]) {
		t.Errorf("history %+v, %v", h, err)
	}
}
