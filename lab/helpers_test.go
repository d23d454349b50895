package lab

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"exp/load"
	"exp/monitor"
	"exp/store"
	"exp/target"
)

func mustOpen(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "exp.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fixedRun stores a finished run of 10 users over 10 s: n requests a
// second spread over two endpoints, latency base plus a little, every
// 50th a 503, and one target reading a second at cpu% of a core.
func fixedRun(t *testing.T, db *store.DB, name string, v target.Variant, perSec int, base time.Duration, cpu float64) int64 {
	t.Helper()
	ctx := context.Background()
	tasks, _ := load.ParseTasks("/health:1,/io:1")
	cfg := load.RunConfig{Name: name, URL: "http://127.0.0.1:9", Model: load.Closed, Tasks: tasks, Users: 10,
		SpawnRate: 10, Duration: 10 * time.Second, Timeout: time.Second}
	opts := target.DefaultOptions()
	opts.Variant = v
	var params any
	if v != "" {
		params = opts.Params()
	}
	id, err := db.CreateRun(ctx, cfg, string(v), params, store.ThisHost("test"))
	if err != nil {
		t.Fatal(err)
	}
	w := store.NewWriter(db, id)
	for i := 0; i < 10*perSec; i++ {
		s := load.Sample{Start: time.Duration(i) * time.Second / time.Duration(perSec), Endpoint: uint16(i % 2),
			Status: 200, Latency: base + time.Duration(i%7)*time.Millisecond}
		if i%50 == 0 {
			s.Status, s.Class = 503, load.HTTP
		}
		s.Service = s.Latency
		w.Add(s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var us []monitor.Usage
	for sec := range 10 {
		us = append(us, monitor.Usage{T: time.Duration(sec) * time.Second, Scope: monitor.ScopeTarget, CPUPct: cpu, RSS: 10 << 20},
			monitor.Usage{T: time.Duration(sec) * time.Second, Scope: monitor.ScopeGenerator, CPUPct: 5})
	}
	if err := db.InsertUsage(ctx, id, us); err != nil {
		t.Fatal(err)
	}
	if _, err := finishRun(ctx, db, id, cfg, store.StatusCompleted, 10*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	return id
}

// naiveRPS is the responses completed within the run's 10 s of load, over
// 10 s, counted in SQL.
func naiveRPS(t *testing.T, db *store.DB, id int64) float64 {
	t.Helper()
	return float64(queryInt(t, db, `SELECT count(*) FROM samples WHERE run_id = ? AND t_us + latency_us <= 10000000
		AND (error_class IS NULL OR error_class GLOB 'http-*')`, id)) / 10
}

// queryInt runs a query of one integer on the store's file, apart from
// the store's own code.
func queryInt(t *testing.T, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	x, err := sql.Open("sqlite", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var n sql.NullInt64
	if err := x.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n.Int64
}
