package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// burn keeps one core busy for d.
// sink keeps burn's result, so the work is not optimised away.
var sink uint64

func burn(d time.Duration) uint64 {
	var x uint64 = 1
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 10000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	return x
}

func rowsByScope(rows []Usage) map[string]Usage {
	m := map[string]Usage{}
	for _, u := range rows {
		m[u.Scope] = u
	}
	return m
}

func TestSamplerReadsCPUAndMemory(t *testing.T) {
	self := int32(os.Getpid())
	s, err := NewSampler(Config{TargetPID: self})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	sink = burn(300 * time.Millisecond)
	rows := s.tick(context.Background(), start)
	if len(rows) != 3 || rows[0].Scope != ScopeTarget || rows[1].Scope != ScopeGenerator || rows[2].Scope != ScopeSystem {
		t.Fatalf("rows = %+v, want target, generator, system", rows)
	}
	for _, u := range rows {
		if u.CPUPct < 20 || u.MachinePct <= 0 || u.MachinePct > u.CPUPct {
			t.Errorf("%s: CPUPct %.1f MachinePct %.1f after burning a core", u.Scope, u.CPUPct, u.MachinePct)
		}
		if u.RSS == 0 || u.MemPct <= 0 || u.MemPct > 100 {
			t.Errorf("%s: RSS %d MemPct %.2f", u.Scope, u.RSS, u.MemPct)
		}
		if u.T < 300*time.Millisecond {
			t.Errorf("%s: T = %v", u.Scope, u.T)
		}
	}
	for _, u := range rows[:2] {
		if u.Threads < 1 {
			t.Errorf("%s: threads %d", u.Scope, u.Threads)
		}
		if runtime.GOOS != "windows" && u.FDs < 1 {
			t.Errorf("%s: FDs %d", u.Scope, u.FDs)
		}
	}
}

func TestNewSamplerRejectsMissingPID(t *testing.T) {
	for _, pid := range []int32{-1, 2147483646} {
		if _, err := NewSampler(Config{TargetPID: pid}); err == nil {
			t.Errorf("pid %d: no error", pid)
		}
	}
}

// keepAliveConn opens one idle keep-alive connection to an httptest server
// and returns the server's port.
func keepAliveConn(t *testing.T) int {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(srv.Close)
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	u, _ := url.Parse(srv.URL)
	port, _ := strconv.Atoi(u.Port())
	return port
}

func TestSamplerCountsTCP(t *testing.T) {
	port := keepAliveConn(t)
	self := int32(os.Getpid())
	cases := []struct {
		name           string
		cfg            Config
		target, client int // established, at least
	}{
		// By port: the server end for the target, the client end for the generator.
		{"by port", Config{TargetPID: self, TargetPort: port}, 1, 1},
		// By pid: both ends belong to this process.
		{"by pid", Config{TargetPID: self}, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewSampler(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			m := rowsByScope(s.tick(context.Background(), time.Now()))
			if got := m[ScopeTarget].TCPEstablished; got < c.target {
				t.Errorf("target established = %d, want >= %d", got, c.target)
			}
			if got := m[ScopeGenerator].TCPEstablished; got < c.client {
				t.Errorf("generator established = %d, want >= %d", got, c.client)
			}
			if got := m[ScopeSystem].TCPEstablished; got < 2 {
				t.Errorf("system established = %d, want >= 2", got)
			}
			if m[ScopeTarget].SysTimeWait != m[ScopeSystem].TCPTimeWait {
				t.Errorf("SysTimeWait %d != system TIME_WAIT %d", m[ScopeTarget].SysTimeWait, m[ScopeSystem].TCPTimeWait)
			}
		})
	}
}
