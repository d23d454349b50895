package load

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func newTestServer(t *testing.T, delay time.Duration) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(delay)
		if r.URL.Path == "/fail" {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("hello"))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func runEngine(t *testing.T, cfg RunConfig) ([]Sample, Result) {
	t.Helper()
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Sample, 1024)
	var got []Sample
	done := make(chan struct{})
	go func() {
		for s := range out {
			got = append(got, s)
		}
		close(done)
	}()
	res := e.Run(context.Background(), time.Now(), out)
	<-done
	return got, res
}

func TestClosedEngineRecordsEveryRequest(t *testing.T) {
	srv, hits := newTestServer(t, 5*time.Millisecond)
	cfg := RunConfig{URL: srv.URL, Model: Closed, Users: 4, SpawnRate: 100, Duration: time.Second,
		Tasks: []Task{{"GET", "/ok", 3}, {"GET", "/fail", 1}}, Timeout: time.Second, KeepAlive: true}
	got, res := runEngine(t, cfg)
	if res.Interrupted || len(got) == 0 {
		t.Fatalf("run interrupted=%v with %d samples", res.Interrupted, len(got))
	}
	if int64(len(got)) != hits.Load() {
		t.Errorf("%d samples for %d requests the server saw", len(got), hits.Load())
	}
	var ok, failed, reused int
	users := map[uint32]bool{}
	for _, s := range got {
		users[s.User] = true
		if s.Latency < 5*time.Millisecond || s.Start < 0 || s.Start > time.Second {
			t.Fatalf("implausible sample %+v", s)
		}
		if s.Reused {
			reused++
		}
		switch {
		case s.Endpoint == 0 && s.Status == 200 && s.Class == OK && s.Bytes == 5:
			ok++
		case s.Endpoint == 1 && s.Status == 503 && s.Class == HTTP:
			failed++
		default:
			t.Fatalf("unexpected sample %+v", s)
		}
	}
	if len(users) != 4 || ok == 0 || failed == 0 || reused == 0 {
		t.Errorf("users %d, ok %d, failed %d, reused %d", len(users), ok, failed, reused)
	}
}

func TestClosedEngineWithoutKeepAliveOpensConnections(t *testing.T) {
	srv, _ := newTestServer(t, 0)
	cfg := RunConfig{URL: srv.URL, Model: Closed, Users: 1, SpawnRate: 1, Duration: 300 * time.Millisecond,
		Tasks: []Task{{"GET", "/ok", 1}}, Timeout: time.Second, Wait: Wait{Min: 10 * time.Millisecond, Max: 10 * time.Millisecond}}
	got, _ := runEngine(t, cfg)
	for _, s := range got {
		if s.Reused {
			t.Fatalf("keep-alive off but a connection was reused: %+v", s)
		}
	}
}

func TestOpenEngineSendsOnScheduleWhateverTheLatency(t *testing.T) {
	srv, _ := newTestServer(t, 150*time.Millisecond)
	cfg := RunConfig{URL: srv.URL, Model: Open, Rate: 100, Duration: 2 * time.Second, MaxInflight: 100,
		Arrivals: "uniform", Tasks: []Task{{"GET", "/ok", 1}}, Timeout: time.Second, KeepAlive: true}
	got, _ := runEngine(t, cfg)
	if len(got) < 198 || len(got) > 200 {
		t.Fatalf("open model at 100/s for 2s sent %d requests, want 200", len(got))
	}
	for _, s := range got {
		if s.Class != OK || s.Latency < s.Service || s.Service < 150*time.Millisecond {
			t.Fatalf("sample %+v: latency must include service time", s)
		}
	}
}

func TestOpenEngineDropsBeyondMaxInflight(t *testing.T) {
	srv, hits := newTestServer(t, 400*time.Millisecond)
	cfg := RunConfig{URL: srv.URL, Model: Open, Rate: 50, Duration: time.Second, MaxInflight: 5,
		Arrivals: "poisson", Tasks: []Task{{"GET", "/ok", 1}}, Timeout: 2 * time.Second, KeepAlive: true}
	got, _ := runEngine(t, cfg)
	dropped := 0
	for _, s := range got {
		if s.Class == Dropped {
			dropped++
		}
	}
	if dropped == 0 || int64(len(got)-dropped) != hits.Load() {
		t.Errorf("%d samples, %d dropped, server saw %d", len(got), dropped, hits.Load())
	}
}

func TestEngineStopsOnCancel(t *testing.T) {
	srv, _ := newTestServer(t, 0)
	cfg := RunConfig{URL: srv.URL, Model: Closed, Users: 2, SpawnRate: 10, Duration: time.Minute,
		Tasks: []Task{{"GET", "/ok", 1}}, Timeout: time.Second, KeepAlive: true, Wait: Wait{Min: 10 * time.Millisecond, Max: 10 * time.Millisecond}}
	e, _ := NewEngine(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	out := make(chan Sample, 1024)
	go func() {
		for range out {
		}
	}()
	res := e.Run(ctx, time.Now(), out)
	if !res.Interrupted || res.Elapsed > 5*time.Second {
		t.Errorf("cancelled run: %+v", res)
	}
}

func TestClassify(t *testing.T) {
	// A port nothing listens on: refused, for real.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := http.Get(url)
	if c := Classify(err); c != Refused {
		t.Errorf("closed port classified %v (%v)", c, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if c := Classify(ctx.Err()); c != Timeout {
		t.Errorf("deadline classified %v", c)
	}
	if c := Classify(nil); c != OK {
		t.Errorf("nil classified %v", c)
	}
	for _, e := range []struct {
		err  error
		want ErrorClass
	}{
		{fmt.Errorf("read response: %w", io.EOF), Reset},
		{fmt.Errorf("read body: %w", io.ErrUnexpectedEOF), Reset},
		{fmt.Errorf("handshake: %w", tls.AlertError(70)), TLS}, // protocol_version
		{errors.New("something else"), Other},
	} {
		if c := Classify(e.err); c != e.want {
			t.Errorf("Classify(%v) = %v, want %v", e.err, c, e.want)
		}
	}
	if n := HTTP.Name(503); n != "http-503" {
		t.Errorf("HTTP name %q", n)
	}
	if c, code := ParseErrorClass("http-404"); c != HTTP || code != 404 {
		t.Errorf("ParseErrorClass = %v %d", c, code)
	}
}
