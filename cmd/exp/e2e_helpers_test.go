package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// expBin is the real exp binary, built once for the end-to-end tests.
var expBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "exp-e2e")
	if err != nil {
		panic(err)
	}
	expBin = filepath.Join(dir, "exp")
	if runtime.GOOS == "windows" {
		expBin += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", expBin, ".").CombinedOutput(); err != nil {
		panic("build exp: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one invocation of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

// exp runs the binary with args and returns its output and exit status.
func exp(t *testing.T, args ...string) result {
	t.Helper()
	// Bounded, so a hang fails one test instead of the whole run; WaitDelay
	// keeps a grandchild holding the pipes from blocking Wait.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, expBin, args...)
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("exp %v: %v", args, err)
	}
	return r
}

// mustExp is exp that fails the test on a non-zero exit.
func mustExp(t *testing.T, args ...string) result {
	t.Helper()
	r := exp(t, args...)
	if r.code != 0 {
		t.Fatalf("exp %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// openDB opens a database file the binary wrote, read-only, for checks.
func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	// A reader may meet a writer's lock for a moment (a checkpoint of
	// another run still writing): wait for it as exp itself does.
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n sql.NullInt64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n.Int64
}

func queryFloat(t *testing.T, db *sql.DB, q string, args ...any) float64 {
	t.Helper()
	var f sql.NullFloat64
	if err := db.QueryRow(q, args...).Scan(&f); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return f.Float64
}

var aggregatedRow = regexp.MustCompile(`(?m)^\s+Aggregated\s+(\d+)\s`)

// printedTotal is the request count of the Aggregated row of a summary.
func printedTotal(t *testing.T, out string) int64 {
	t.Helper()
	m := aggregatedRow.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no Aggregated row in:\n%s", out)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

var pidRe = regexp.MustCompile(`\(pid (\d+)\)`)

// targetPID is the child target's PID as the run announced it.
func targetPID(t *testing.T, stderr string) int {
	t.Helper()
	m := pidRe.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no target pid in:\n%s", stderr)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// startServe runs `exp serve` on port for the test's lifetime.
func startServe(t *testing.T, port int) *exec.Cmd {
	t.Helper()
	return startServeArgs(t, "--addr", "127.0.0.1:"+strconv.Itoa(port))
}

// startServeArgs runs `exp serve` with args for the test's lifetime.
func startServeArgs(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(expBin, append([]string{"serve"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 256)
	if _, err := out.Read(buf); err != nil { // the "listening on" line
		t.Fatalf("exp serve: %v", err)
	}
	return cmd
}
