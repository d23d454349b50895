package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A /cpu run makes the target work; an /io run of the same length does
// not. Both store one reading per second for each of the three scopes.
func TestResourcesFollowTheWork(t *testing.T) {
	t.Parallel()
	cpuPct := map[string]float64{}
	for _, task := range []string{"/cpu", "/io"} {
		dbPath := filepath.Join(t.TempDir(), "exp.db")
		r := mustExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--users", "4", "--spawn-rate", "100",
			"--duration", "4s", "--wait", "0", "--tasks", task)
		db := openDB(t, dbPath)
		for _, scope := range []string{"target", "generator", "system"} {
			if n := queryInt(t, db, "select count(*) from resources where scope=?", scope); n < 3 || n > 5 {
				t.Errorf("%s run: %d %s readings in 4 s, want one a second", task, n, scope)
			}
		}
		cpuPct[task] = queryFloat(t, db, "select avg(cpu_pct) from resources where scope='target'")
		if !strings.Contains(r.stdout, "Resources:") || !strings.Contains(r.stdout, "target CPU") {
			t.Errorf("summary has no Resources section:\n%s", r.stdout)
		}
	}
	t.Logf("target CPU: /cpu %.1f%%, /io %.1f%% of a core", cpuPct["/cpu"], cpuPct["/io"])
	if cpuPct["/cpu"] < 50 || cpuPct["/cpu"] < 5*cpuPct["/io"] {
		t.Errorf("target CPU on /cpu %.1f%% is not clearly above /io %.1f%%", cpuPct["/cpu"], cpuPct["/io"])
	}
}

// A target that allocates shows it in its RSS.
func TestResourcesShowTargetMemory(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	mustExp(t, "run", "--db", dbPath, "--users", "1", "--duration", "3s", "--wait", "0", "--tasks", "/mem?mb=200&hold=2s",
		"--sample-every", "250ms")
	rss := queryInt(t, openDB(t, dbPath), "select max(rss_bytes) from resources where scope='target'")
	if rss < 150<<20 {
		t.Errorf("target max RSS %d MB while holding 200 MB", rss>>20)
	}
}

// --target-cmd starts a real server process, monitors it and stops it.
func TestTargetCmdIsStartedMonitoredAndStopped(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmdline := fmt.Sprintf("'%s' serve --addr 127.0.0.1:%d", expBin, port)
	r := mustExp(t, "run", "--db", dbPath, "--url", url, "--target-cmd", cmdline, "--users", "2", "--duration", "3s",
		"--tasks", "/cpu", "--wait", "0")
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from resources where scope='target' and cpu_pct > 10"); n == 0 {
		t.Errorf("no busy target readings for the --target-cmd server")
	}
	assertGone(t, targetPID(t, r.stderr))
	if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		c.Close()
		t.Errorf("the --target-cmd server still listens after the run")
	}
}

// A --target-pid that does not exist is refused before any load is sent,
// and nothing is stored.
func TestBadTargetPIDIsBadInput(t *testing.T) {
	t.Parallel()
	srvPort := freePort(t)
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	// Something must listen, or the unreachable URL would be the error.
	serve := startServe(t, srvPort)
	_ = serve
	r := exp(t, "run", "--db", dbPath, "--url", fmt.Sprintf("http://127.0.0.1:%d", srvPort), "--target-pid", "999999999", "--duration", "2s")
	if r.code != 2 || !strings.Contains(r.stderr, "--target-pid") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("exit %d, stderr %q; want 2 and one line naming --target-pid", r.code, r.stderr)
	}
	if _, err := os.Stat(dbPath); err == nil {
		if n := queryInt(t, openDB(t, dbPath), "select count(*) from runs"); n != 0 {
			t.Errorf("%d runs stored after bad input", n)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
