package main

import (
	"path/filepath"
	"testing"
)

// Each variant, end to end with the real binary: the stored samples are
// what the summary counts, /io takes at least its sleep, and the child
// target is gone afterwards.
func TestRunEachVariant(t *testing.T) {
	for _, variant := range []string{"single", "pooled", "goroutine"} {
		t.Run(variant, func(t *testing.T) {
			t.Parallel()
			dbPath := filepath.Join(t.TempDir(), "exp.db")
			r := mustExp(t, "run", "--db", dbPath, "--variant", variant, "--users", "5", "--spawn-rate", "5",
				"--duration", "3s", "--wait", "50ms-100ms", "--tasks", "/health:1,/io?ms=100:1,/cpu?work=100000:1", "--name", "e2e")
			db := openDB(t, dbPath)
			stored := queryInt(t, db, "select count(*) from samples")
			if total := printedTotal(t, r.stdout); stored != total || total == 0 {
				t.Errorf("samples table holds %d rows, summary printed %d", stored, total)
			}
			if n := queryInt(t, db, "select count(*) from samples s join endpoints e on e.run_id=s.run_id and e.id=s.endpoint_id where e.path like '/io%' and s.latency_us < 100000"); n != 0 {
				t.Errorf("%d /io samples faster than the 100 ms sleep", n)
			}
			if st := queryInt(t, db, "select count(*) from runs where status='completed' and variant=?", variant); st != 1 {
				t.Errorf("run not stored as completed %s", variant)
			}
			if f := queryInt(t, db, "select count(*) from samples where error_class is not null"); f != 0 {
				t.Errorf("%d failures against an unloaded target", f)
			}
			assertGone(t, targetPID(t, r.stderr))
		})
	}
}

// At 20 users on /io only, a server that handles one request at a time
// serves a small fraction of what goroutine-per-request serves.
func TestSingleIsSlowerThanGoroutineOnIO(t *testing.T) {
	rps := map[string]float64{}
	for _, variant := range []string{"single", "goroutine"} {
		dbPath := filepath.Join(t.TempDir(), "exp.db")
		mustExp(t, "run", "--db", dbPath, "--variant", variant, "--users", "20", "--spawn-rate", "100",
			"--duration", "3s", "--wait", "0", "--tasks", "/io?ms=50", "--name", variant)
		rps[variant] = queryFloat(t, openDB(t, dbPath), "select rps from endpoint_stats where name='Aggregated'")
	}
	// single: at most 20/s (50 ms each, one at a time); goroutine: ~400/s.
	if rps["single"]*4 > rps["goroutine"] {
		t.Errorf("single %.1f req/s is not clearly below goroutine %.1f req/s", rps["single"], rps["goroutine"])
	}
}

// A pooled target with one worker and one queue slot answers 503 to the
// rest, and the summary counts them as http-503 failures.
func TestPooledAnswers503WhenQueueOverflows(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	r := mustExp(t, "run", "--db", dbPath, "--variant", "pooled", "--pool-size", "1", "--queue", "1",
		"--users", "10", "--spawn-rate", "100", "--duration", "2s", "--wait", "0", "--tasks", "/io?ms=100")
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from samples where status=503 and error_class='http-503'"); n == 0 {
		t.Errorf("no 503 stored; output:\n%s", r.stdout)
	}
	if n := queryInt(t, db, "select count from failures where error_class='http-503'"); n == 0 {
		t.Errorf("failures table has no http-503 row")
	}
}
