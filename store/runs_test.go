package store

import (
	"context"
	"errors"
	"exp/analysis"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCreateAndFindRun(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "pooled-1")
	if _, err := db.CreateRun(ctx, testConfig("pooled-1"), "", nil, Host{}); !errors.Is(err, ErrNameTaken) {
		t.Errorf("duplicate name: error %v, want ErrNameTaken", err)
	}
	// A run named like another's id: names win.
	id2 := mustCreateRun(t, db, strconv.FormatInt(id, 10))

	tests := []struct {
		ask    string
		wantID int64
		err    error
	}{
		{"pooled-1", id, nil},
		{strconv.FormatInt(id2, 10), id2, nil},
		{strconv.FormatInt(id, 10), id2, nil},
		{"nope", 0, ErrNotFound},
		{"999", 0, ErrNotFound},
	}
	for _, tt := range tests {
		run, err := db.FindRun(ctx, tt.ask)
		if !errors.Is(err, tt.err) {
			t.Errorf("FindRun(%q): error %v, want %v", tt.ask, err, tt.err)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(tt.ask)) {
				t.Errorf("FindRun(%q): error %q does not name what was asked", tt.ask, err)
			}
			continue
		}
		if run.ID != tt.wantID {
			t.Errorf("FindRun(%q) = run %d, want %d", tt.ask, run.ID, tt.wantID)
		}
	}

	run, err := db.FindRun(ctx, "pooled-1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig("pooled-1")
	cfg.WaitS = cfg.Wait.String()
	if !reflect.DeepEqual(run.Config, cfg) {
		t.Errorf("config read back\n%+v\nwant\n%+v", run.Config, cfg)
	}
	if run.Status != StatusRunning || run.Variant != "pooled" || run.VariantParams != `{"pool_size":8}` ||
		run.Host.PID != os.Getpid() || run.Host.Cores == 0 || len(run.Warnings) != 0 {
		t.Errorf("run read back: %+v", run)
	}
	if time.Since(run.StartedAt) > time.Minute || !run.EndedAt.IsZero() {
		t.Errorf("started %v ended %v", run.StartedAt, run.EndedAt)
	}
}

func TestFinishWarnAndList(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := mustCreateRun(t, db, "a")
	b := mustCreateRun(t, db, "b")
	end := time.Date(2025, 1, 2, 3, 4, 5, 600, time.UTC)
	if err := db.FinishRun(ctx, a, StatusCompleted, end, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	sat := analysis.Warning{Code: analysis.GeneratorSaturated, Text: "generator CPU above 90% for 10 s"}
	second := analysis.Warning{Code: analysis.OtherWarning, Text: "second"}
	for range 2 {
		if err := db.AddWarning(ctx, a, sat); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddWarning(ctx, a, second); err != nil {
		t.Fatal(err)
	}
	if err := db.AddWarning(ctx, 999, second); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddWarning to a missing run: %v", err)
	}
	if err := db.FinishRun(ctx, 999, StatusCompleted, end, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("FinishRun of a missing run: %v", err)
	}
	run, _ := db.RunByID(ctx, a)
	if run.Status != StatusCompleted || !run.EndedAt.Equal(end) || run.DurationS != 90 ||
		!reflect.DeepEqual(run.Warnings, []analysis.Warning{sat, second}) {
		t.Errorf("finished run: %+v", run)
	}
	if err := db.SaveSummary(ctx, a, testSummary()); err != nil {
		t.Fatal(err)
	}
	rows, err := db.ListRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].ID != b || rows[1].ID != a {
		t.Fatalf("ListRuns = %+v, want b then a", rows)
	}
	if rows[0].HasSummary || !rows[1].HasSummary || rows[1].Requests != 1000 || rows[1].P99MS != 40 ||
		rows[1].Users != 10 || rows[1].Variant != "pooled" {
		t.Errorf("ListRuns rows: %+v", rows)
	}
	name, err := db.NextRunName(ctx, "a")
	if err != nil || name != "a-1" {
		t.Errorf("NextRunName = %q, %v", name, err)
	}
	mustCreateRun(t, db, "a-1")
	mustCreateRun(t, db, "a-7")
	mustCreateRun(t, db, "a-x")
	if name, _ := db.NextRunName(ctx, "a"); name != "a-8" {
		t.Errorf("NextRunName = %q, want a-8", name)
	}
}

func TestStaleRuns(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	dead := 0 // a pid no process has now
	for pid := 99_999; pid > 1000 && dead == 0; pid-- {
		if !processAlive(pid) {
			dead = pid
		}
	}
	if dead == 0 || !processAlive(os.Getpid()) {
		t.Fatal("processAlive cannot tell a dead pid from a live one")
	}
	cfgHost := ThisHost("test")
	live, _ := db.CreateRun(ctx, testConfig("live"), "", nil, cfgHost)
	cfgHost.PID = dead
	stale, _ := db.CreateRun(ctx, testConfig("stale"), "", nil, cfgHost)
	done, _ := db.CreateRun(ctx, testConfig("done"), "", nil, cfgHost)
	db.FinishRun(ctx, done, StatusCompleted, time.Now(), time.Second)
	cfgHost.Name = "elsewhere"
	db.CreateRun(ctx, testConfig("remote"), "", nil, cfgHost)

	ids, err := db.StaleRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids, []int64{stale}) {
		t.Fatalf("StaleRuns = %v, want [%d] (live %d)", ids, stale, live)
	}
	w := NewWriter(db, stale)
	w.Add(sampleN(20000)) // starts at 2 s, lasts 1 ms
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkIncomplete(ctx, stale); err != nil {
		t.Fatal(err)
	}
	run, _ := db.RunByID(ctx, stale)
	if run.Status != StatusIncomplete || run.DurationS != 2.001 {
		t.Errorf("marked run: status %s duration %v", run.Status, run.DurationS)
	}
	if ids, _ := db.StaleRuns(ctx); len(ids) != 0 {
		t.Errorf("StaleRuns after marking = %v", ids)
	}
}
