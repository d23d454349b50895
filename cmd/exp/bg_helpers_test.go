package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// bgExp is the exp binary running in the background, for tests that act
// on it mid-run (signals, kills, a second process).
type bgExp struct {
	cmd      *exec.Cmd
	out, err syncBuffer
	done     chan struct{}
	waitErr  error
}

// startExp starts the binary with args; it is killed when the test ends
// if it is still running.
func startExp(t *testing.T, args ...string) *bgExp {
	t.Helper()
	b := &bgExp{cmd: exec.Command(expBin, args...), done: make(chan struct{})}
	b.cmd.Stdout, b.cmd.Stderr = &b.out, &b.err
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { b.waitErr = b.cmd.Wait(); close(b.done) }()
	t.Cleanup(func() {
		select {
		case <-b.done:
		default:
			b.cmd.Process.Kill()
			<-b.done
		}
	})
	return b
}

// waitStderr waits until stderr matches re and returns the submatches.
func (b *bgExp) waitStderr(t *testing.T, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := re.FindStringSubmatch(b.err.String()); m != nil {
			return m
		}
		select {
		case <-b.done:
			t.Fatalf("exp exited before printing %v\nstdout:\n%s\nstderr:\n%s", re, b.out.String(), b.err.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %v on stderr within %v:\n%s", re, timeout, b.err.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// targetPID waits for the run's announcement and returns its target's PID.
func (b *bgExp) targetPID(t *testing.T) int {
	t.Helper()
	n, _ := strconv.Atoi(b.waitStderr(t, pidRe, 30*time.Second)[1])
	return n
}

// wait waits for the process to end, at most timeout, and returns what it
// did; a process ended by a signal has code -1.
func (b *bgExp) wait(t *testing.T, timeout time.Duration) result {
	t.Helper()
	select {
	case <-b.done:
	case <-time.After(timeout):
		b.cmd.Process.Kill()
		<-b.done
		t.Fatalf("exp still running after %v; killed\nstderr:\n%s", timeout, b.err.String())
	}
	r := result{stdout: b.out.String(), stderr: b.err.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(b.waitErr, &ee):
		r.code = ee.ExitCode()
	case b.waitErr != nil:
		t.Fatalf("exp: %v", b.waitErr)
	}
	return r
}

func (b *bgExp) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := b.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

func queryString(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// assertIntact runs SQLite's integrity check on a database file.
func assertIntact(t *testing.T, db *sql.DB) {
	t.Helper()
	if got := queryString(t, db, "pragma integrity_check"); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
}

// startedAt is when the run named name started, as stored.
func startedAt(t *testing.T, db *sql.DB, name string) time.Time {
	t.Helper()
	s := queryString(t, db, "select started_at from runs where name = ?", name)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("started_at %q: %v", s, err)
	}
	return at
}

// lastSampleEnd is when the last stored sample of a run ended, as an
// offset from the run's start.
func lastSampleEnd(t *testing.T, db *sql.DB) time.Duration {
	t.Helper()
	return time.Duration(queryInt(t, db, "select max(t_us + latency_us) from samples")) * time.Microsecond
}
