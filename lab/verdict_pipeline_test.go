package lab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"exp/load"
	"exp/verdict"
)

// inflight counts a server's requests in flight.
type inflight struct{ n atomic.Int64 }

// rejecting answers 503 at once beyond one request in flight; the one it
// takes takes 20 ms: about 50 successful answers a second.
func (f *inflight) rejecting(w http.ResponseWriter, _ *http.Request) {
	defer f.n.Add(-1)
	if f.n.Add(1) > 1 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	time.Sleep(20 * time.Millisecond)
}

// collapsing takes 10 ms with up to 20 requests in flight and 80 ms
// beyond: 10 users get 1000 req/s, 20 get 2000, 40 only 500.
func (f *inflight) collapsing(w http.ResponseWriter, _ *http.Request) {
	defer f.n.Add(-1)
	if f.n.Add(1) > 20 {
		time.Sleep(80 * time.Millisecond)
		return
	}
	time.Sleep(10 * time.Millisecond)
}

// oneAtATime serves one request at a time, 100 ms each: 10 a second.
func oneAtATime() http.HandlerFunc {
	lock := make(chan struct{}, 1)
	return func(w http.ResponseWriter, _ *http.Request) {
		lock <- struct{}{}
		time.Sleep(100 * time.Millisecond)
		<-lock
	}
}

// TestVerdictsFromThePipeline: the verdict's table cases built by running
// the real pipeline (engine, HTTP on 127.0.0.1, SQLite store, analysis)
// against servers whose limit is known, not from hand-made seconds. The
// targets run in this process, so their CPU is not monitored: a flat run
// is "saturated", with the evidence that says how. The plan report's
// throughput of each cell is the successful one.
func TestVerdictsFromThePipeline(t *testing.T) {
	closed := func(users int) load.RunConfig {
		return load.RunConfig{Model: load.Closed, Users: users, SpawnRate: 1000, Duration: 3 * time.Second}
	}
	staged := closed(0)
	staged.Stages = []load.Stage{{Duration: 2 * time.Second, Users: 10}, {Duration: 2 * time.Second, Users: 20},
		{Duration: 2 * time.Second, Users: 40}}
	staged.Duration = 0
	open := load.RunConfig{Model: load.Open, Rate: 50, Arrivals: load.Uniform, MaxInflight: 10, Duration: 3 * time.Second}
	tests := []struct {
		name     string
		handler  func(*inflight) http.HandlerFunc
		cfg      load.RunConfig
		want     verdict.Kind
		evidence []string
		maxOKRPS float64 // the plan cell's throughput at most (0: not checked)
	}{
		{"a server that follows the load", func(*inflight) http.HandlerFunc {
			return func(http.ResponseWriter, *http.Request) { time.Sleep(50 * time.Millisecond) }
		}, closed(10), verdict.NotSaturated, []string{"requests do not queue"}, 0},
		{"503 beyond one in flight", func(f *inflight) http.HandlerFunc { return f.rejecting }, closed(20),
			verdict.Rejecting, []string{"answered 503 or 429", "rejections are not throughput"}, 60},
		{"open model behind its rate", func(*inflight) http.HandlerFunc { return oneAtATime() }, open,
			verdict.Saturated, []string{"did not keep up with the arrival rate", "dropped or failed"}, 12},
		{"collapse after a peak", func(f *inflight) http.HandlerFunc { return f.collapsing }, staged,
			verdict.Saturated, []string{"peaked at", "at 20 users, then fell to", "at 40 users: it collapsed"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler(&inflight{}))
			defer srv.Close()
			s := runStored(t, srv.URL, tt.cfg)
			text := strings.Join(s.Verdict.Evidence, "\n")
			if s.Verdict.Kind != tt.want {
				t.Fatalf("verdict %q, want %q; evidence:\n%s", s.Verdict.Kind, tt.want, text)
			}
			for _, e := range tt.evidence {
				if !strings.Contains(text, e) {
					t.Errorf("evidence lacks %q:\n%s", e, text)
				}
			}
			cell := cellFigures("", tt.cfg.Users, s)
			if tt.maxOKRPS > 0 && (cell.Throughput() > tt.maxOKRPS || cell.Throughput() <= 0) {
				t.Errorf("plan cell throughput %.1f req/s (RPS %.1f), want the successful rate, at most %.0f",
					cell.Throughput(), cell.RPS, tt.maxOKRPS)
			}
		})
	}
}

// runStored runs cfg against url through the Lab and loads the stored
// run back, verdict included.
func runStored(t *testing.T, url string, cfg load.RunConfig) Stored {
	t.Helper()
	cfg.Name, cfg.Timeout, cfg.KeepAlive = "pipeline", 2*time.Second, true
	cfg.Tasks, _ = load.ParseTasks("/x:1")
	db := mustOpen(t)
	l := &Lab{DB: db, Version: "test"}
	out, err := l.Run(context.Background(), RunSpec{Load: cfg, Target: Target{URL: url}, SampleEvery: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(context.Background(), db, out.RunID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
