package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/base64"
	"errors"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// summaryRow is a line of report.md's summary table: variant, users, run,
// requests, RPS, successful RPS at full load, avg, p95.
var summaryRow = regexp.MustCompile(`(?m)^\| (\S+) \| (\d+) \| (\S+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|`)

// A plan of two variants at two levels, 3 s each: four stored runs linked
// to one plan, a report whose figures are the stored ones, an HTML file
// with every chart inlined, thresholds checked on every cell (a breach
// exits 4), and `plan show` writing the same report again.
func TestPlanReport(t *testing.T) {
	dir := t.TempDir()
	dbPath, out := filepath.Join(dir, "exp.db"), filepath.Join(dir, "report")
	r := exp(t, "plan", "--db", dbPath, "--variants", "single,goroutine", "--levels", "2:2,4:4", "--duration", "3s",
		"--wait", "50ms-100ms", "--tasks", "/health:1,/io?ms=50:1,/cpu?work=100000:1", "--name", "p", "--out", out,
		"--threshold", "rps>0", "--threshold", "/health:p95<0.001ms")
	if r.code != exitThreshold {
		t.Fatalf("exit %d, want %d (a breached threshold)\nstdout:\n%s\nstderr:\n%s", r.code, exitThreshold, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "FAILED /health:p95<0.001ms") || strings.Contains(r.stdout, "FAILED rps>0") {
		t.Errorf("threshold lines wrong:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "plan p: cell 3/4 single at 4 users (spawn 4/s)") {
		t.Errorf("no progress line for cell 3:\n%s", r.stderr)
	}
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from plans where name='p' and status='completed'"); n != 1 {
		t.Errorf("%d completed plans named p, want 1", n)
	}
	if n := queryInt(t, db, "select count(*) from plan_runs c join runs r on r.id=c.run_id where r.status='completed'"); n != 4 {
		t.Errorf("%d completed runs linked to the plan, want 4", n)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkSummaryFigures(t, db, string(md))
	checkSelfContained(t, filepath.Join(out, "report.html"))
	for _, f := range []string{"plateau.png", "users-2/throughput.png", "users-4/percentiles.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("chart missing: %v", err)
		}
	}
	out2 := filepath.Join(dir, "again")
	mustExp(t, "plan", "show", "p", "--db", dbPath, "--out", out2)
	if again, _ := os.ReadFile(filepath.Join(out2, "report.md")); !bytes.Equal(again, md) {
		t.Errorf("plan show wrote another report:\n%s", again)
	}
}

// checkSummaryFigures parses the summary table back and compares it with
// endpoint_stats.
func checkSummaryFigures(t *testing.T, db *sql.DB, md string) {
	t.Helper()
	rows := summaryRow.FindAllStringSubmatch(md, -1)
	if len(rows) != 4 {
		t.Fatalf("%d rows in the summary table, want 4:\n%s", len(rows), md)
	}
	for _, m := range rows {
		q := "select %s from endpoint_stats s join runs r on r.id=s.run_id where s.endpoint_id=-1 and r.name=?"
		if got, want := atof(m[4]), float64(queryInt(t, db, strings.Replace(q, "%s", "requests", 1), m[3])); got != want {
			t.Errorf("%s: report says %v requests, the store %v", m[3], got, want)
		}
		for _, c := range []struct {
			col, text string
		}{{"rps", m[5]}, {"avg_ms", m[7]}, {"p95_ms", m[8]}} {
			stored := queryFloat(t, db, strings.Replace(q, "%s", c.col, 1), m[3])
			if !sameFigure(atof(c.text), stored) {
				t.Errorf("%s: report says %s %s, the store %g", m[3], c.col, c.text, stored)
			}
		}
	}
}

// sameFigure: printed with three significant digits (at least one
// decimal), a figure is within half its last digit of the stored one.
func sameFigure(printed, stored float64) bool {
	return math.Abs(printed-stored) <= max(0.05, 0.005*math.Abs(stored))
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

var (
	imgSrc   = regexp.MustCompile(`<img src="([^"]*)"`)
	external = regexp.MustCompile(`(?i)(src|href)="(https?:|//|[^"#d][^"]*\.(png|css|js))`)
)

// checkSelfContained: every image is a data: URI holding a PNG, nothing
// refers outside the file, and a browser (headless Chromium, when
// installed) renders it.
func checkSelfContained(t *testing.T, path string) {
	t.Helper()
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	imgs := imgSrc.FindAllStringSubmatch(string(page), -1)
	if len(imgs) < 5 {
		t.Errorf("%d images in the HTML report, want the level charts and the plan's", len(imgs))
	}
	for _, m := range imgs {
		b64, ok := strings.CutPrefix(html.UnescapeString(m[1]), "data:image/png;base64,")
		png, err := base64.StdEncoding.DecodeString(b64)
		if !ok || err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("image %.60s… is not an inlined PNG", m[1])
		}
	}
	if m := external.FindString(string(page)); m != "" {
		t.Errorf("the HTML refers outside itself: %s", m)
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Log("chromium not installed: HTML not rendered")
		return
	}
	shot := filepath.Join(t.TempDir(), "report.png")
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,3000",
		"--screenshot="+shot, "file://"+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("chromium: %v\n%s", err, out)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 20_000 {
		t.Errorf("chromium screenshot missing or blank: %v", err)
	}
}

// Ctrl-C in the second cell stops the plan: the first run is kept as
// completed, the second as aborted, the report covers both, exit 3.
func TestPlanInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	dir := t.TempDir()
	dbPath, out := filepath.Join(dir, "exp.db"), filepath.Join(dir, "report")
	cmd := exec.Command(expBin, "plan", "--db", dbPath, "--variants", "goroutine", "--levels", "2:2,3:3",
		"--duration", "3s", "--wait", "50ms", "--name", "p", "--out", out)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			if !signalled && strings.Contains(sc.Text(), "cell 2/2") {
				time.Sleep(time.Second)
				cmd.Process.Signal(os.Interrupt)
				signalled = true
			}
		}
		done <- cmd.Wait()
	}()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("plan did not stop")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitAborted {
		t.Fatalf("exit %v, want %d", err, exitAborted)
	}
	db := openDB(t, dbPath)
	for _, want := range []struct{ run, status string }{{"p-goroutine-2", "completed"}, {"p-goroutine-3", "aborted"}} {
		if n := queryInt(t, db, "select count(*) from runs r join plan_runs c on c.run_id=r.id where r.name=? and r.status=?", want.run, want.status); n != 1 {
			t.Errorf("run %s not stored %s and linked", want.run, want.status)
		}
	}
	if n := queryInt(t, db, "select count(*) from plans where status='aborted'"); n != 1 {
		t.Error("plan not stored as aborted")
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil || !strings.Contains(string(md), "The plan was interrupted: 2 of 2 runs exist") ||
		len(summaryRow.FindAllString(string(md), -1)) != 2 {
		t.Errorf("report of the interrupted plan (%v):\n%s", err, md)
	}
}

// Bad input is refused before any load, and nothing is stored.
func TestPlanBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--variants", "single,fast"}, `unknown variant "fast"`},
		{[]string{"--levels", "10:2,5:1"}, "users must rise"},
		{[]string{"--levels", "10:0"}, "spawn rate"},
		{[]string{"--levels", "ten"}, "users:spawn-rate"},
		{[]string{"--threshold", "p95<<3"}, "--threshold"},
		{[]string{"--url", "http://127.0.0.1:1", "--variants", "single"}, "cannot be used with --url"},
		{[]string{"--tasks", "health"}, "--tasks"},
		{[]string{"--duration", "0s"}, "--duration"},
	}
	for _, tt := range tests {
		dbPath := filepath.Join(t.TempDir(), "exp.db")
		r := exp(t, append([]string{"plan", "--db", dbPath}, tt.args...)...)
		if r.code != exitBadInput || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("plan %v: exit %d, stderr %q; want %d saying %q", tt.args, r.code, r.stderr, exitBadInput, tt.want)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Errorf("plan %v created the database", tt.args)
		}
	}
}
