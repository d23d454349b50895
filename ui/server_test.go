package ui

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exp/lab"
	"exp/load"
	"exp/store"
)

// newTestUI is a UI over a fresh store, with a loopback target to load.
func newTestUI(t *testing.T) (*Server, *httptest.Server, string) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "exp.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tgt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(tgt.Close)
	s, err := NewServer(Config{DB: db, Addr: "127.0.0.1:0", Version: "test", Plans: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts, tgt.URL
}

func post(t *testing.T, s *Server, ts *httptest.Server, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.csrf)
	req.Header.Set("Origin", ts.URL)
	return do(t, req)
}

func get(t *testing.T, ts *httptest.Server, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &out)
	if out == nil {
		out = map[string]any{"_raw": string(b)}
	}
	return resp.StatusCode, out
}

func waitStatus(t *testing.T, ts *httptest.Server, name string, want ...string) map[string]any {
	t.Helper()
	for range 300 {
		code, out := get(t, ts, "/api/runs/"+name)
		if code == 200 {
			st := out["run"].(map[string]any)["status"].(string)
			for _, w := range want {
				if st == w {
					return out
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s never reached %v", name, want)
	return nil
}

func form(url, name, duration string) map[string]string {
	return map[string]string{"url": url, "users": "4", "spawn-rate": "100", "duration": duration, "tasks": "/ok:3,/missing:1",
		"wait": "0", "name": name}
}

// Start, watch live, stop, and read every endpoint against the runs made.
func TestRunLifecycleThroughTheAPI(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	code, out := post(t, s, ts, "/api/runs", form(tgt, "a", "2s"))
	if code != 201 || out["name"] != "a" {
		t.Fatalf("start: %d %v", code, out)
	}
	done := waitStatus(t, ts, "a", "completed")
	if len(done["endpoints"].([]any)) != 2 || done["summary_text"] == "" {
		t.Errorf("run a: %v", done)
	}
	if len(done["series"].(map[string]any)["t"].([]any)) == 0 {
		t.Error("run a has no series")
	}
	// A long run, followed live, then stopped: aborted, every sample kept.
	if code, out = post(t, s, ts, "/api/runs", form(tgt, "long", "30s")); code != 201 {
		t.Fatalf("start long: %d %v", code, out)
	}
	events := liveEvents(t, ts, "long", 2)
	if events[len(events)-1].Requests == 0 {
		t.Errorf("live events counted no request: %+v", events)
	}
	// Edit the running test: 6 users from the next second, kept as a stage.
	if code, out = post(t, s, ts, "/api/runs/long/load", map[string]int{"users": 6}); code != 200 {
		t.Fatalf("change load: %d %v", code, out)
	}
	if code, out = post(t, s, ts, "/api/runs/long/load", map[string]int{"users": -1}); code != 400 || out["field"] != "users" {
		t.Errorf("change load to -1: %d %v", code, out)
	}
	liveEvents(t, ts, "long", 3)
	if code, out = post(t, s, ts, "/api/runs/long/stop", nil); code != 202 {
		t.Fatalf("stop: %d %v", code, out)
	}
	stopped := waitStatus(t, ts, "long", "aborted")
	run, _ := s.cfg.DB.FindRun(context.Background(), "long")
	n, _ := s.cfg.DB.SampleCount(context.Background(), run.ID)
	if got := int64(stopped["aggregated"].(map[string]any)["requests"].(float64)); got != n || n == 0 {
		t.Errorf("stopped run shows %d requests, the store holds %d samples", got, n)
	}
	if st := run.Config.Stages; len(st) != 2 || st[0].Users != 4 || st[1].Users != 6 {
		t.Errorf("stored stages %v, want 4 users then 6", st)
	}
	series := stopped["series"].(map[string]any)["load"].([]any)
	if len(series) < 3 || series[0].(float64) != 4 || series[len(series)-1].(float64) != 6 {
		t.Errorf("users by second %v: want 4 at first, 6 at the end", series)
	}
	if code, out = post(t, s, ts, "/api/runs/long/stop", nil); code != 409 {
		t.Errorf("stop of an ended run: %d %v, want 409", code, out)
	}
	code, list := get(t, ts, "/api/runs")
	if code != 200 || len(list["runs"].([]any)) != 2 {
		t.Errorf("list: %d %v", code, list)
	}
	code, cmp := get(t, ts, "/api/compare?names=a,long")
	if code != 200 || !strings.Contains(cmp["text"].(string), "Is it real?") || len(cmp["runs"].([]any)) != 2 {
		t.Errorf("compare: %d %v", code, cmp)
	}
	if code, cmp = get(t, ts, "/api/compare?names=a,a"); code != 400 || !strings.Contains(fmt.Sprint(cmp), "on two sides") {
		t.Errorf("compare of a run with itself: %d %v, want 400", code, cmp)
	}
	if code, _ = get(t, ts, "/api/compare?names=a,nope"); code != 404 {
		t.Errorf("compare with an unknown run: %d, want 404", code)
	}
	for _, path := range []string{"/api/runs/a/export.csv", "/api/runs/a/export.json", "/api/runs/a/plots/throughput.png",
		"/api/compare/plots/changes.png?names=a,long", "/api/form", "/", "/assets/app.js"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) == 0 {
			t.Errorf("GET %s: %d, %d bytes", path, resp.StatusCode, len(b))
		}
	}
	if code, _ := get(t, ts, "/api/runs/nosuch"); code != 404 {
		t.Errorf("unknown run: %d", code)
	}
}

type event struct {
	Status   string
	Requests int64
	Point    *livePoint
}

// liveEvents reads n events of a run's live stream.
func liveEvents(t *testing.T, ts *httptest.Server, name string, n int) []event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/runs/"+name+"/live", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("live: content type %q", ct)
	}
	var out []event
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && len(out) < n {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var e event
			json.Unmarshal([]byte(d), &e)
			out = append(out, e)
		}
	}
	if len(out) < n {
		t.Fatalf("live: %d events of %d", len(out), n)
	}
	return out
}

// The form's errors are the CLI's, with the flag they are about.
func TestStartErrors(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	tests := []struct {
		form        map[string]string
		field, text string
	}{
		{map[string]string{"url": tgt, "users": "0"}, "users", "--users must be from 1"},
		{map[string]string{"url": tgt, "duration": "abc"}, "duration", `invalid argument "abc" for "--duration" flag`},
		{map[string]string{"url": tgt, "tasks": "health"}, "tasks", "--tasks"},
		{map[string]string{"url": tgt, "nosuch": "1"}, "nosuch", "unknown flag: --nosuch"},
		{map[string]string{"url": "http://10.1.2.3:80"}, "url", "allow-remote-targets"},
		{map[string]string{"url": tgt, "rate": "10", "users": "3"}, "rate", "--rate (open model) and --users (closed model) cannot be used together"},
	}
	for _, tt := range tests {
		code, out := post(t, s, ts, "/api/runs", tt.form)
		if code != 400 || out["field"] != tt.field || !strings.Contains(out["error"].(string), tt.text) || strings.Contains(out["error"].(string), "\n") {
			t.Errorf("%v: %d %v; want 400, field %q, error with %q", tt.form, code, out, tt.field, tt.text)
		}
	}
	if code, _ := get(t, ts, "/api/runs"); code != 200 {
		t.Error("list after bad forms")
	}
	if rows, _ := s.cfg.DB.ListRuns(context.Background()); len(rows) != 0 {
		t.Errorf("bad forms stored %d runs", len(rows))
	}
}

// A cross-origin POST, a missing CSRF token and a foreign Host are
// refused; a non-loopback address needs a token, which then guards every
// request.
func TestGuards(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	b, _ := json.Marshal(form(tgt, "x", "1s"))
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example", "X-CSRF-Token": s.csrf},
		{"Origin": ts.URL},
		{"Origin": ts.URL, "X-CSRF-Token": "wrong"},
	} {
		req, _ := http.NewRequest("POST", ts.URL+"/api/runs", strings.NewReader(string(b)))
		for k, v := range h {
			req.Header.Set(k, v)
		}
		if code, out := do(t, req); code != 403 {
			t.Errorf("POST with %v: %d %v, want 403", h, code, out)
		}
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/runs", nil)
	req.Host = "evil.example:8089"
	if code, _ := do(t, req); code != 403 {
		t.Errorf("foreign Host: %d, want 403", code)
	}
	if _, err := NewServer(Config{DB: s.cfg.DB, Addr: "0.0.0.0:8089"}); !errors.Is(err, ErrNeedsToken) {
		t.Errorf("non-loopback without a token: %v", err)
	}
	tok, err := NewServer(Config{DB: s.cfg.DB, Addr: "0.0.0.0:8089", Token: "sesame"})
	if err != nil {
		t.Fatal(err)
	}
	tts := httptest.NewServer(tok.Handler())
	defer tts.Close()
	if code, _ := get(t, tts, "/api/runs"); code != 401 {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, _ := get(t, tts, "/api/runs?token=sesame"); code != 200 {
		t.Errorf("with ?token: %d", code)
	}
	req, _ = http.NewRequest("GET", tts.URL+"/api/runs", nil)
	req.Header.Set("Authorization", "Bearer sesame")
	if code, _ := do(t, req); code != 200 {
		t.Errorf("with a bearer token: %d", code)
	}
}

// A plan's report, written from the store, served as HTML.
func TestPlanReportEndpoint(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	tasks, _ := load.ParseTasks("/ok:1")
	spec := lab.RunSpec{Load: load.RunConfig{Model: load.Closed, Tasks: tasks, SpawnRate: 100, Duration: time.Second,
		Timeout: time.Second, KeepAlive: true}, Target: lab.Target{URL: tgt}, SampleEvery: time.Second}
	l := &lab.Lab{DB: s.cfg.DB, Version: "test"}
	if _, err := l.RunPlan(context.Background(), lab.PlanSpec{Name: "p", OutDir: t.TempDir(),
		Levels: []store.PlanLevel{{Users: 2, SpawnRate: 100}}, Cell: spec}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(ts.URL + "/api/plans/p")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "p-2") {
		t.Errorf("plan report: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
	}
	if code, list := get(t, ts, "/api/runs"); code != 200 || len(list["plans"].([]any)) != 1 {
		t.Errorf("plans in the list: %v", list["plans"])
	}
	if resp, _ := http.Get(ts.URL + "/api/plans/nosuch"); resp.StatusCode != 404 {
		t.Errorf("unknown plan: %d", resp.StatusCode)
	}
}

// Edit a running open-model test: the rate steps from the next second,
// the run keeps it as rate stages, and the samples follow them.
func TestChangeRate(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	f := map[string]string{"url": tgt, "rate": "20", "duration": "4s", "tasks": "/ok", "name": "open"}
	if code, out := post(t, s, ts, "/api/runs", f); code != 201 {
		t.Fatalf("start: %d %v", code, out)
	}
	liveEvents(t, ts, "open", 1)
	if code, out := post(t, s, ts, "/api/runs/open/load", map[string]int{"users": 6}); code != 400 || out["field"] != "users" {
		t.Errorf("users of an open-model run: %d %v, want 400 at users", code, out)
	}
	if code, out := post(t, s, ts, "/api/runs/open/load", map[string]float64{"rate": 60}); code != 200 {
		t.Fatalf("change rate: %d %v", code, out)
	}
	done := waitStatus(t, ts, "open", "completed")
	run, _ := s.cfg.DB.FindRun(context.Background(), "open")
	st := run.Config.RateStages
	if len(st) < 3 || st[0] != (load.RateStage{Rate: 20}) || st[len(st)-1].Rate != 60 || load.RateStagesDuration(st) != 4*time.Second {
		t.Fatalf("stored rate stages %v: want a step to 20, then to 60, 4s in all", st)
	}
	changed := load.RateStagesDuration(st[:len(st)-1]) / time.Second // the second the rate became 60
	var perSecond []int
	err := s.cfg.DB.EachLatency(context.Background(), run.ID, func(startUS int64, _ uint32) error {
		for len(perSecond) <= int(startUS/1e6) {
			perSecond = append(perSecond, 0)
		}
		perSecond[startUS/1e6]++
		return nil
	})
	if err != nil || len(perSecond) != 4 {
		t.Fatalf("samples by second %v, %v", perSecond, err)
	}
	for i, n := range perSecond {
		want := 20
		if i >= int(changed) {
			want = 60
		}
		if n != want {
			t.Errorf("second %d: %d samples, want %d (rate 60 from second %d)", i, n, want, changed)
		}
	}
	load := done["series"].(map[string]any)["load"].([]any)
	if load[0].(float64) != 20 || load[len(load)-1].(float64) != 60 {
		t.Errorf("offered rate by second %v: want 20 at first, 60 at the end", load)
	}
}

// A plan started from its form, read back, started again from the flags
// it keeps, and stopped.
func TestPlanThroughTheAPI(t *testing.T) {
	s, ts, tgt := newTestUI(t)
	code, form := get(t, ts, "/api/form?kind=plan")
	names := map[string]bool{}
	for _, f := range form["fields"].([]any) {
		names[f.(map[string]any)["name"].(string)] = true
	}
	if code != 200 || !names["levels"] || !names["variants"] || !names["repeat"] || names["users"] || names["out"] {
		t.Errorf("plan form: %d, fields %v", code, names)
	}
	if code, out := post(t, s, ts, "/api/plans", map[string]string{"url": tgt, "levels": "2:x"}); code != 400 || out["field"] != "levels" {
		t.Errorf("bad levels: %d %v, want 400 at levels", code, out)
	}
	f := map[string]string{"url": tgt, "levels": "2:100,3:100", "duration": "1s", "tasks": "/ok", "wait": "0", "name": "sweep"}
	if code, out := post(t, s, ts, "/api/plans", f); code != 201 || out["name"] != "sweep" {
		t.Fatalf("start plan: %d %v", code, out)
	}
	info := waitPlan(t, ts, "sweep", "completed")
	flags := info["flags"].(map[string]any)
	if flags["levels"] != "2:100,3:100" || flags["tasks"] != "/ok" || flags["name"] != nil {
		t.Errorf("kept flags %v: want the form's, without its name", flags)
	}
	resp, err := http.Get(ts.URL + "/api/plans/sweep")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "sweep-2") || !strings.Contains(string(b), "sweep-3") {
		t.Errorf("the plan's report does not name its runs sweep-2 and sweep-3")
	}
	// Started again from what it keeps, longer, then stopped.
	again := map[string]string{"name": "sweep-again"}
	for k, v := range flags {
		again[k] = v.(string)
	}
	again["duration"] = "30s"
	if code, out := post(t, s, ts, "/api/plans", again); code != 201 {
		t.Fatalf("start again: %d %v", code, out)
	}
	if i := waitPlan(t, ts, "sweep-again", "running"); i["active"] != true {
		t.Errorf("a plan started here is not active: %v", i)
	}
	time.Sleep(1500 * time.Millisecond)
	if code, out := post(t, s, ts, "/api/plans/sweep-again/stop", nil); code != 202 {
		t.Fatalf("stop plan: %d %v", code, out)
	}
	waitPlan(t, ts, "sweep-again", "aborted")
	for i := 0; ; i++ { // its report is written after the status (slowly under -race)
		if _, info := get(t, ts, "/api/plans/sweep-again/info"); info["active"] == false {
			break
		}
		if i == 1200 {
			t.Fatal("the stopped plan is still active after 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, _ := post(t, s, ts, "/api/plans/sweep-again/stop", nil); code != 409 {
		t.Errorf("stop of an ended plan: %d, want 409", code)
	}
	if r, _ := s.cfg.DB.FindRun(context.Background(), "sweep-again-2"); r.Status != "aborted" {
		t.Errorf("the stopped plan's first run is %q, want aborted", r.Status)
	}
}

func waitPlan(t *testing.T, ts *httptest.Server, name, want string) map[string]any {
	t.Helper()
	for range 300 {
		if code, out := get(t, ts, "/api/plans/"+name+"/info"); code == 200 && out["status"] == want {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("plan %s never reached %s", name, want)
	return nil
}
