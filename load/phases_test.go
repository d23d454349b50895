package load

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The phases of a request partition its service time, so the time a
// server takes before its first byte shows as wait, and the time it takes
// to send the body as read; on the generator's own client and on net/http.
func TestPhasesWaitAndRead(t *testing.T) {
	const pause = 50 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sleep":
			time.Sleep(pause)
			w.Write([]byte("late"))
		case "/trickle":
			w.Header().Set("Content-Length", "5")
			w.WriteHeader(200)
			for i := range 5 {
				w.Write([]byte{'a' + byte(i)})
				w.(http.Flusher).Flush()
				if i < 4 {
					time.Sleep(pause / 4)
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name    string
		netHTTP bool
		path    string
	}{{"h1/sleep", false, "/sleep"}, {"h1/trickle", false, "/trickle"},
		{"nethttp/sleep", true, "/sleep"}, {"nethttp/trickle", true, "/trickle"}} {
		t.Run(tc.name, func(t *testing.T) {
			forceNetHTTP = tc.netHTTP
			defer func() { forceNetHTTP = false }()
			got, _ := runEngine(t, RunConfig{URL: srv.URL, Model: Closed, Users: 2, SpawnRate: 100,
				Duration: 400 * time.Millisecond, Tasks: []Task{{"GET", tc.path, 1}}, Timeout: 2 * time.Second, KeepAlive: true})
			if len(got) < 4 {
				t.Fatalf("%d samples", len(got))
			}
			for _, s := range got {
				checkPartition(t, s)
				if s.Class != OK || s.Proto != HTTP11 {
					t.Fatalf("sample %+v", s)
				}
				p := s.Phases
				if tc.path == "/sleep" && (p.Wait < pause || p.Read > 5*time.Millisecond) {
					t.Errorf("sleeping server: wait %v (want ≥ %v), read %v (want small)", p.Wait, pause, p.Read)
				}
				if tc.path == "/trickle" && (p.Read < pause*3/4 || p.Wait > 10*time.Millisecond) {
					t.Errorf("trickling server: read %v (want ≥ %v), wait %v (want small)", p.Read, pause*3/4, p.Wait)
				}
				if s.Reused && (p.DNS != 0 || p.Connect != 0 || p.TLS != 0) {
					t.Errorf("reused connection with dns %v connect %v tls %v", p.DNS, p.Connect, p.TLS)
				}
				if !s.Reused && p.Connect <= 0 {
					t.Errorf("new connection without connect time: %+v", p)
				}
				if p.DNS != 0 || p.TLS != 0 {
					t.Errorf("an IP address over plain HTTP: dns %v, tls %v", p.DNS, p.TLS)
				}
			}
		})
	}
}

// checkPartition fails unless the sample's phases add up to its service
// time, in nanoseconds and in the microseconds the store keeps.
func checkPartition(t *testing.T, s Sample) {
	t.Helper()
	var sum time.Duration
	var sumUS int64
	for i, d := range s.Phases.Array() {
		if d < 0 {
			t.Fatalf("negative phase in %+v", s)
		}
		sum += d
		sumUS += int64(s.Phases.Micros()[i])
	}
	if sum != s.Service || sumUS != s.Service.Microseconds() {
		t.Fatalf("phases %+v add up to %v (%d µs), service %v", s.Phases, sum, sumUS, s.Service)
	}
}

// A host name costs a DNS phase: localhost resolves through /etc/hosts,
// on every new connection (keep-alive off), never on an IP address.
func TestPhasesDNSOfLocalhost(t *testing.T) {
	srv, _ := newTestServer(t, 0)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	for _, tc := range []struct {
		name    string
		host    string
		netHTTP bool
	}{{"h1/localhost", "localhost", false}, {"nethttp/localhost", "localhost", true},
		{"h1/ip", "127.0.0.1", false}, {"nethttp/ip", "127.0.0.1", true}} {
		t.Run(tc.name, func(t *testing.T) {
			forceNetHTTP = tc.netHTTP
			defer func() { forceNetHTTP = false }()
			got, _ := runEngine(t, RunConfig{URL: "http://" + net.JoinHostPort(tc.host, port), Model: Closed, Users: 1,
				SpawnRate: 100, Duration: 200 * time.Millisecond, Tasks: []Task{{"GET", "/", 1}},
				Timeout: time.Second, KeepAlive: false})
			if len(got) < 3 {
				t.Fatalf("%d samples", len(got))
			}
			for _, s := range got {
				checkPartition(t, s)
				if s.Class != OK {
					t.Fatalf("failed: %+v (does localhost resolve to 127.0.0.1 first?)", s)
				}
				if s.Reused || s.Phases.Connect <= 0 {
					t.Errorf("keep-alive off: reused %v, connect %v", s.Reused, s.Phases.Connect)
				}
				if byName := tc.host == "localhost"; byName != (s.Phases.DNS > 0) {
					t.Errorf("%s: dns %v", tc.host, s.Phases.DNS)
				}
			}
		})
	}
}

// Boundaries out of order or missing still partition the interval.
func TestTracePhasesPartition(t *testing.T) {
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	t1 := at(100)
	for _, tc := range []struct {
		name string
		tr   trace
		want Phases
	}{
		{"reused", trace{firstByte: at(90)}, Phases{Wait: 90 * time.Millisecond, Read: 10 * time.Millisecond}},
		{"all", trace{dnsDone: at(1), connDone: at(3), tlsDone: at(10), firstByte: at(60)},
			Phases{DNS: time.Millisecond, Connect: 2 * time.Millisecond, TLS: 7 * time.Millisecond,
				Wait: 50 * time.Millisecond, Read: 40 * time.Millisecond}},
		{"no answer", trace{connDone: at(5)}, Phases{Connect: 5 * time.Millisecond, Wait: 95 * time.Millisecond}},
		{"out of order", trace{dnsDone: at(20), connDone: at(10), firstByte: at(200)},
			Phases{DNS: 20 * time.Millisecond, Wait: 80 * time.Millisecond}},
		{"before start", trace{connDone: at(-5), firstByte: at(50)},
			Phases{Wait: 50 * time.Millisecond, Read: 50 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tr.phases(t0, t1); got != tc.want {
				t.Errorf("phases %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Micros cuts at whole microseconds of the running total, so the stored
// phases add up to the stored service time.
func TestPhasesMicrosAddUp(t *testing.T) {
	for _, p := range []Phases{
		{DNS: 999, Connect: 999, TLS: 999, Wait: 999, Read: 999},
		{Wait: 1500, Read: 1500},
		{Connect: 12_345_678, Wait: 1, Read: 999},
		{},
	} {
		var total time.Duration
		var sum int64
		for i, d := range p.Array() {
			total += d
			sum += int64(p.Micros()[i])
		}
		if sum != total.Microseconds() {
			t.Errorf("%+v: micros add up to %d, total %d µs", p, sum, total.Microseconds())
		}
	}
}
