package main

import (
	"encoding/json"
	"exp/internal/skiplog"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"exp/plots"
)

var verdictLine = regexp.MustCompile(`(?m)^Verdict: (.+)$`)

// verdictOf is the verdict `exp show` prints for a run.
func verdictOf(t *testing.T, dbPath, run string, extra ...string) (string, result) {
	t.Helper()
	r := mustExp(t, append([]string{"show", "--db", dbPath, run}, extra...)...)
	m := verdictLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no verdict in:\n%s", r.stdout)
	}
	return m[1], r
}

// A server that handles one request at a time, given ever more users
// asking for CPU work without pause, does not keep up: it is cpu-bound on
// its one core. Not parallel: the server must get its core for the
// premise to hold, which the test checks.
func TestVerdictStagedCPUOnSingle(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	mustExp(t, "run", "--db", dbPath, "--variant", "single", "--stages", "2s:5,2s:20,2s:40", "--spawn-rate", "100",
		"--wait", "0", "--tasks", "/cpu", "--name", "staged")
	v, r := verdictOf(t, dbPath, "staged")
	db := openDB(t, dbPath)
	// The premise, over the top stage's readings as the verdict reads them.
	top := `from resources where scope = 'target' and t_ms > 4000`
	target := queryFloat(t, db, `select cpu_pct `+top+` order by cpu_pct limit 1 offset (select count(*)/2 `+top+`)`)
	if target < 85 && v != "cpu-bound" {
		skiplog.Skip(t, "the single server held only %.0f%% of its core (the machine was shared): "+
			"the premise of a server at full CPU does not hold (verdict %q)", target, v)
	}
	if v != "cpu-bound" {
		t.Errorf("verdict %q for a single server at full CPU, want cpu-bound:\n%s", v, r.stdout)
	}
	if !strings.Contains(r.stdout, "highest sustained successful throughput") {
		t.Errorf("no plateau in:\n%s", r.stdout)
	}
}

// Ten users waiting on /io of a goroutine-per-request server leave it far
// from its limit; show --plots writes the six charts of the run.
func TestVerdictIOOnGoroutine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	mustExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--users", "10", "--spawn-rate", "100",
		"--duration", "3s", "--wait", "0", "--tasks", "/io?ms=100", "--name", "io")
	out := filepath.Join(dir, "plots")
	v, r := verdictOf(t, dbPath, "io", "--plots", out)
	if v != "not saturated" {
		t.Errorf("verdict %q, want not saturated:\n%s", v, r.stdout)
	}
	checkPNGs(t, out, r.stdout)
}

// checkPNGs checks that dir holds the six charts, each printed and each a
// PNG.
func checkPNGs(t *testing.T, dir, stdout string) {
	t.Helper()
	for _, c := range plots.Charts {
		path := filepath.Join(dir, c.File)
		if !strings.Contains(stdout, path) {
			t.Errorf("%s not printed", path)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			continue
		}
		if _, err := png.DecodeConfig(f); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		f.Close()
	}
}

// runBoth runs two configurations at once into one database.
func runBoth(t *testing.T, dbPath string, args ...[]string) {
	var wg sync.WaitGroup
	for _, a := range args {
		wg.Go(func() { mustExp(t, append([]string{"run", "--db", dbPath}, a...)...) })
	}
	wg.Wait()
}

// compareJSON is what compare --format json says of each candidate.
type compareJSON struct {
	Candidates []struct {
		Name    string
		Runs    []string
		Changes []struct {
			Figure    string
			ChangePct *float64 `json:"change_pct"`
			Judgement string
			Worse     bool
			Noise     string
		}
		Gates []struct {
			Gate   string
			Failed bool
			Why    string
		}
	}
	GateFailed bool `json:"gate_failed"`
}

func compareJSONOf(t *testing.T, r result) compareJSON {
	t.Helper()
	var c compareJSON
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil || len(c.Candidates) == 0 {
		t.Fatalf("compare --format json: %v:\n%s\n%s", err, r.stdout, r.stderr)
	}
	return c
}

// Two groups of three runs of one setting, with think time (the case a
// per-request bootstrap called real), differ only by noise. A correct 95%
// interval still excludes 0 for 5% of figures by chance; a figure judged
// real must then have moved by little, and the gates pass.
func TestCompareIdenticalGroupsWithinNoise(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	same := []string{"--variant", "goroutine", "--users", "20", "--spawn-rate", "100", "--duration", "6s",
		"--tasks", "/io?ms=20", "--wait", "10ms-50ms", "--repeat", "3"}
	runBoth(t, dbPath, append([]string{"--name", "a"}, same...), append([]string{"--name", "b"}, same...))
	r := exp(t, "compare", "--db", dbPath, "a", "b", "--format", "json",
		"--gate", "p50:+5%", "--gate", "p95:+10%", "--gate", "throughput:-5%")
	if r.code != 0 {
		t.Errorf("gates failed on identical groups (exit %d):\n%s", r.code, r.stdout)
	}
	c := compareJSONOf(t, r)
	if got := c.Candidates[0].Runs; len(got) != 3 {
		t.Errorf("group b has runs %v, want b-1, b-2, b-3", got)
	}
	real := 0
	for _, ch := range c.Candidates[0].Changes {
		switch ch.Judgement {
		case "within noise":
		case "real":
			real++
			if ch.ChangePct == nil || *ch.ChangePct > 5 || *ch.ChangePct < -5 {
				t.Errorf("%s: identical groups judged real at %v%%:\n%s", ch.Figure, ch.ChangePct, r.stdout)
			}
		default:
			if ch.Figure != "p99" {
				t.Errorf("%s: %s (noise %s), want within noise:\n%s", ch.Figure, ch.Judgement, ch.Noise, r.stdout)
			}
		}
		if !strings.Contains(ch.Noise, "3+3 runs") && ch.Judgement != "too little data" {
			t.Errorf("%s: noise from %q, want the 3+3 runs", ch.Figure, ch.Noise)
		}
	}
	if real > 1 {
		t.Errorf("%d figures of identical groups judged real:\n%s", real, r.stdout)
	}
}

// On /io at 20 users, goroutine-per-request serves many times what a
// one-at-a-time server does: over three runs a side the gain is real, and
// a throughput gate fails for the worse server with exit status 5.
func TestCompareSingleVsGoroutineIO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	load := []string{"--users", "20", "--spawn-rate", "100", "--duration", "6s", "--wait", "0", "--tasks", "/io?ms=50", "--repeat", "3"}
	runBoth(t, dbPath, append([]string{"--variant", "single", "--name", "single"}, load...),
		append([]string{"--variant", "goroutine", "--name", "goroutine"}, load...))
	out := filepath.Join(dir, "plots")
	r := mustExp(t, "compare", "--db", dbPath, "single", "goroutine", "--out", out)
	if !regexp.MustCompile(`(?m)^\s+throughput\s.*3\+3 runs \(df 4\)\s+real: better$`).MatchString(r.stdout) {
		t.Errorf("throughput gain not judged real over 3+3 runs:\n%s", r.stdout)
	}
	for _, want := range []string{"Per endpoint:", "GET /io?ms=50 p95 (ms)", "Verdict for single-1:", "Verdict for goroutine-3:", "RPS plateau"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	checkPNGs(t, out, r.stdout)
	// The worse server as the candidate fails a throughput gate.
	r = exp(t, "compare", "--db", dbPath, "--baseline", "goroutine", "single", "--gate", "throughput:-3%", "--format", "json")
	c := compareJSONOf(t, r)
	if r.code != exitGate || !c.GateFailed || len(c.Candidates[0].Gates) != 1 || !c.Candidates[0].Gates[0].Failed {
		t.Errorf("gate on a real regression: exit %d, want %d:\n%s", r.code, exitGate, r.stdout)
	}
	// One run a side: never real, whatever the change.
	r = mustExp(t, "compare", "--db", dbPath, "single-1", "goroutine-1", "--format", "json", "--gate", "throughput:-3%")
	for _, ch := range compareJSONOf(t, r).Candidates[0].Changes {
		if ch.Judgement == "real" {
			t.Errorf("%s: one run a side judged real:\n%s", ch.Figure, r.stdout)
		}
	}
	// A calibration's noise decides single runs.
	r = mustExp(t, "compare", "--db", dbPath, "single-1", "goroutine-1", "--noise", "goroutine", "--format", "json")
	for _, ch := range compareJSONOf(t, r).Candidates[0].Changes {
		if ch.Figure == "throughput" && (ch.Judgement != "real" || !strings.Contains(ch.Noise, "calibration goroutine")) {
			t.Errorf("throughput with --noise: %s from %s:\n%s", ch.Judgement, ch.Noise, r.stdout)
		}
	}
}

func TestCompareBadInput(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	mustExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--users", "1", "--duration", "1s",
		"--tasks", "/health", "--name", "one")
	for _, args := range [][]string{
		{"one"},
		{"one", "one"},
		{"one", "nosuch"},
		{"one", "--baseline", "nosuch"},
		{"one", "two", "--gate", "p95:-5%"},
		{"one", "two", "--gate", "p97:+5%"},
		{"one", "two", "--format", "xml"},
	} {
		r := exp(t, append([]string{"compare", "--db", dbPath}, args...)...)
		if r.code != exitBadInput || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("compare %v: exit %d, stderr %q; want exit %d and one line", args, r.code, r.stderr, exitBadInput)
		}
	}
}
