package main

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test process itself is the watched process: it exists on every OS.
func TestMonitorWritesCSV(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "usage.csv")
	r := mustExp(t, "monitor", "--pid", strconv.Itoa(os.Getpid()), "--csv", path, "--duration", "2s", "--interval", "500ms")
	if !strings.Contains(r.stderr, "readings written to "+path) {
		t.Errorf("stderr = %q", r.stderr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"time", "cpu_pct", "rss_bytes", "mem_pct", "threads", "tcp_established", "tcp_time_wait"}
	if len(recs) == 0 || !slices.Equal(recs[0], want) {
		t.Fatalf("header = %v, want %v", recs[0], want)
	}
	rows := recs[1:]
	if len(rows) < 3 {
		t.Fatalf("%d rows in 2 s at 500 ms, want >= 3", len(rows))
	}
	var prev time.Time
	for i, row := range rows {
		at, err := time.Parse("2006-01-02T15:04:05.000Z07:00", row[0])
		if err != nil || !at.After(prev) {
			t.Errorf("row %d: time %q (%v) not after %v", i, row[0], err, prev)
		}
		prev = at
		if rss, err := strconv.ParseUint(row[2], 10, 64); err != nil || rss == 0 {
			t.Errorf("row %d: rss_bytes %q", i, row[2])
		}
		if th, err := strconv.Atoi(row[4]); err != nil || th < 1 {
			t.Errorf("row %d: threads %q", i, row[4])
		}
		for _, c := range []int{1, 3, 5, 6} {
			if _, err := strconv.ParseFloat(row[c], 64); err != nil {
				t.Errorf("row %d: column %s = %q", i, want[c], row[c])
			}
		}
	}
}

func TestMonitorPrintsLines(t *testing.T) {
	t.Parallel()
	r := mustExp(t, "monitor", "--pid", strconv.Itoa(os.Getpid()), "--duration", "1s", "--interval", "250ms")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "time") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	if f := strings.Fields(lines[1]); len(f) != 7 {
		t.Errorf("line %q: %d fields, want 7", lines[1], len(f))
	}
}

func TestMonitorBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"no such pid", []string{"--pid", "2147483646"}, "2147483646"},
		{"no pid", nil, "--pid"},
		{"negative pid", []string{"--pid", "-3"}, "-3"},
		{"zero interval", []string{"--pid", strconv.Itoa(os.Getpid()), "--interval", "0s"}, "--interval"},
		{"csv in missing dir", []string{"--pid", strconv.Itoa(os.Getpid()), "--csv", filepath.Join(dir, "no", "x.csv")}, "x.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			csvPath := filepath.Join(dir, c.name+".csv")
			args := append([]string{"monitor", "--duration", "5s"}, c.args...)
			if !slices.Contains(c.args, "--csv") {
				args = append(args, "--csv", csvPath)
			}
			r := exp(t, args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, c.says) {
				t.Errorf("stderr = %q, want one line naming %q", r.stderr, c.says)
			}
			if _, err := os.Stat(csvPath); err == nil {
				t.Errorf("%s created on bad input", csvPath)
			}
		})
	}
}

// A watched process that exits ends the monitor normally, saying so.
func TestMonitorStopsWhenProcessExits(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("uses sleep")
	}
	sleep := exec.Command("sleep", "0.7")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	go sleep.Wait()
	t.Cleanup(func() { sleep.Process.Kill() })
	begin := time.Now()
	r := mustExp(t, "monitor", "--pid", strconv.Itoa(sleep.Process.Pid), "--interval", "100ms", "--duration", "20s")
	if !strings.Contains(r.stderr, "exited") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if time.Since(begin) > 15*time.Second {
		t.Errorf("monitor ran on after the process exited")
	}
}
