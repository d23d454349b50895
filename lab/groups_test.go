package lab

import (
	"context"
	"database/sql"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exp/analysis"
	"exp/compare"
	"exp/load"
	"exp/store"
)

// A calibration of an open-model configuration that drops and fails some
// requests: three runs in one group, and the noise it stores is the spread
// of the figures recomputed naively from the samples table.
func TestCalibrateMatchesSQL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		time.Sleep(3 * time.Millisecond)
	}))
	defer srv.Close()
	db := mustOpen(t)
	cfg := load.RunConfig{Name: "cal", Model: load.Open, Rate: 500, Arrivals: load.Poisson, MaxInflight: 2,
		Duration: 2 * time.Second, Timeout: time.Second, KeepAlive: true}
	cfg.Tasks, _ = load.ParseTasks("/ok:4,/missing:1")
	l := &Lab{DB: db, Version: "test"}
	ctx := context.Background()
	rep, noise, err := l.Calibrate(ctx, RunSpec{Load: cfg, Target: Target{URL: srv.URL}, SampleEvery: time.Second}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Group != "cal" || len(rep.Outcomes) != 3 || rep.Outcomes[2].Name != "cal-3" {
		t.Fatalf("calibration made %+v", rep)
	}
	raw := sqlDB(t, db)
	var logs []float64
	for _, out := range rep.Outcomes {
		var dropped int
		raw.QueryRow(`SELECT count(*) FROM samples WHERE run_id = ? AND error_class = 'dropped'`, out.RunID).Scan(&dropped)
		if dropped == 0 {
			t.Logf("run %s dropped nothing: the test meant some drops", out.Name)
		}
		lat := answeredLatencies(t, raw, out.RunID)
		p50 := float64(analysis.Percentile(lat, 50)) / 1000
		side, err := LoadSide(ctx, db, out.Name)
		if err != nil {
			t.Fatal(err)
		}
		r := CompareRun(side.Runs[0])
		if got := r.Value(compare.P50); got != p50 || len(r.Lat) != len(lat) {
			t.Errorf("%s: p50 %v over %d answered, SQL says %v over %d", out.Name, got, len(r.Lat), p50, len(lat))
		}
		if got := millis(out.Summary.Total.P50); got != p50 {
			t.Errorf("%s: printed p50 %v, SQL %v", out.Name, got, p50)
		}
		// Each latency sits in the second its request started.
		var inSec0 int
		raw.QueryRow(`SELECT count(*) FROM samples WHERE run_id = ? AND t_us < 1000000
			AND (error_class IS NULL OR error_class GLOB 'http-*')`, out.RunID).Scan(&inSec0)
		n := 0
		for _, s := range r.Sec {
			if s == 0 {
				n++
			}
		}
		if n != inSec0 {
			t.Errorf("%s: %d latencies in second 0, SQL says %d", out.Name, n, inSec0)
		}
		logs = append(logs, math.Log(p50))
	}
	m := (logs[0] + logs[1] + logs[2]) / 3
	var ss float64
	for _, x := range logs {
		ss += (x - m) * (x - m)
	}
	want := math.Sqrt(ss / 2)
	if got := noise.SDLog[compare.P50]; math.Abs(got-want) > 1e-12 {
		t.Errorf("calibration's p50 spread %v, recomputed %v", got, want)
	}
	stored, err := LoadNoise(ctx, db, "cal")
	if err != nil || stored.Runs != 3 || math.Abs(stored.SDLog[compare.P50]-want) > 1e-12 {
		t.Errorf("LoadNoise = %+v, %v; want p50 %v over 3 runs", stored, err, want)
	}
	g, err := db.FindGroup(ctx, "cal")
	if err != nil || g.Kind != store.GroupCalibration || len(g.RunIDs) != 3 {
		t.Errorf("group %+v, %v", g, err)
	}
	// The group is a side of three runs; its own repeats are within noise.
	side, err := LoadSide(ctx, db, "cal")
	if err != nil || side.Group == nil || len(side.Runs) != 3 {
		t.Fatalf("LoadSide(cal) = %+v, %v", side, err)
	}
	if _, err := l.RunRepeats(ctx, RunSpec{Load: cfg, Target: Target{URL: srv.URL}, SampleEvery: time.Second}, 2, store.GroupRepeat); err == nil {
		t.Error("a second group named cal was made")
	}
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func sqlDB(t *testing.T, db *store.DB) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func answeredLatencies(t *testing.T, raw *sql.DB, runID int64) []uint32 {
	t.Helper()
	rows, err := raw.Query(`SELECT latency_us FROM samples WHERE run_id = ?
		AND (error_class IS NULL OR error_class GLOB 'http-*') ORDER BY latency_us`, runID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []uint32
	for rows.Next() {
		var v uint32
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// A plan with Repeat runs each cell as a group, links the repeat of median
// successful throughput, and says so in its report.
func TestPlanRepeat(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	db := mustOpen(t)
	spec := baseSpec(t)
	spec.Target = Target{URL: srv.URL}
	spec.Load.Duration = time.Second
	ctx := context.Background()
	l := &Lab{DB: db, Version: "test"}
	p := PlanSpec{Name: "rp", OutDir: t.TempDir(), Levels: []store.PlanLevel{{Users: 2, SpawnRate: 100}, {Users: 4, SpawnRate: 100}}, Cell: spec, Repeat: 3}
	out, err := l.RunPlan(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := db.PlanCells(ctx, out.Plan.ID)
	if err != nil || len(cells) != 2 {
		t.Fatalf("cells %+v, %v", cells, err)
	}
	for _, c := range cells {
		g, err := db.FindGroup(ctx, c.RunName)
		if err != nil || len(g.RunIDs) != 3 {
			t.Fatalf("cell %s: group %+v, %v", c.RunName, g, err)
		}
		// The linked run is the group's median by successful throughput.
		var rps []float64
		var linked float64
		for _, id := range g.RunIDs {
			s, err := db.Summary(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			rps = append(rps, s.Total.SuccessRPS)
			if id == c.RunID {
				linked = s.Total.SuccessRPS
			}
		}
		below, above := 0, 0
		for _, r := range rps {
			if r < linked {
				below++
			} else if r > linked {
				above++
			}
		}
		if below > 1 || above > 1 {
			t.Errorf("cell %s links a run of %v req/s among %v: not the median", c.RunName, linked, rps)
		}
	}
	md, err := os.ReadFile(filepath.Join(p.OutDir, "report.md"))
	if err != nil || !strings.Contains(string(md), "3 runs a cell, a group each") {
		t.Errorf("report.md does not say the cells were repeated (%v):\n%s", err, md)
	}
	if _, err := l.RunPlan(ctx, p); err == nil {
		t.Error("the same plan ran twice")
	}
	bad := p
	bad.Name, bad.Repeat = "rp2", -1
	if _, err := l.RunPlan(ctx, bad); err == nil {
		t.Error("repeat -1 accepted")
	}
}
