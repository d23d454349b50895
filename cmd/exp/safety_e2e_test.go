package main

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// exp serve without --addr listens on 127.0.0.1 only, and says nothing
// about it; with an all-interfaces --addr it warns on stderr.
func TestServeBindsLoopbackUnlessTold(t *testing.T) {
	cases := []struct {
		addr string // "" for the default
		warn bool
	}{{"", false}, {"127.0.0.1:0", false}, {"0.0.0.0:0", true}, {"[::]:0", true}, {":0", true}}
	for _, c := range cases {
		t.Run("addr="+c.addr, func(t *testing.T) {
			t.Parallel()
			args := []string{"serve"}
			if c.addr != "" {
				args = append(args, "--addr", c.addr)
			}
			cmd := exec.Command(expBin, args...)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				if c.addr == "[::]:0" {
					t.Skipf("no IPv6 here: %v %s", err, stderr.String())
				}
				t.Fatalf("no address line: %v %s", err, stderr.String())
			}
			// The warning comes before the address line, but through a
			// pipe of its own: give it a moment to arrive.
			warned := false
			for end := time.Now().Add(2 * time.Second); !warned && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
				warned = strings.Contains(stderr.String(), "listens on all interfaces")
			}
			if warned != c.warn {
				t.Errorf("--addr %q: warning %v, want %v; stderr %q", c.addr, warned, c.warn, stderr.String())
			}
			if c.addr == "" {
				if !strings.HasPrefix(line, "listening on http://127.0.0.1:") {
					t.Errorf("default address line %q, want 127.0.0.1", line)
				}
				port := line[strings.LastIndexByte(line, ':')+1 : len(line)-1]
				if ip := otherAddress(); ip != "" {
					if c, err := net.DialTimeout("tcp", net.JoinHostPort(ip, port), time.Second); err == nil {
						c.Close()
						t.Errorf("the default target answers on %s, not only on loopback", ip)
					}
				}
			}
		})
	}
}

// otherAddress is an IPv4 address of this machine other than loopback, or
// "" when there is none.
func otherAddress() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// Secret header values are sent to the server as given but stored
// redacted: nowhere in the database file, nor printed; other headers are
// stored as they are.
func TestSecretHeadersStoredRedacted(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen["Authorization"], seen["X-Api-Key"] = r.Header.Get("Authorization"), r.Header.Get("X-Api-Key")
		mu.Unlock()
	}))
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	r := mustExp(t, "run", "--db", dbPath, "--url", srv.URL, "--users", "1", "--duration", "1s", "--wait", "50ms",
		"--tasks", "/", "-H", "Authorization: Bearer x-secret-1", "-H", "X-Api-Key: k-secret-2", "-H", "X-Trace: visible-3")
	mu.Lock()
	if seen["Authorization"] != "Bearer x-secret-1" || seen["X-Api-Key"] != "k-secret-2" {
		t.Errorf("the server saw %v, want the headers as given", seen)
	}
	mu.Unlock()
	db := openDB(t, dbPath)
	for _, col := range []string{"headers", "config"} {
		v := queryString(t, db, "select "+col+" from runs")
		if strings.Contains(v, "secret") || !strings.Contains(v, "visible-3") || !strings.Contains(v, "redacted") {
			t.Errorf("runs.%s = %s; want secrets redacted, X-Trace kept", col, v)
		}
	}
	db.Close()
	for _, f := range []string{dbPath, dbPath + "-wal"} {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), "secret-") {
			t.Errorf("%s holds a secret header value", f)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "secret-") {
		t.Error("a secret header value was printed")
	}
}

// A database holding a table of the user's own is used and the table left
// alone; one holding a trigger (SQL that our writes would run) is refused,
// unchanged.
func TestForeignSchemaObjects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	mustExp(t, "run", "--db", good, "--users", "1", "--duration", "1s", "--wait", "0", "--tasks", "/health", "--name", "a")
	mine := alteredCopy(t, good, "mine.db", `CREATE TABLE my_notes (run TEXT, note TEXT); INSERT INTO my_notes VALUES ('a', 'kept')`)
	mustExp(t, "run", "--db", mine, "--users", "1", "--duration", "1s", "--wait", "0", "--tasks", "/health", "--name", "b")
	if got := queryString(t, openDB(t, mine), "select note from my_notes where run = 'a'"); got != "kept" {
		t.Errorf("the user's table holds %q", got)
	}
	trig := alteredCopy(t, good, "trigger.db", `CREATE TRIGGER audit AFTER INSERT ON samples BEGIN DELETE FROM runs; END`)
	before := hashOf(t, trig)
	r := exp(t, "run", "--db", trig, "--users", "1", "--duration", "1s")
	assertOneLine(t, r, "trigger")
	if hashOf(t, trig) != before {
		t.Error("the refused file changed")
	}
}
