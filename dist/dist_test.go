package dist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"exp/analysis"
	"exp/lab"
	"exp/load"
	"exp/store"
)

func testTarget(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(len(r.URL.Path)) * 300 * time.Microsecond) // endpoints differ
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func spec(t *testing.T, url string, cfg load.RunConfig) lab.RunSpec {
	t.Helper()
	tasks, err := load.ParseTasks("/a:2,/missing:1,/slower:1")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Tasks, cfg.Timeout, cfg.KeepAlive = tasks, 2*time.Second, true
	return lab.RunSpec{Load: cfg, Target: lab.Target{URL: url}, SampleEvery: 100 * time.Millisecond}
}

// runWorkers runs n workers of s in goroutines, as n machines would.
func runWorkers(t *testing.T, dir string, n int, s lab.RunSpec) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			w := Worker{Dir: dir, Segment: load.Segment{Index: i, Count: n}, ReadyTimeout: 10 * time.Second, Margin: 1500 * time.Millisecond}
			_, db, err := RunWorker(context.Background(), w, s)
			if db != nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
}

func single(t *testing.T, s lab.RunSpec) (*store.DB, lab.Outcome) {
	t.Helper()
	db := openDB(t, filepath.Join(t.TempDir(), "single.db"))
	out, err := (&lab.Lab{DB: db}).Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return db, out
}

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// query runs q on the file at path, apart from the store's code, with
// the workers' files of dir attached as w0, w1, ...
func query[T any](t *testing.T, path, dir string, n int, q string, args ...any) []T {
	t.Helper()
	x, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.SetMaxOpenConns(1)
	for i := range n {
		if _, err := x.Exec(fmt.Sprintf(`ATTACH DATABASE 'file:%s?mode=ro' AS w%d`, WorkerFile(dir, i), i)); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := x.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// union is the answered samples of the n workers' files, as SQL.
func union(n int) string {
	q := ""
	for i := range n {
		if i > 0 {
			q += " UNION ALL "
		}
		q += fmt.Sprintf(`SELECT latency_us FROM w%d.samples WHERE error_class IS NULL OR error_class GLOB 'http-*'`, i)
	}
	return q
}

// The merged run of a closed-model test split over 3 workers: users per
// second as on one machine, every worker's sample once, and percentiles
// equal to SQL over the union of the worker files.
func TestMergeClosed(t *testing.T) {
	url := testTarget(t)
	s := spec(t, url, load.RunConfig{Model: load.Closed, SpawnRate: 3, Duration: 3 * time.Second, Users: 7,
		Wait: load.Wait{}, WaitS: "0"})
	s.Load.Wait, _ = load.ParseWait("5ms")
	dir := t.TempDir()
	runWorkers(t, dir, 3, s)
	// Worker 1's generator was saturated: the merged run must say so, by
	// code, for the verdict.
	w1 := openDB(t, WorkerFile(dir, 1))
	if err := w1.AddWarning(context.Background(), 1, analysis.Warning{Code: analysis.GeneratorSaturated, Text: "generator CPU at its limit"}); err != nil {
		t.Fatal(err)
	}
	w1.Close()
	into := openDB(t, filepath.Join(t.TempDir(), "merged.db"))
	out, workers, err := Merge(context.Background(), dir, into, MergeOptions{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := into.RunByID(context.Background(), out.RunID); !hasWarning(r.Warnings, analysis.GeneratorSaturated, "worker 1: generator CPU") {
		t.Errorf("merged warnings %v: want worker 1's generator-saturated", r.Warnings)
	}
	if out.Status != store.StatusCompleted || len(workers) != 3 {
		t.Fatalf("merged run %s, workers %v", out.Status, workers)
	}
	sdb, _ := single(t, s)
	usersBySecond := `SELECT count(DISTINCT user) FROM samples WHERE run_id = (SELECT max(id) FROM runs) GROUP BY t_us / 1000000 ORDER BY t_us / 1000000`
	merged := query[int](t, into.Path(), dir, 0, usersBySecond)
	one := query[int](t, sdb.Path(), dir, 0, usersBySecond)
	if !reflect.DeepEqual(merged, one) || !reflect.DeepEqual(one, []int{3, 6, 7}) {
		t.Errorf("users by second: merged %v, one machine %v, want 3, 6, 7 for both", merged, one)
	}
	var total int64
	for _, w := range workers {
		total += w.Samples
	}
	n := query[int64](t, into.Path(), dir, 0, `SELECT count(*) FROM samples`)[0]
	if n != total || out.Summary.Total.Requests != total {
		t.Errorf("merged %d samples, summary %d requests; the workers stored %d", n, out.Summary.Total.Requests, total)
	}
	checkPercentiles(t, into, dir, 3, out)
	rs := query[int64](t, into.Path(), dir, 0, `SELECT count(DISTINCT worker) FROM resources WHERE worker IS NOT NULL`)
	if rs[0] != 3 {
		t.Errorf("resources of %d workers kept, want 3", rs[0])
	}
}

func hasWarning(ws []analysis.Warning, code analysis.WarningCode, text string) bool {
	for _, w := range ws {
		if w.Code == code && strings.Contains(w.Text, text) {
			return true
		}
	}
	return false
}

// checkPercentiles compares the merged summary's percentiles with a
// nearest-rank computation in SQL over the workers' files.
func checkPercentiles(t *testing.T, into *store.DB, dir string, n int, out lab.Outcome) {
	t.Helper()
	lats := query[int64](t, into.Path(), dir, n, `SELECT latency_us FROM (`+union(n)+`) ORDER BY latency_us`)
	if len(lats) == 0 {
		t.Fatal("no answered samples")
	}
	tot := out.Summary.Total
	for _, c := range []struct {
		p   float64
		got time.Duration
	}{{50, tot.P50}, {95, tot.P95}, {99, tot.P99}} {
		rank := int(float64(len(lats))*c.p/100 + 0.999999999)
		if want := lats[rank-1]; c.got.Microseconds() != want {
			t.Errorf("p%g of the merged run %d µs, SQL over the workers' files %d µs", c.p, c.got.Microseconds(), want)
		}
	}
}

// Open model, Poisson arrivals, split over 3 workers: the merged run's
// intended starts and tasks are exactly those of one machine walking the
// same schedule (its seed, the common start).
func TestMergeOpenIsExact(t *testing.T) {
	url := testTarget(t)
	s := spec(t, url, load.RunConfig{Model: load.Open, RateStages: []load.RateStage{{Duration: time.Second, Rate: 300}, {Duration: time.Second, Rate: 100}},
		Arrivals: load.Poisson, MaxInflight: 100})
	dir := t.TempDir()
	runWorkers(t, dir, 3, s)
	into := openDB(t, filepath.Join(t.TempDir(), "merged.db"))
	out, _, err := Merge(context.Background(), dir, into, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := into.RunByID(context.Background(), out.RunID)
	if err != nil || r.Config.Seed == 0 {
		t.Fatalf("merged run: seed %d, %v", r.Config.Seed, err)
	}
	s.Load.Seed = r.Config.Seed
	sdb, _ := single(t, s)
	arrivals := `SELECT t_us * 8 + endpoint_id FROM samples ORDER BY 1`
	merged, one := query[int64](t, into.Path(), dir, 0, arrivals), query[int64](t, sdb.Path(), dir, 0, arrivals)
	// About 350 Poisson arrivals (sd 19): 250 only guards against a schedule
	// that sent next to nothing; exactness is the DeepEqual.
	if len(one) < 250 || !reflect.DeepEqual(merged, one) {
		t.Errorf("merged run: %d arrivals, one machine %d; the same times and tasks: %v", len(merged), len(one), reflect.DeepEqual(merged, one))
	}
	if r.Scheduled != int64(len(one)) {
		t.Errorf("merged run scheduled %d, one machine sent %d", r.Scheduled, len(one))
	}
	checkPercentiles(t, into, dir, 3, out)
}

// The common start: workers that all come agree on it; when one never
// comes, the others give up within the timeout, and a late one gives up
// too, so nobody runs short-handed.
func TestBarrier(t *testing.T) {
	dir := t.TempDir()
	starts := make([]time.Time, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 30 * time.Millisecond)
			st, _, err := Barrier(context.Background(), dir, load.Segment{Index: i, Count: 4}, "t", 5*time.Second, 300*time.Millisecond)
			if err != nil {
				t.Error(err)
			}
			starts[i] = st
		})
	}
	wg.Wait()
	for _, st := range starts[1:] {
		if !st.Equal(starts[0]) || st.IsZero() {
			t.Fatalf("starts %v: want one instant", starts)
		}
	}

	dir = t.TempDir()
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			_, _, errs[i] = Barrier(context.Background(), dir, load.Segment{Index: i, Count: 3}, "t", 300*time.Millisecond, 100*time.Millisecond)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, ErrNotReady) && !errors.Is(err, ErrAborted) {
			t.Errorf("worker %d of 3 with worker 2 absent: %v, want not ready or aborted", i, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "aborted")); err != nil {
		t.Errorf("no aborted marker: %v", err)
	}
	if _, _, err := Barrier(context.Background(), dir, load.Segment{Index: 2, Count: 3}, "t", time.Second, 100*time.Millisecond); !errors.Is(err, ErrAborted) {
		t.Errorf("the late worker: %v, want aborted", err)
	}
	if _, _, err := Barrier(context.Background(), dir, load.Segment{Index: 0, Count: 3}, "t", time.Second, 100*time.Millisecond); err == nil {
		t.Error("a second worker 0 was accepted")
	}

	// Workers given different tests refuse to run together.
	dir = t.TempDir()
	for i, key := range []string{"a", "b"} {
		wg.Go(func() {
			_, _, errs[i] = Barrier(context.Background(), dir, load.Segment{Index: i, Count: 2}, key, 5*time.Second, 300*time.Millisecond)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "another test") && !errors.Is(err, ErrAborted) {
			t.Errorf("worker %d of a test whose workers differ: %v, want refused", i, err)
		}
	}
}

// A worker that never becomes ready: the others exit before any load and
// store nothing.
func TestWorkerNeverReady(t *testing.T) {
	url := testTarget(t)
	s := spec(t, url, load.RunConfig{Model: load.Closed, SpawnRate: 10, Duration: time.Second, Users: 2})
	dir := t.TempDir()
	w := Worker{Dir: dir, Segment: load.Segment{Index: 0, Count: 2}, ReadyTimeout: 300 * time.Millisecond, Margin: 200 * time.Millisecond}
	_, db, err := RunWorker(context.Background(), w, s)
	if !errors.Is(err, ErrNotReady) || db != nil {
		t.Errorf("RunWorker without its peer: %v (store %v), want not ready and none", err, db)
	}
	if _, err := os.Stat(WorkerFile(dir, 0)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("worker-0.db exists: %v", err)
	}
	into := openDB(t, filepath.Join(t.TempDir(), "merged.db"))
	if _, _, err := Merge(context.Background(), dir, into, MergeOptions{}); err == nil {
		t.Error("a merge of a test that never ran gave a run")
	}
}
