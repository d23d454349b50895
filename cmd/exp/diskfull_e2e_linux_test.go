//go:build linux

package main

import (
	"exp/internal/tmpfs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fillDisk fills what is left of dir's file system with a file, as a
// user's other program would; dd stops with an error when it is full.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	filler := filepath.Join(dir, "filler")
	exec.Command("dd", "if=/dev/zero", "of="+filler, "bs=64k").Run()
	if fi, err := os.Stat(filler); err != nil || fi.Size() == 0 {
		t.Fatalf("could not fill %s: %v", dir, err)
	}
	return filler
}

var (
	stalledLine = regexp.MustCompile(`exp: write samples of run \d+: .*disk is full.*: samples wait and are tried again`)
	losingLine  = regexp.MustCompile(`samples are being lost, the run goes on`)
	notStored   = regexp.MustCompile(`Requests: (\d+) (?:sent|scheduled), (\d+) of them not stored \(the figures are of the (\d+) stored`)
)

// lostCounts are the requests line of a run that lost samples: all
// requests, those lost, those stored.
func lostCounts(t *testing.T, stdout string) (all, lost, stored int64) {
	t.Helper()
	m := notStored.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no requests line with samples not stored in:\n%s", stdout)
	}
	n := func(s string) int64 { v, _ := strconv.ParseInt(s, 10, 64); return v }
	return n(m[1]), n(m[2]), n(m[3])
}

// lastLine is the last line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestRunOnAFullDiskEndsIncomplete: the disk fills up mid-run for longer
// than the writer's retry window, then frees up before the end. The run
// goes on, the live output says at once that the store cannot write,
// the lost samples are counted (runs.lost_samples = scheduled arrivals -
// stored samples, by SQL), the run is stored incomplete with the warning
// samples-lost, its summary is printed, the file is intact, and exp exits
// 1 with one line.
func TestRunOnAFullDiskEndsIncomplete(t *testing.T) {
	t.Parallel()
	dir := tmpfs.Mount(t, "3m")
	dbPath := filepath.Join(dir, "exp.db")
	b := startExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--rate", "800", "--max-inflight", "50",
		"--tasks", "/health", "--duration", "9s", "--name", "full")
	b.waitStderr(t, regexp.MustCompile(`exp: run full: `), 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	filler := fillDisk(t, dir)
	b.waitStderr(t, stalledLine, 3*time.Second) // at once, not at the end
	b.waitStderr(t, losingLine, 8*time.Second)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	r := b.wait(t, time.Minute)
	if r.code != exitFailure {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitFailure, r.stdout, r.stderr)
	}
	all, lost, stored := lostCounts(t, r.stdout)
	want := "exp: run full is incomplete: " + strconv.FormatInt(lost, 10) + " samples could not be stored"
	if got := lastLine(r.stderr); got != want {
		t.Errorf("last line of stderr %q, want %q", got, want)
	}
	if !strings.Contains(r.stdout, "Run full (incomplete)") || printedTotal(t, r.stdout) != stored {
		t.Errorf("summary is not that of the %d stored samples of an incomplete run:\n%s", stored, r.stdout)
	}
	// The seconds missing samples must not read as a server that fell behind.
	if !strings.Contains(r.stdout, "Verdict: incomplete: samples lost") || !strings.Contains(r.stdout, "achieved unknown") {
		t.Errorf("verdict or throughput judged from partial figures:\n%s", r.stdout)
	}
	db := openDB(t, dbPath)
	assertIntact(t, db)
	if s := queryString(t, db, "select status from runs where name = 'full'"); s != "incomplete" {
		t.Errorf("status %q, want incomplete", s)
	}
	sqlLost := queryInt(t, db, `select scheduled - (select count(*) from samples where run_id = runs.id) from runs where name = 'full'`)
	if got := queryInt(t, db, "select lost_samples from runs where name = 'full'"); got != lost || got != sqlLost || got == 0 {
		t.Errorf("lost_samples %d, printed %d, scheduled - stored %d: want them equal and > 0", got, lost, sqlLost)
	}
	if got := queryInt(t, db, "select count(*) from samples"); got != stored || all != stored+lost {
		t.Errorf("%d samples stored, printed %d stored of %d", got, stored, all)
	}
	if n := queryInt(t, db, "select count(*) from run_warnings where code = 'samples-lost'"); n != 1 {
		t.Errorf("%d samples-lost warnings, want 1", n)
	}
	// The resource readings lost meanwhile: said once, counted, warned.
	if n := strings.Count(r.stderr, "exp: store resources: "); n != 1 {
		t.Errorf("the resources' store error said %d times, want once:\n%s", n, r.stderr)
	}
	text := queryString(t, db, "select text from run_warnings where code = 'resources-lost'")
	if !regexp.MustCompile(`^[1-9]\d* resource readings could not be stored \(`).MatchString(text) {
		t.Errorf("resources-lost warning %q", text)
	}
	t.Logf("disk full mid-run: %d scheduled, %d stored, %d lost and counted", all, stored, lost)
}

// TestRunEndingOnAFullDiskPrintsItsFigures: the disk fills up, frees up,
// and fills up again until after the run: its end (counts, warnings,
// summary, status) cannot be stored even after retrying. The summary is
// printed from memory all the same, with the count of samples lost; exp
// exits 1 with one line saying so; the run stays running, and the next
// exp command that opens the file, once there is room, marks it
// incomplete with the figures of the samples stored; the file is intact.
func TestRunEndingOnAFullDiskPrintsItsFigures(t *testing.T) {
	t.Parallel()
	dir := tmpfs.Mount(t, "3m")
	dbPath := filepath.Join(dir, "exp.db")
	b := startExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--users", "4", "--wait", "2ms",
		"--tasks", "/health", "--duration", "4s", "--name", "full")
	b.waitStderr(t, regexp.MustCompile(`exp: run full: `), 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	filler := fillDisk(t, dir)
	b.waitStderr(t, stalledLine, 3*time.Second)
	time.Sleep(time.Second)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	filler = fillDisk(t, dir) // and so it stays until the run has ended
	r := b.wait(t, time.Minute)
	_, lost, stored := lostCounts(t, r.stdout)
	want := regexp.MustCompile(`^exp: run full: its summary and status could not be saved \(.*disk is full.*\); ` +
		strconv.FormatInt(lost, 10) + ` samples could not be stored; it stays running in .* until the next exp command that opens the file marks it incomplete$`)
	if r.code != exitFailure || !want.MatchString(lastLine(r.stderr)) {
		t.Fatalf("exit %d, last line %q, want %d and %v\nstderr:\n%s", r.code, lastLine(r.stderr), exitFailure, want, r.stderr)
	}
	if !strings.Contains(r.stdout, "Run full (incomplete)") || printedTotal(t, r.stdout) != stored || lost == 0 {
		t.Errorf("no summary of the %d stored samples, %d lost:\n%s", stored, lost, r.stdout)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	l := mustExp(t, "list", "--db", dbPath)
	if !strings.Contains(l.stderr, "run full was left running by a process that died; marked incomplete") {
		t.Errorf("the next open did not recover the run:\n%s", l.stderr)
	}
	db := openDB(t, dbPath)
	assertIntact(t, db)
	if s := queryString(t, db, "select status from runs where name = 'full'"); s != "incomplete" {
		t.Errorf("status %q after the next open, want incomplete", s)
	}
	if got := queryInt(t, db, "select count(*) from samples"); got != stored {
		t.Errorf("%d samples stored, the printed figures are of %d", got, stored)
	}
	t.Logf("disk full at the end: %d stored, %d lost; %s", stored, lost, lastLine(r.stderr))
}
