package main

import (
	"database/sql"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Keep-alive off against on, on the built-in target: without keep-alive
// every request opens its connection (connect_us on every sample), with
// it only the first request of each user does; the phases add up to the
// service time on every stored sample, the stored phase figures are what
// the samples give, and exp compare shows connect's share shifting.
func TestKeepAlivePhasesAndCompare(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	common := []string{"run", "--db", dbPath, "--variant", "goroutine", "--users", "4", "--spawn-rate", "100",
		"--duration", "3s", "--wait", "5ms", "--tasks", "/health:3,/missing:1"}
	off := mustExp(t, append(common, "--name", "ka-off", "--keepalive=false")...)
	mustExp(t, append(common, "--name", "ka-on")...)
	db := openDB(t, dbPath)
	for _, run := range []string{"ka-off", "ka-on"} {
		checkPhaseSums(t, db, run)
		checkPhaseStats(t, db, run)
		if n := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id
			where r.name = ? and (s.protocol is not 'HTTP/1.1' or (error_class is not null and error_class != 'http-404'))`, run); n != 0 {
			t.Errorf("%s: %d samples not answered over HTTP/1.1 with 200 or 404", run, n)
		}
	}
	if n := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id
		where r.name = 'ka-off' and (s.connect_us = 0 or s.reused = 1)`); n != 0 {
		t.Errorf("keep-alive off: %d samples without a connect phase", n)
	}
	// Keep-alive on: a connect phase on the first request of each user, and
	// on no other.
	users := queryInt(t, db, `select count(distinct user) from samples s join runs r on r.id = s.run_id where r.name = 'ka-on'`)
	firsts := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = 'ka-on'
		and s.connect_us > 0 and s.reused = 0 and s.t_us = (select min(t_us) from samples x where x.run_id = s.run_id and x.user = s.user)`)
	others := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = 'ka-on'
		and (s.connect_us > 0 or s.reused = 0) and s.t_us != (select min(t_us) from samples x where x.run_id = s.run_id and x.user = s.user)`)
	if users != 4 || firsts != users || others != 0 {
		t.Errorf("keep-alive on: %d users, %d first requests with a connect phase, %d later requests with one", users, firsts, others)
	}
	if !strings.Contains(off.stdout, "Where the time went") {
		t.Errorf("no phase block in the summary:\n%s", off.stdout)
	}
	cmp := mustExp(t, "compare", "ka-on", "ka-off", "--db", dbPath, "--out", filepath.Join(t.TempDir(), "plots"))
	m := regexp.MustCompile(`(?m)^\s+connect:\s+([0-9.]+)% \(([0-9.]+) ms\) → ([0-9.]+)% \(([0-9.]+) ms\) of latency$`).FindStringSubmatch(cmp.stdout)
	if m == nil {
		t.Fatalf("no connect shift in the comparison:\n%s", cmp.stdout)
	}
	on, _ := strconv.ParseFloat(m[1], 64)
	offShare, _ := strconv.ParseFloat(m[3], 64)
	if on >= 1 || offShare <= on {
		t.Errorf("connect share %v%% with keep-alive, %v%% without: want a shift up from about 0", on, offShare)
	}
	// Printed as units.Pct does, whole from 10% and one decimal below: off
	// by half its last digit at most (20.45% prints 20%).
	want := 100 * phaseShare(t, db, "ka-off", "connect_us")
	tol := 0.05
	if want >= 9.95 {
		tol = 0.5
	}
	if math.Abs(offShare-want) > tol+1e-9 {
		t.Errorf("printed connect share %v%%, the samples give %.2f%%", offShare, want)
	}
	if !strings.Contains(cmp.stdout, "phases.png") {
		t.Errorf("comparison wrote no phases.png:\n%s", cmp.stdout)
	}
	t.Logf("compare:\n%s", cmp.stdout)
}

// checkPhaseSums fails on any stored sample of run whose phases do not
// add up to its service time within 1 µs.
func checkPhaseSums(t *testing.T, db *sql.DB, run string) {
	t.Helper()
	total := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ?`, run)
	bad := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ?
		and abs(dns_us + connect_us + tls_us + wait_us + read_us - service_us) > 1`, run)
	if total == 0 || bad != 0 {
		t.Errorf("%s: %d of %d samples with phases not adding up to the service time", run, bad, total)
	}
}

// answered is the SQL condition of a sample latency figures are over.
const answered = `(error_class is null or error_class glob 'http-*' or error_class = 'check')`

// phaseShare is a phase's sum over the latencies' sum, from the samples.
func phaseShare(t *testing.T, db *sql.DB, run, col string) float64 {
	t.Helper()
	return queryFloat(t, db, `select 1.0 * sum(`+col+`) / sum(latency_us) from samples s join runs r on r.id = s.run_id
		where r.name = ? and `+answered, run)
}

// checkPhaseStats recomputes a run's stored phase and connection figures
// from its samples: mean, nearest-rank p95 and share of each phase over
// answered requests, connections opened and reused over sent requests.
func checkPhaseStats(t *testing.T, db *sql.DB, run string) {
	t.Helper()
	n := queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ? and `+answered, run)
	for _, ph := range []string{"dns", "connect", "tls", "wait", "read"} {
		col := ph + "_us"
		mean := queryFloat(t, db, `select avg(`+col+`) / 1000.0 from samples s join runs r on r.id = s.run_id
			where r.name = ? and `+answered, run)
		p95 := 0.0 // no answered request: no figure, stored as 0
		if rank := int64(math.Ceil(0.95 * float64(n))); n > 0 {
			p95 = queryFloat(t, db, `select `+col+` / 1000.0 from samples s join runs r on r.id = s.run_id
				where r.name = ? and `+answered+` order by `+col+` limit 1 offset ?`, run, rank-1)
		}
		share := phaseShare(t, db, run, col)
		var gotMean, gotP95, gotShare float64
		if err := db.QueryRow(`select mean_ms, p95_ms, share from phase_stats p join runs r on r.id = p.run_id
			where r.name = ? and phase = ?`, run, ph).Scan(&gotMean, &gotP95, &gotShare); err != nil {
			t.Fatalf("%s %s: %v", run, ph, err)
		}
		if math.Abs(gotMean-mean) > 1e-6 || math.Abs(gotP95-p95) > 1e-9 || math.Abs(gotShare-share) > 1e-9 {
			t.Errorf("%s %s: stored mean %v p95 %v share %v; samples give %v, %v, %v", run, ph, gotMean, gotP95, gotShare, mean, p95, share)
		}
	}
	sent := `error_class is null or error_class not in ('dropped', 'data')`
	var gotSent, gotNew, gotReused, gotH1, gotH2 int64
	if err := db.QueryRow(`select sent, new_connections, reused, http1_requests, http2_requests from connection_stats c
		join runs r on r.id = c.run_id where r.name = ?`, run).Scan(&gotSent, &gotNew, &gotReused, &gotH1, &gotH2); err != nil {
		t.Fatal(err)
	}
	q := func(cond string) int64 {
		return queryInt(t, db, `select count(*) from samples s join runs r on r.id = s.run_id where r.name = ? and `+cond, run)
	}
	if want := q("(" + sent + ")"); gotSent != want {
		t.Errorf("%s: %d sent stored, samples give %d", run, gotSent, want)
	}
	if want := q("(" + sent + ") and reused = 0"); gotNew != want {
		t.Errorf("%s: %d new connections stored, samples give %d", run, gotNew, want)
	}
	if want := q("(" + sent + ") and reused = 1"); gotReused != want {
		t.Errorf("%s: %d reused stored, samples give %d", run, gotReused, want)
	}
	if h1, h2 := q("protocol = 'HTTP/1.1'"), q("protocol = 'HTTP/2'"); gotH1 != h1 || gotH2 != h2 {
		t.Errorf("%s: protocols stored %d/%d, samples give %d/%d", run, gotH1, gotH2, h1, h2)
	}
}
