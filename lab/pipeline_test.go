package lab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/verdict"
)

// TestOneFastFailureDoesNotMakeAFloor runs the real pipeline (engine,
// store, analysis, verdict) against a server that answers every request
// in 200 ms but resets one connection of some 600 at once: the reset has no response,
// so it is neither in the latency figures nor the floor, and the verdict
// stays "not saturated".
func TestOneFastFailureDoesNotMakeAFloor(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 3 {
			hj, _ := w.(http.Hijacker)
			c, _, err := hj.Hijack()
			if err == nil {
				c.Close() // a reset, at once
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}))
	defer srv.Close()
	db := mustOpen(t)
	tasks, _ := load.ParseTasks("/io:1")
	spec := RunSpec{Load: load.RunConfig{Name: "fast-fail", Model: load.Closed, Tasks: tasks, Users: 40, SpawnRate: 1000,
		Duration: 3 * time.Second, Timeout: 2 * time.Second, KeepAlive: true},
		Target: Target{URL: srv.URL}, SampleEvery: time.Second}
	l := &Lab{DB: db, Version: "test"}
	out, err := l.Run(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(context.Background(), db, out.RunID)
	if err != nil {
		t.Fatal(err)
	}
	tot := s.Summary.Total
	if tot.Failures != 1 || tot.Responses != tot.Requests-1 || tot.Min < 200*time.Millisecond || tot.Floor < 200*time.Millisecond {
		t.Errorf("%d failures, %d of %d answered, min %v, floor %v", tot.Failures, tot.Responses, tot.Requests, tot.Min, tot.Floor)
	}
	if s.Verdict.Kind != verdict.NotSaturated {
		t.Errorf("verdict %q, want not saturated: %v", s.Verdict.Kind, s.Verdict.Evidence)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM samples WHERE error_class = 'reset'`); n != 1 {
		t.Errorf("%d resets stored", n)
	}
}

// TestLiveSummaryIsTheStoredOne: the summary a completed run computes
// from the samples as they come is exactly the one rebuilt from the store,
// and the one the store keeps.
func TestLiveSummaryIsTheStoredOne(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	db := mustOpen(t)
	for _, cfg := range []load.RunConfig{
		{Name: "closed", Model: load.Closed, Users: 8, SpawnRate: 100, Duration: 2 * time.Second},
		{Name: "open", Model: load.Open, Rate: 400, Arrivals: load.Poisson, MaxInflight: 3, Duration: 2 * time.Second},
	} {
		cfg.Tasks, _ = load.ParseTasks("/ok:3,/missing:1")
		cfg.Timeout, cfg.KeepAlive = time.Second, true
		l := &Lab{DB: db, Version: "test"}
		out, err := l.Run(context.Background(), RunSpec{Load: cfg, Target: Target{URL: srv.URL}, SampleEvery: time.Second})
		if err != nil || out.Status != "completed" {
			t.Fatalf("%s: %v, %s", cfg.Name, err, out.Status)
		}
		stored, err := AnalyzeStored(context.Background(), db, out.RunID, cfg, out.Summary.Duration)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(out.Summary, stored) {
			diffSummaries(t, out.Summary, stored)
			t.Errorf("%s: live summary differs from the read-back", cfg.Name)
		}
		saved, err := db.Summary(context.Background(), out.RunID)
		if err != nil || saved.Total.Requests != out.Summary.Total.Requests || saved.Total.Responses != out.Summary.Total.Responses {
			t.Errorf("%s: saved %+v, %v", cfg.Name, saved.Total, err)
		}
	}
}

func diffSummaries(t *testing.T, a, b analysis.Summary) {
	t.Helper()
	if a.Duration != b.Duration || !reflect.DeepEqual(a.Lateness, b.Lateness) {
		t.Logf("duration %v %v lateness %+v %+v", a.Duration, b.Duration, a.Lateness, b.Lateness)
	}
	for i := range a.Seconds {
		if i < len(b.Seconds) && a.Seconds[i] != b.Seconds[i] {
			t.Logf("second %d: %+v vs %+v", i, a.Seconds[i], b.Seconds[i])
		}
	}
	if len(a.Seconds) != len(b.Seconds) {
		t.Logf("%d vs %d seconds", len(a.Seconds), len(b.Seconds))
	}
	if !reflect.DeepEqual(a.Failures, b.Failures) {
		t.Logf("failures %+v vs %+v", a.Failures, b.Failures)
	}
	if !reflect.DeepEqual(a.Endpoints, b.Endpoints) {
		t.Logf("endpoints %+v vs %+v", a.Endpoints, b.Endpoints)
	}
}
