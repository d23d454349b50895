package main

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// badCase is a malformed invocation; db says which --db it gets.
type badCase struct {
	args []string
	want string // what the error line must name
	db   string // "" (a copy of a good database, and a missing file), or a key of badDBs
	// onlyExisting: the input is bad only against the good database (a
	// taken --name): a missing file would run.
	onlyExisting bool
}

// Every bad invocation prints one line on stderr naming the problem,
// exits 2, and leaves the database byte-for-byte as it was, or not
// created. With EXP_BADINPUT_LOG set, each invocation and its line are
// written to that file.
func TestBadInput(t *testing.T) {
	fx := newBadFixtures(t)
	cases := []badCase{
		{args: []string{"run", "--variant", "bogus"}, want: `unknown variant "bogus"`},
		{args: []string{"dist", "bogus"}, want: `unknown command "bogus"`},
		{args: []string{"import", "nope"}, want: `unknown command "nope"`},
		{args: []string{"run", "--segment", "3/3", "--results", "/tmp/x", "--url", "http://127.0.0.1:9"}, want: "--segment"},
		{args: []string{"run", "--segment", "0/3", "--url", "http://127.0.0.1:9"}, want: "--results"},
		{args: []string{"run", "--segments", "3", "--results", "/tmp/x", "--url", "http://127.0.0.1:9"}, want: "JOB_COMPLETION_INDEX"},
		{args: []string{"run", "--results", "/tmp/x"}, want: "--results"},
		{args: []string{"run", "--segment", "0/2", "--results", "/tmp/x"}, want: "--url"},
		{args: []string{"merge", "/nonexistent/dir"}, want: "/nonexistent/dir"},
		{args: []string{"run", "--users", "0"}, want: "--users"},
		{args: []string{"run", "--users", "-3"}, want: "--users"},
		{args: []string{"run", "--spawn-rate", "0"}, want: "--spawn-rate"},
		{args: []string{"run", "--duration", "soon"}, want: "--duration"},
		{args: []string{"run", "--duration", "-1s"}, want: "--duration"},
		{args: []string{"run", "--stages", "30s:x"}, want: "--stages"},
		{args: []string{"run", "--stages", "30s"}, want: "--stages"},
		{args: []string{"run", "--stages", "10s:5", "--users", "3"}, want: "--stages"},
		{args: []string{"run", "--rate-stages", "10s:fast"}, want: "--rate-stages"},
		{args: []string{"run", "--rate-stages", ""}, want: "--rate-stages"},
		{args: []string{"run", "--rate", "0"}, want: "--rate"},
		{args: []string{"run", "--rate", "NaN"}, want: "--rate"},
		{args: []string{"run", "--rate", "Inf"}, want: "--rate"},
		{args: []string{"run", "--rate", "1e9"}, want: "--rate"},
		{args: []string{"run", "--spawn-rate", "NaN"}, want: "--spawn-rate"},
		{args: []string{"run", "--spawn-rate", "-Inf"}, want: "--spawn-rate"},
		{args: []string{"run", "--users", "2000000"}, want: "--users"},
		{args: []string{"run", "--rate", "5", "--max-inflight", "9999999"}, want: "--max-inflight"},
		{args: []string{"run", "--timeout", "2h"}, want: "--timeout"},
		{args: []string{"run", "--duration", "1000h"}, want: "--duration"},
		{args: []string{"plan", "--levels", "10:NaN"}, want: "--levels"},
		{args: []string{"run", "--url", "http://127.0.0.1:5000/a b"}, want: "space or control character"},
		{args: []string{"run", "--url", "http://127.0.0.1:5000/a\x01"}, want: "space or control character"},
		{args: []string{"run", "--users", "5", "--rate", "10"}, want: "cannot be used together"},
		{args: []string{"run", "--arrivals", "bursty", "--rate", "5"}, want: "--arrivals"},
		{args: []string{"run", "--tasks", "/a:0"}, want: "weight"},
		{args: []string{"run", "--tasks", "/a:0,/b:0"}, want: "weight"},
		{args: []string{"run", "--tasks", "health:1"}, want: "--tasks"},
		{args: []string{"run", "--tasks", ""}, want: "--tasks"},
		{args: []string{"run", "--wait", "5s-1s"}, want: "--wait"},
		{args: []string{"run", "--wait", "sometimes"}, want: "--wait"},
		{args: []string{"run", "--tls", "--ca-cert", "/nonexistent/ca.pem"}, want: "--ca-cert"},
		{args: []string{"run", "--tls", "--tls-min", "1.4"}, want: "--tls-min"},
		{args: []string{"run", "--tls", "--client-cert", "/nonexistent/c.pem"}, want: "--client-key"},
		{args: []string{"run", "--h2-streams", "4"}, want: "--h2-streams"},
		{args: []string{"run", "--http2", "--h2-streams", "-1"}, want: "--h2-streams"},
		{args: []string{"run", "--url", "http://127.0.0.1:5000", "--tls"}, want: "--tls"},
		{args: []string{"serve", "--cert-out", "/tmp/x.pem"}, want: "--cert-out"},
		// onlyExisting: exp ui opens (and so creates) the database before
		// it checks the address.
		{args: []string{"ui", "--addr", "0.0.0.0:0"}, want: "--addr 0.0.0.0:0: a non-loopback address needs a token", onlyExisting: true},
		{args: []string{"run", "--threshold", "p95<<1"}, want: "p95<<1"},
		{args: []string{"run", "--threshold", "p95"}, want: "no comparison"},
		{args: []string{"run", "--threshold", "speed>1"}, want: `unknown metric "speed"`},
		{args: []string{"run", "--url", "ftp://x"}, want: "scheme"},
		{args: []string{"run", "--url", "127.0.0.1:80"}, want: "absolute URL"},
		{args: []string{"run", "--url", fx.closedURL}, want: "refused"},
		{args: []string{"run", "--url", "http://exp-test.invalid"}, want: "dns"},
		{args: []string{"run", "--url", fx.liveURL, "--variant", "single"}, want: "--variant"},
		{args: []string{"run", "--url", fx.liveURL, "--target-pid", "999999999"}, want: "--target-pid 999999999"},
		{args: []string{"run", "--url", fx.liveURL, "--target-pid", "0"}, want: "--target-pid 0"},
		{args: []string{"run", "--target-pid", "0"}, want: "--target-pid 0"},
		{args: []string{"run", "--pool-size", "0"}, want: "--pool-size"},
		{args: []string{"run", "--timeout", "0"}, want: "--timeout"},
		{args: []string{"run", "--sample-every", "1ms"}, want: "--sample-every"},
		{args: []string{"run", "-H", "no colon"}, want: "-H"},
		{args: []string{"run", "-H", "X-A: b\r\nEvil: 1"}, want: "control character"},
		{args: []string{"run", "--name", "r1", "--duration", "1s"}, want: `"r1"`, onlyExisting: true},
		{args: []string{"run", "now"}, want: "run takes no arguments"},
		{args: []string{"run", "--fast"}, want: "unknown flag: --fast"},
		{args: []string{"runn"}, want: `unknown command "runn"`},
		{args: []string{"show", "nosuch"}, want: `"nosuch"`},
		{args: []string{"show"}, want: "show takes 1 argument"},
		{args: []string{"compare", "r1", "nosuch"}, want: `"nosuch"`},
		{args: []string{"compare", "r1"}, want: "compare needs at least two different runs or groups"},
		{args: []string{"export", "nosuch"}, want: `"nosuch"`},
		{args: []string{"export", "r1", "--format", "xml"}, want: "--format"},
		{args: []string{"import", "locust", filepath.Join(fx.dir, "none", "x")}, want: "x_stats.csv"},
		{args: []string{"plan", "--variants", "single,bogus"}, want: `"bogus"`},
		{args: []string{"plan", "--levels", "10:0"}, want: "--levels"},
		{args: []string{"plan", "--levels", "50,10"}, want: "--levels"},
		{args: []string{"plan", "--url", fx.closedURL, "--levels", "1"}, want: "refused"},
		{args: []string{"list", "all"}, want: "list takes no arguments"},
		{args: []string{"monitor", "--pid", "999999999"}, want: "999999999"},
		{args: []string{"monitor", "--pid", "abc"}, want: "--pid"},
		{args: []string{"monitor"}, want: "--pid is required"},
		{args: []string{"serve", "--addr", fx.busyAddr}, want: "address already in use"},
		{args: []string{"serve", "--addr", "nowhere"}, want: "--addr"},
		{args: []string{"serve", "--variant", "bogus"}, want: "bogus"},
		{args: []string{"list"}, db: "dir", want: "is a directory"},
		{args: []string{"run", "--duration", "1s"}, db: "dir", want: "is a directory"},
		{args: []string{"list"}, db: "text", want: "not an exp database"},
		{args: []string{"run", "--duration", "1s"}, db: "text", want: "not an exp database"},
		{args: []string{"show", "r1"}, db: "newer", want: "newer exp"},
		{args: []string{"run", "--duration", "1s"}, db: "newer", want: "newer exp"},
		{args: []string{"list"}, db: "trigger", want: "triggers"},
		{args: []string{"run", "--duration", "1s"}, db: "nodir", want: "no such file or directory"},
	}
	var mu sync.Mutex
	logged := map[int]string{}
	for i, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Parallel()
			line := fx.check(t, c)
			mu.Lock()
			logged[i] = fmt.Sprintf("exp %s%s\n    %s\n", quoteArgs(c.args), dbNote(c.db), line)
			mu.Unlock()
		})
	}
	t.Cleanup(func() { writeBadInputLog(t, logged) })
}

// badFixtures are the files and addresses the cases point at.
type badFixtures struct {
	dir                          string
	good                         string // a database holding run r1
	dbs                          map[string]string
	closedURL, liveURL, busyAddr string
}

func newBadFixtures(t *testing.T) *badFixtures {
	dir := t.TempDir()
	fx := &badFixtures{dir: dir, good: filepath.Join(dir, "good.db"), dbs: map[string]string{}}
	mustExp(t, "run", "--db", fx.good, "--users", "1", "--duration", "1s", "--wait", "0", "--tasks", "/health", "--name", "r1")
	fx.dbs["dir"] = filepath.Join(dir, "a-directory")
	os.Mkdir(fx.dbs["dir"], 0o755)
	fx.dbs["text"] = filepath.Join(dir, "notes.txt")
	os.WriteFile(fx.dbs["text"], []byte("not a database\n"), 0o644)
	fx.dbs["newer"] = alteredCopy(t, fx.good, "newer.db", `INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', '2030-01-01T00:00:00Z')`)
	fx.dbs["trigger"] = alteredCopy(t, fx.good, "trigger.db", `CREATE TRIGGER wipe AFTER INSERT ON runs BEGIN DELETE FROM samples; END`)
	fx.dbs["nodir"] = filepath.Join(dir, "missing-dir", "exp.db")

	closed := freePort(t)
	fx.closedURL = fmt.Sprintf("http://127.0.0.1:%d", closed)
	live := freePort(t)
	startServe(t, live)
	fx.liveURL = fmt.Sprintf("http://127.0.0.1:%d", live)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	fx.busyAddr = busy.Addr().String()
	return fx
}

// alteredCopy copies a database and changes it with one statement, as
// another tool (or a newer exp) would.
func alteredCopy(t *testing.T, src, name, stmt string) string {
	path := filepath.Join(filepath.Dir(src), name)
	copyFile(t, src, path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
	return path
}

// check runs one case against its database (and, when the case allows, a
// missing file) and returns the error line.
func (fx *badFixtures) check(t *testing.T, c badCase) string {
	path := fx.dbs[c.db]
	if c.db == "" {
		path = filepath.Join(t.TempDir(), "exp.db")
		copyFile(t, fx.good, path)
	}
	before := hashOf(t, path)
	r := exp(t, append(c.args, "--db", path)...)
	line := assertOneLine(t, r, c.want)
	if after := hashOf(t, path); after != before {
		t.Errorf("%s changed", path)
	}
	if c.db == "" && !c.onlyExisting {
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		r := exp(t, append(c.args, "--db", fresh)...)
		assertOneLine(t, r, "")
		if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a missing --db was created")
		}
	}
	return line
}

func assertOneLine(t *testing.T, r result, want string) string {
	t.Helper()
	line := strings.TrimRight(r.stderr, "\n")
	if r.code != exitBadInput || line == "" || strings.Contains(line, "\n") || !strings.Contains(line, want) {
		t.Errorf("exit %d, stderr %q; want %d and one line naming %q", r.code, r.stderr, exitBadInput, want)
	}
	return line
}

// hashOf is the sha256 of a file, "dir" for a directory, "" when missing.
func hashOf(t *testing.T, path string) string {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ""
	case err != nil:
		t.Fatal(err)
	case fi.IsDir():
		ents, _ := os.ReadDir(path)
		return fmt.Sprintf("dir with %d entries", len(ents))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return fmt.Sprintf("%x", h.Sum(nil))
}

func copyFile(t *testing.T, src, dst string) {
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " <>*?:;&|'\"\\\r\n") {
			q[i] = fmt.Sprintf("%q", a)
		}
	}
	return strings.Join(q, " ")
}

func dbNote(key string) string {
	if key == "" {
		return ""
	}
	return map[string]string{"dir": " --db <a directory>", "text": " --db <a text file>",
		"newer": " --db <a database of a newer schema>", "trigger": " --db <a database with a trigger>",
		"nodir": " --db <a file in a missing directory>"}[key]
}

func writeBadInputLog(t *testing.T, logged map[int]string) {
	path := os.Getenv("EXP_BADINPUT_LOG")
	if path == "" {
		return
	}
	keys := make([]int, 0, len(logged))
	for k := range logged {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d malformed invocations; each exits 2 with the one stderr line shown and leaves --db unchanged (or not created).\n\n", len(keys))
	for _, k := range keys {
		b.WriteString(logged[k])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}
