package main

import (
	"context"
	"database/sql"
	"exp/analysis"
	"exp/load"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exp/monitor"
	"exp/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenRun stores a run whose every sample is fixed: three endpoints
// over 20 s at 10 users, rising latency, some 503s and resets, and one
// resource reading per second. The printed figures then depend on the
// code alone, so the golden files catch any change in what is printed.
func goldenRun(t *testing.T, db *store.DB, name string, slow time.Duration) {
	t.Helper()
	ctx := context.Background()
	tasks, err := load.ParseTasks("/health:1,/io:1,/cpu:1")
	if err != nil {
		t.Fatal(err)
	}
	cfg := load.RunConfig{Name: name, URL: "http://127.0.0.1:5000", Model: load.Closed,
		Tasks: tasks, Users: 10, SpawnRate: 5, Duration: 20 * time.Second, Timeout: 10 * time.Second, KeepAlive: true}
	if cfg.Wait, err = load.ParseWait("100ms-500ms"); err != nil {
		t.Fatal(err)
	}
	host := store.Host{Name: "golden", OS: "linux", Arch: "amd64", Cores: 2, GoVersion: "go1.26", ToolVersion: "0.1.0"}
	id, err := db.CreateRun(ctx, cfg, "pooled", map[string]any{"variant": "pooled", "pool_size": 4, "queue": 16}, host)
	if err != nil {
		t.Fatal(err)
	}
	w := store.NewWriter(db, id)
	a := analysis.NewAnalyzer(cfg)
	for i := 0; i < 2000; i++ {
		task := i % 3
		start := time.Duration(i) * 10 * time.Millisecond
		base := []time.Duration{300 * time.Microsecond, 200 * time.Millisecond, 12 * time.Millisecond}[task]
		lat := base + time.Duration(i%97)*slow/97 + time.Duration(i/100)*slow/20
		s := load.Sample{Start: start, Latency: lat, Service: lat, Endpoint: uint16(task), Status: 200,
			Bytes: int64(100 + task), User: uint32(i % 10), Reused: i%10 != 0, Proto: load.HTTP11}
		// Every tenth request opens its connection; the read takes 50 µs.
		s.Phases.Read = 50 * time.Microsecond
		if !s.Reused {
			s.Phases.Connect = 150*time.Microsecond + slow/1000
		}
		s.Phases.Wait = lat - s.Phases.Connect - s.Phases.Read
		switch {
		case i%53 == 0:
			s.Status, s.Class = 503, load.HTTP
		case i%211 == 0:
			s.Status, s.Class, s.Bytes, s.Proto = 0, load.Reset, 0, load.ProtoNone
			s.Phases.Wait, s.Phases.Read = lat-s.Phases.Connect, 0
		}
		w.Add(s)
		a.Add(s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var us []monitor.Usage
	for sec := 0; sec < 20; sec++ {
		at := time.Duration(sec) * time.Second
		us = append(us,
			monitor.Usage{T: at, Scope: monitor.ScopeTarget, CPUPct: 40 + float64(sec), MachinePct: 20 + float64(sec)/2, RSS: 20 << 20, Threads: 8, TCPEstablished: 10},
			monitor.Usage{T: at, Scope: monitor.ScopeGenerator, CPUPct: 5 + float64(sec%3), RSS: 30 << 20, Threads: 6},
			monitor.Usage{T: at, Scope: monitor.ScopeSystem, MachinePct: 30, SysTimeWait: 3})
	}
	if err := db.InsertUsage(ctx, id, us); err != nil {
		t.Fatal(err)
	}
	sum := a.Summary(20 * time.Second)
	if err := db.SaveSummary(ctx, id, sum); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, id, store.StatusCompleted, time.Unix(1_780_000_020, 0), 20*time.Second); err != nil {
		t.Fatal(err)
	}
}

// fixStart sets the stored start time, which the summary prints.
func fixStart(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE runs SET started_at = '2026-05-28T20:26:40Z'`); err != nil {
		t.Fatal(err)
	}
}

// TestPrintedOutputGolden: show, compare and list of fixed stored runs
// print exactly the golden files (refresh with -update, and say in the
// commit which lines changed and why).
func TestPrintedOutputGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "golden.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	goldenRun(t, db, "before", 2*time.Millisecond)
	goldenRun(t, db, "after", 40*time.Millisecond)
	db.Close()
	fixStart(t, path)
	t.Setenv("TZ", "UTC")
	for _, c := range []struct {
		file string
		args []string
	}{
		{"show.golden", []string{"show", "before"}},
		{"show_after.golden", []string{"show", "after"}},
		{"compare.golden", []string{"compare", "before", "after", "--out", filepath.Join(dir, "plots")}},
		{"list.golden", []string{"list"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			r := mustExp(t, append(c.args, "--db", path)...)
			got := strings.ReplaceAll(r.stdout, dir, "DIR")
			golden := filepath.Join("testdata", c.file)
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("exp %v differs from %s:\n--- got\n%s\n--- want\n%s", c.args, golden, got, want)
			}
		})
	}
}
