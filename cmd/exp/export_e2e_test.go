package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fixtures is real Locust 2.12 output of the classic plan, kept in the
// repository (locust/testdata/README.md).
const fixtures = "../../locust/testdata/"

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// sameCSV compares two CSV files cell by cell: the same text, or the same
// number within 1e-6 (exp keeps Locust's figures to the nanosecond).
func sameCSV(t *testing.T, got, want string) {
	t.Helper()
	g, w := readCSVFile(t, got), readCSVFile(t, want)
	if len(g) != len(w) {
		t.Fatalf("%s: %d lines, %s has %d", got, len(g), want, len(w))
	}
	for i := range w {
		if len(g[i]) != len(w[i]) {
			t.Fatalf("%s line %d: %d columns, want %d", got, i+1, len(g[i]), len(w[i]))
		}
		for j := range w[i] {
			a, b := g[i][j], w[i][j]
			fa, ea := strconv.ParseFloat(a, 64)
			fb, eb := strconv.ParseFloat(b, 64)
			same := a == b || (ea == nil && eb == nil && math.Abs(fa-fb) <= 1e-6*max(1, math.Abs(fb)))
			if !same {
				t.Errorf("%s line %d, column %q: %q, want %q", filepath.Base(got), i+1, w[0][j], a, b)
			}
		}
	}
}

// Locust's files imported and exported again come back with the same
// columns and figures; the imported run shows, exports as JSON, and has
// no samples to stream.
func TestImportExportLocust(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	for _, prefix := range []string{"classic_u10", "classic_u10_serverdown"} {
		mustExp(t, "import", "locust", fixtures+prefix, "--db", dbPath)
		out := filepath.Join(dir, "out") + "/"
		mustExp(t, "export", prefix, "--db", dbPath, "--out", out)
		sameCSV(t, out+prefix+"_stats.csv", fixtures+prefix+"_stats.csv")
		sameCSV(t, out+prefix+"_stats_history.csv", fixtures+prefix+"_stats_history.csv")
	}
	fails := readCSVFile(t, filepath.Join(dir, "out", "classic_u10_serverdown_failures.csv"))
	if len(fails) != 4 || fails[1][2] != "refused" || fails[1][3] != "92" {
		t.Errorf("failures exported as %v", fails)
	}
	show := mustExp(t, "show", "classic_u10", "--db", dbPath)
	if n := printedTotal(t, show.stdout); n != 1520 || !strings.Contains(show.stdout, "(imported)") {
		t.Errorf("show of the imported run:\n%s", show.stdout)
	}
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from runs where status='imported'"); n != 2 {
		t.Errorf("%d imported runs, want 2", n)
	}
	if n := queryInt(t, db, "select sum(requests) from seconds s join runs r on r.id=s.run_id where r.name='classic_u10'"); n != 1293 {
		t.Errorf("seconds hold %d requests, want the history's last total, 1293", n)
	}
	var doc struct {
		Status     string `json:"status"`
		Aggregated struct {
			Requests    int64              `json:"requests"`
			Percentiles map[string]float64 `json:"percentiles_ms"`
		} `json:"aggregated"`
	}
	js := mustExp(t, "export", "classic_u10", "--format", "json", "--db", dbPath)
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != "imported" || doc.Aggregated.Requests != 1520 || doc.Aggregated.Percentiles["66"] != 33 {
		t.Errorf("JSON export: %+v", doc)
	}
	r := exp(t, "export", "classic_u10", "--samples", "--db", dbPath)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "n/a: imported run has no samples") {
		t.Errorf("--samples of an imported run: exit %d, %s", r.code, r.stderr)
	}
	r = exp(t, "import", "locust", fixtures+"classic_u10", "--db", dbPath)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--name") {
		t.Errorf("a second import of one name: exit %d, %s", r.code, r.stderr)
	}
	r = exp(t, "import", "locust", filepath.Join(dir, "nothing"), "--db", dbPath)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "nothing_stats.csv") {
		t.Errorf("import of missing files: exit %d, %s", r.code, r.stderr)
	}
}

// A measured run exports Locust's columns exactly, its figures those
// stored; its samples stream one line each; and it compares with an
// imported run, whose latency intervals are n/a.
func TestExportRun(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	mustExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--users", "3", "--spawn-rate", "3", "--duration", "2s",
		"--wait", "20ms", "--tasks", "/health:1,/io?ms=20:1", "--name", "r")
	stats := mustExp(t, "export", "r", "--db", dbPath)
	lines := strings.Split(strings.TrimSpace(stats.stdout), "\n")
	wantHeader := readCSVFile(t, fixtures+"classic_u10_stats.csv")[0]
	if lines[0] != strings.Join(wantHeader, ",") || len(lines) != 4 {
		t.Fatalf("stats export:\n%s", stats.stdout)
	}
	agg := strings.Split(lines[3], ",")
	db := openDB(t, dbPath)
	requests := queryInt(t, db, "select requests from endpoint_stats where endpoint_id=-1")
	p50 := queryFloat(t, db, "select p50_ms from endpoint_stats where endpoint_id=-1")
	p95 := queryFloat(t, db, "select p95_ms from endpoint_stats where endpoint_id=-1")
	if agg[1] != "Aggregated" || atof(agg[2]) != float64(requests) || atof(agg[11]) != p50 || atof(agg[16]) != p95 {
		t.Errorf("Aggregated row %v; stored requests %d, p50 %g, p95 %g", agg, requests, p50, p95)
	}
	mustExp(t, "export", "r", "--db", dbPath, "--out", filepath.Join(dir, "r"))
	hist := readCSVFile(t, filepath.Join(dir, "r_stats_history.csv"))
	var perSecond float64
	for _, row := range hist[1:] {
		perSecond += atof(row[4])
	}
	if last := hist[len(hist)-1]; perSecond != float64(requests) || atof(last[17]) != float64(requests) {
		t.Errorf("history: %g requests by second, last total %s; want %d", perSecond, last[17], requests)
	}
	samples := mustExp(t, "export", "r", "--samples", "--db", dbPath)
	if n := strings.Count(samples.stdout, "\n") - 1; int64(n) != queryInt(t, db, "select count(*) from samples") {
		t.Errorf("%d sample lines, %d stored", n, queryInt(t, db, "select count(*) from samples"))
	}
	mustExp(t, "import", "locust", fixtures+"classic_u10", "--db", dbPath, "--name", "old")
	cmp := mustExp(t, "compare", "old", "r", "--db", dbPath, "--out", filepath.Join(dir, "plots"))
	if !strings.Contains(cmp.stdout, "n/a: imported run has no samples") || !strings.Contains(cmp.stdout, "throughput") {
		t.Errorf("compare with an imported run:\n%s", cmp.stdout)
	}
}
