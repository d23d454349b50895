package main

import (
	"database/sql"
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// tableRow is a row of the printed table: name, reqs, fails, avg, min,
// max, med, p95, p99 (ms), req/s.
var tableRow = regexp.MustCompile(`(?m)^(?:GET)?\s+(\S+)\s+(\d+)\s+(\d+)\([\d.]+%\) \|\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+) \|\s+([\d.]+)\s`)

// answeredSQL selects the samples that got a response: latency figures
// are over these (the README's definitions).
const answeredSQL = `(error_class is null or error_class glob 'http-*' or error_class = 'check')`

// An open-model run with every kind of request that is not a plain
// success: 404s (answered failures), drops (all in-flight slots busy) and
// cancellations (4-second requests still in flight at the end). Every
// figure the summary prints, each second's counts, and the exports'
// percentiles and per-second throughput equal a naive recomputation in
// SQL over samples.
func TestSummaryIsNaiveSQLWithDropsFailuresCancellations(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	r := mustExp(t, "run", "--db", dbPath, "--variant", "goroutine", "--rate", "40", "--max-inflight", "20",
		"--tasks", "/io?ms=200:4,/nope:1,/io?ms=4000:1", "--duration", "4s", "--name", "mixed")
	db := openDB(t, dbPath)
	count := func(where string) int64 { return queryInt(t, db, "select count(*) from samples where "+where) }
	drops, fails404, cancelled := count("error_class = 'dropped'"), count("error_class = 'http-404'"), count("error_class = 'cancelled'")
	if drops == 0 || fails404 == 0 || cancelled == 0 {
		t.Fatalf("the run must hold drops (%d), HTTP failures (%d) and cancellations (%d):\n%s", drops, fails404, cancelled, r.stdout)
	}
	loadS := queryFloat(t, db, "select duration_s from runs")
	rows := tableRow.FindAllStringSubmatch(r.stdout, -1)
	if len(rows) != 4 {
		t.Fatalf("%d rows in the summary table, want 3 endpoints and Aggregated:\n%s", len(rows), r.stdout)
	}
	for _, row := range rows {
		where := answeredSQL
		all := "1"
		if row[1] != "Aggregated" {
			id := queryInt(t, db, "select id from endpoints where path = ?", row[1])
			all = "endpoint_id = " + strconv.FormatInt(id, 10)
			where += " and " + all
		}
		checkRowAgainstSQL(t, db, row, all, where, loadS)
	}
	m := scheduledLine.FindStringSubmatch(r.stdout)
	if m == nil || atof(m[1]) != float64(count("1")) || atof(m[3]) != float64(drops) ||
		atof(m[4]) != float64(count(answeredSQL)) || atof(m[5]) != float64(count("error_class is null")) ||
		!strings.Contains(r.stdout, strconv.FormatInt(cancelled, 10)+" cancelled at the end") {
		t.Errorf("accounting line differs from SQL (%d samples, %d dropped, %d answered, %d cancelled):\n%s",
			count("1"), drops, count(answeredSQL), cancelled, r.stdout)
	}
	if bad := queryInt(t, db, `select count(*) from seconds s where
		s.responses != (select count(*) from samples where `+answeredSQL+` and (t_us + latency_us) / 1000000 = s.t_s)
		or s.successes != (select count(*) from samples where error_class is null and (t_us + latency_us) / 1000000 = s.t_s)
		or s.requests != (select count(*) from samples where t_us / 1000000 = s.t_s)
		or s.failures != (select count(*) from samples where error_class is not null and t_us / 1000000 = s.t_s)
		or s.dropped != (select count(*) from samples where error_class = 'dropped' and t_us / 1000000 = s.t_s)`); bad != 0 {
		t.Errorf("%d seconds differ from SQL's counts", bad)
	}
	checkExportsAgainstSQL(t, db, dbPath, dir)
}

// checkRowAgainstSQL compares one printed row with SQL over the samples
// of all (its requests and failures) and where (its answered ones).
func checkRowAgainstSQL(t *testing.T, db *sql.DB, row []string, all, where string, loadS float64) {
	t.Helper()
	name := row[1]
	if got, want := atof(row[2]), float64(queryInt(t, db, "select count(*) from samples where "+all)); got != want {
		t.Errorf("%s: %v requests printed, SQL counts %v", name, got, want)
	}
	if got, want := atof(row[3]), float64(queryInt(t, db, "select count(*) from samples where error_class is not null and "+all)); got != want {
		t.Errorf("%s: %v failures printed, SQL counts %v", name, got, want)
	}
	n := queryInt(t, db, "select count(*) from samples where "+where)
	pct := func(p float64) float64 {
		rank := min(max(int64(math.Ceil(p/100*float64(n)-1e-9)), 1), n)
		return queryFloat(t, db, "select latency_us/1000.0 from samples where "+where+" order by latency_us limit 1 offset ?", rank-1)
	}
	want := map[string][2]float64{
		"avg": {atof(row[4]), queryFloat(t, db, "select avg(latency_us)/1000.0 from samples where "+where)},
		"min": {atof(row[5]), queryFloat(t, db, "select min(latency_us)/1000.0 from samples where "+where)},
		"max": {atof(row[6]), queryFloat(t, db, "select max(latency_us)/1000.0 from samples where "+where)},
		"med": {atof(row[7]), pct(50)},
		"p95": {atof(row[8]), pct(95)},
		"p99": {atof(row[9]), pct(99)},
		"req/s": {atof(row[10]), float64(queryInt(t, db, "select count(*) from samples where "+where+
			" and t_us + latency_us <= ?", int64(loadS*1e6))) / loadS},
	}
	for fig, v := range want {
		// Printed to 3 significant digits (at least 0.001 ms).
		if math.Abs(v[0]-v[1]) > 0.005*v[1]+0.001 {
			t.Errorf("%s: %s printed %v, SQL gives %v", name, fig, v[0], v[1])
		}
	}
}

// checkExportsAgainstSQL: the JSON export's aggregated percentiles and
// counts, and the Locust CSV history's Requests/s per second, are those of
// the answered requests as SQL finds them.
func checkExportsAgainstSQL(t *testing.T, db *sql.DB, dbPath, dir string) {
	t.Helper()
	var doc struct {
		Aggregated struct {
			Requests, Responses, Dropped, Cancelled int64
			Percentiles                             map[string]float64 `json:"percentiles_ms"`
		}
		Seconds []struct {
			T         int `json:"t_s"`
			Responses int64
		}
	}
	j := mustExp(t, "export", "--db", dbPath, "mixed", "--format", "json")
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	n := queryInt(t, db, "select count(*) from samples where "+answeredSQL)
	med := queryFloat(t, db, "select latency_us/1000.0 from samples where "+answeredSQL+
		" order by latency_us limit 1 offset ?", (n+1)/2-1)
	a := doc.Aggregated
	if a.Responses != n || a.Dropped != queryInt(t, db, "select count(*) from samples where error_class = 'dropped'") ||
		math.Abs(a.Percentiles["50"]-med) > 0.001 {
		t.Errorf("JSON export: %d responses, %d dropped, p50 %v ms; SQL: %d answered, median %v ms", a.Responses, a.Dropped,
			a.Percentiles["50"], n, med)
	}
	prefix := filepath.Join(dir, "mixed")
	mustExp(t, "export", "--db", dbPath, "mixed", "--format", "csv", "--out", prefix)
	stats := readCSVFile(t, prefix+"_stats.csv")
	agg := stats[len(stats)-1]
	if agg[1] != "Aggregated" || agg[4] != agg[11] {
		t.Errorf("stats.csv Aggregated: Median %s, 50%% %s: they must be one figure", agg[4], agg[11])
	}
	for i, rec := range readCSVFile(t, prefix+"_stats_history.csv")[1:] {
		done := queryInt(t, db, "select count(*) from samples where "+answeredSQL+" and (t_us + latency_us) / 1000000 = ?", i)
		if atof(rec[4]) != float64(done) {
			t.Errorf("history second %d: Requests/s %s, SQL: %d responses completed in it", i, rec[4], done)
		}
	}
}
