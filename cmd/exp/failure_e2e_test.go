//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGINT or SIGTERM mid-run: the load stops within a second, every sample
// taken is stored and summarised, the run is aborted, the child target is
// gone and the exit status is 3.
func TestInterruptKeepsEverything(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dbPath := filepath.Join(t.TempDir(), "exp.db")
			b := startExp(t, "run", "--db", dbPath, "--users", "5", "--spawn-rate", "100", "--duration", "60s",
				"--wait", "20ms", "--tasks", "/health:1,/io?ms=300:1", "--name", "int")
			pid := b.targetPID(t)
			time.Sleep(2 * time.Second)
			sigAt := time.Now()
			b.signal(t, sig)
			r := b.wait(t, 30*time.Second)
			if r.code != exitAborted {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", r.code, exitAborted, r.stderr)
			}
			if !strings.Contains(r.stdout, "Run int (aborted)") {
				t.Errorf("no aborted summary:\n%s", r.stdout)
			}
			assertGone(t, pid)
			db := openDB(t, dbPath)
			assertIntact(t, db)
			if st := queryString(t, db, "select status from runs where name='int'"); st != "aborted" {
				t.Errorf("status %q, want aborted", st)
			}
			stored := queryInt(t, db, "select count(*) from samples")
			if total := printedTotal(t, r.stdout); stored != total || stored == 0 {
				t.Errorf("%d samples stored, %d printed", stored, total)
			}
			at := sigAt.Sub(startedAt(t, db, "int"))
			end := lastSampleEnd(t, db)
			lastStart := time.Duration(queryInt(t, db, "select max(t_us) from samples")) * time.Microsecond
			if end > at+time.Second {
				t.Errorf("a sample ended %v after the start, %v after the signal", end, end-at)
			}
			if lastStart < at-time.Second {
				t.Errorf("the last stored sample started at %v, the signal came at %v: samples lost", lastStart, at)
			}
			if d := queryFloat(t, db, "select duration_s from runs"); d > (at + time.Second).Seconds() {
				t.Errorf("the load went on %.2fs, the signal came at %v", d, at)
			}
		})
	}
}

// A second interrupt exits at once, without the usual clean-up: the run is
// left 'running' in a consistent file, the target is killed (a
// --target-cmd server too, which has no stdin to notice the exit by), and
// the next command that opens the file marks the run incomplete.
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	port := freePort(t)
	for name, target := range map[string][]string{
		"built-in":   nil,
		"target-cmd": {"--url", fmt.Sprintf("http://127.0.0.1:%d", port), "--target-cmd", fmt.Sprintf("'%s' serve --addr 127.0.0.1:%d", expBin, port)},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dbPath := filepath.Join(t.TempDir(), "exp.db")
			// Every user ends up in a 5 s /io request, which the first
			// interrupt gives 500 ms to finish: the second comes within them.
			b := startExp(t, append([]string{"run", "--db", dbPath, "--users", "3", "--spawn-rate", "100", "--duration", "60s",
				"--wait", "0", "--tasks", "/health:1,/io?ms=5000:1", "--name", "twice"}, target...)...)
			pid := b.targetPID(t)
			time.Sleep(1500 * time.Millisecond)
			b.signal(t, syscall.SIGINT)
			time.Sleep(100 * time.Millisecond)
			b.signal(t, syscall.SIGINT)
			r := b.wait(t, 10*time.Second)
			if r.code != exitAborted || !strings.Contains(r.stderr, "interrupted twice") {
				t.Errorf("exit status %d, want %d, and a word on stderr:\n%s", r.code, exitAborted, r.stderr)
			}
			assertGone(t, pid)
			db := openDB(t, dbPath)
			assertIntact(t, db)
			if st := queryString(t, db, "select status from runs where name='twice'"); st != "running" {
				t.Errorf("status %q: the second interrupt did not cut the clean-up short", st)
			}
			l := mustExp(t, "list", "--db", dbPath)
			if !strings.Contains(l.stdout, "incomplete") || !strings.Contains(l.stderr, "marked incomplete") {
				t.Errorf("exp list after the exit:\n%s\n%s", l.stdout, l.stderr)
			}
			assertIntact(t, db)
		})
	}
}

// kill -9 mid-run: the file is intact, at most the last second of samples
// is missing, and exp list recovers the run as incomplete with its
// figures computed from what was stored.
func TestCrashLeavesRecoverableRun(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	b := startExp(t, "run", "--db", dbPath, "--users", "5", "--spawn-rate", "100", "--duration", "60s",
		"--wait", "20ms", "--tasks", "/health:1,/io?ms=100:1", "--name", "crash")
	pid := b.targetPID(t)
	time.Sleep(2500 * time.Millisecond)
	killAt := time.Now()
	b.signal(t, os.Kill)
	b.wait(t, 10*time.Second)
	assertGone(t, pid) // it saw its stdin close
	db := openDB(t, dbPath)
	assertIntact(t, db)
	if st := queryString(t, db, "select status from runs"); st != "running" {
		t.Fatalf("status %q before any reopen, want running", st)
	}
	at := killAt.Sub(startedAt(t, db, "crash"))
	if end := lastSampleEnd(t, db); end < at-1500*time.Millisecond {
		t.Errorf("the last stored sample ended at %v, the kill came at %v: more than the last second lost", end, at)
	}
	stored := queryInt(t, db, "select count(*) from samples")

	l := mustExp(t, "list", "--db", dbPath)
	line := ""
	for _, s := range strings.Split(l.stdout, "\n") {
		if strings.HasPrefix(s, "crash ") {
			line = s
		}
	}
	if !strings.Contains(line, "incomplete") {
		t.Errorf("exp list does not show the run incomplete:\n%s\nstderr: %s", l.stdout, l.stderr)
	}
	if st := queryString(t, db, "select status from runs"); st != "incomplete" {
		t.Errorf("status %q after exp list, want incomplete", st)
	}
	if n := queryInt(t, db, "select requests from endpoint_stats where name='Aggregated'"); n != stored || n == 0 {
		t.Errorf("recovered figures count %d requests, %d samples stored", n, stored)
	}
	assertIntact(t, db)
}

// The target dies mid-run: the run goes on to its end recording refused
// connections, says the target stopped answering (warning, verdict, exit
// status 1) and nothing hangs.
func TestDyingTarget(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	began := time.Now()
	b := startExp(t, "run", "--db", dbPath, "--users", "5", "--spawn-rate", "100", "--duration", "4s",
		"--wait", "20ms", "--tasks", "/health", "--name", "dying")
	pid := b.targetPID(t)
	time.Sleep(time.Second)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r := b.wait(t, 60*time.Second)
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("a 4 s run took %v", took)
	}
	if r.code != exitFailure {
		t.Errorf("exit status %d, want %d", r.code, exitFailure)
	}
	for _, want := range []string{"Warning: the target stopped answering", "Verdict: target stopped answering", "refused"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "the target process exited") || !strings.Contains(r.stderr, "target stopped answering") {
		t.Errorf("stderr does not say the target exited:\n%s", r.stderr)
	}
	db := openDB(t, dbPath)
	if st := queryString(t, db, "select status from runs"); st != "completed" {
		t.Errorf("status %q, want completed: the run goes on to its end", st)
	}
	if d := queryFloat(t, db, "select duration_s from runs"); d < 3.5 {
		t.Errorf("the run stopped after %.1fs of 4", d)
	}
	if n := queryInt(t, db, "select count(*) from samples where error_class in ('refused','reset')"); n == 0 {
		t.Error("no refused or reset failure stored after the target died")
	}
	if n := queryInt(t, db, "select count(*) from samples where error_class is not null and error_class not in ('refused','reset')"); n != 0 {
		t.Errorf("%d failures of other classes", n)
	}
	stored := queryInt(t, db, "select count(*) from samples")
	if total := printedTotal(t, r.stdout); stored != total {
		t.Errorf("%d samples stored, %d printed", stored, total)
	}
	if !strings.Contains(queryString(t, db, "select warnings from runs"), "target stopped answering") {
		t.Error("no warning stored with the run")
	}
}

// SIGINT during a plan: the cell's run stops within a second and is kept
// aborted with all its samples, its target is gone, the plan is aborted,
// its report is written for what ran, and the exit status is 3.
func TestInterruptStopsPlan(t *testing.T) {
	t.Parallel()
	dbPath, out := filepath.Join(t.TempDir(), "exp.db"), t.TempDir()
	b := startExp(t, "plan", "--db", dbPath, "--variants", "single,goroutine", "--levels", "2,3", "--duration", "30s",
		"--wait", "20ms", "--tasks", "/health:1,/io?ms=200:1", "--out", out, "--name", "p")
	pid := b.targetPID(t)
	time.Sleep(2 * time.Second)
	sigAt := time.Now()
	b.signal(t, syscall.SIGINT)
	r := b.wait(t, 60*time.Second)
	if r.code != exitAborted {
		t.Errorf("exit status %d, want %d\nstderr:\n%s", r.code, exitAborted, r.stderr)
	}
	assertGone(t, pid)
	db := openDB(t, dbPath)
	assertIntact(t, db)
	if st := queryString(t, db, "select status from plans where name = 'p'"); st != "aborted" {
		t.Errorf("plan status %q, want aborted", st)
	}
	if n := queryInt(t, db, "select count(*) from runs"); n != 1 {
		t.Errorf("%d runs stored, want the one interrupted", n)
	}
	name := queryString(t, db, "select name from runs where status = 'aborted'")
	if name == "" {
		t.Fatalf("no aborted run; stderr:\n%s", r.stderr)
	}
	stored := queryInt(t, db, "select count(*) from samples")
	if n := queryInt(t, db, "select requests from endpoint_stats where name = 'Aggregated'"); n != stored || n == 0 {
		t.Errorf("%d samples stored, the summary counts %d", stored, n)
	}
	if !strings.Contains(r.stdout, "of "+strconv.FormatInt(stored, 10)+" (run "+name+", aborted)") {
		t.Errorf("the cell line does not print the %d stored requests:\n%s", stored, r.stdout)
	}
	if end, at := lastSampleEnd(t, db), sigAt.Sub(startedAt(t, db, name)); end > at+time.Second {
		t.Errorf("a sample ended %v after the signal", end-at)
	}
	if _, err := os.Stat(filepath.Join(out, "report.md")); err != nil {
		t.Errorf("no report after the interrupt: %v", err)
	}
}
