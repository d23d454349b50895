package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"exp/internal/skiplog"
)

// hosts builds n network namespaces, each with its own address on a
// bridge whose address (returned) is the target's: n hosts apart from the
// target, on this machine. Root and iproute2 only; it skips otherwise.
func hosts(t *testing.T, n int) (string, []func(ctx context.Context, args ...string) *exec.Cmd) {
	t.Helper()
	ip, err := exec.LookPath("ip")
	if os.Geteuid() != 0 || err != nil {
		skiplog.Skip(t, "the split test across network namespaces needs root and iproute2 (ip): not run")
	}
	net := 20 + os.Getpid()%200
	br := fmt.Sprintf("expbr%d", net)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(ip, args...).CombinedOutput(); err != nil {
			skiplog.Skip(t, "ip %s: %v: %s: the split test across namespaces was not run", strings.Join(args, " "), err, out)
		}
	}
	run("link", "add", br, "type", "bridge")
	t.Cleanup(func() { exec.Command(ip, "link", "del", br).Run() })
	run("addr", "add", fmt.Sprintf("10.99.%d.1/24", net), "dev", br)
	run("link", "set", br, "up")
	var inNS []func(ctx context.Context, args ...string) *exec.Cmd
	for i := range n {
		ns := fmt.Sprintf("expw%d-%d", net, i)
		host, peer := fmt.Sprintf("ew%dh%d", net, i), fmt.Sprintf("ew%dn%d", net, i)
		run("netns", "add", ns)
		t.Cleanup(func() { exec.Command(ip, "netns", "del", ns).Run() })
		run("link", "add", host, "type", "veth", "peer", "name", peer)
		t.Cleanup(func() { exec.Command(ip, "link", "del", host).Run() })
		run("link", "set", host, "master", br, "up")
		run("link", "set", peer, "netns", ns)
		run("-n", ns, "addr", "add", fmt.Sprintf("10.99.%d.%d/24", net, 11+i), "dev", peer)
		run("-n", ns, "link", "set", peer, "up")
		run("-n", ns, "link", "set", "lo", "up")
		inNS = append(inNS, func(ctx context.Context, args ...string) *exec.Cmd {
			return exec.CommandContext(ctx, ip, append([]string{"netns", "exec", ns}, args...)...)
		})
	}
	return fmt.Sprintf("10.99.%d.1", net), inNS
}

// A test split over 3 workers, each its own host to the target, gives
// the single machine's load: the open model's arrivals exactly, the
// closed model's users per second exactly, and percentiles equal to SQL
// over the union of the worker files.
func TestDistAcrossNamespaces(t *testing.T) {
	addr, inNS := hosts(t, 3)
	startServeArgs(t, "--variant", "goroutine", "--addr", addr+":18080")
	url := "http://" + addr + ":18080"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"open", []string{"--rate", "200", "--arrivals", "poisson", "--duration", "5s", "--tasks", "/health:3,/io?ms=5:1"}},
		{"closed", []string{"--users", "7", "--spawn-rate", "3", "--duration", "5s", "--wait", "20ms", "--tasks", "/health:3,/io?ms=5:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var wg sync.WaitGroup
			outs := make([][]byte, 3)
			errs := make([]error, 3)
			for i, ns := range inNS {
				wg.Go(func() {
					args := append([]string{expBin, "run", "--segment", fmt.Sprintf("%d/3", i), "--results", dir,
						"--ready-timeout", "20s", "--url", url}, tc.args...)
					outs[i], errs[i] = ns(ctx, args...).CombinedOutput()
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("worker %d: %v\n%s", i, err, outs[i])
				}
			}
			merged := filepath.Join(t.TempDir(), "merged.db")
			mustExp(t, "merge", dir, "--into", merged, "--name", "m")
			single := filepath.Join(t.TempDir(), "single.db")
			mdb := openDB(t, merged)
			args := append([]string{"run", "--db", single, "--url", url, "--name", "s"}, tc.args...)
			if tc.name == "open" {
				// One machine walking the schedule the workers shared.
				args = append(args, "--seed", strconv.FormatInt(queryInt(t, mdb, `SELECT json_extract(config, '$.seed') FROM runs`), 10))
			}
			mustExp(t, args...)
			sdb := openDB(t, single)
			if tc.name == "open" {
				// Poisson arrivals: each one's intended time and task are
				// one machine's exactly.
				arrivals := `SELECT t_us * 8 + endpoint_id FROM samples ORDER BY 1`
				if m, s := ints(t, mdb, arrivals), ints(t, sdb, arrivals); !reflect.DeepEqual(m, s) || len(m) < 800 {
					t.Errorf("arrivals: merged %d, one machine %d, the same times and tasks: %v", len(m), len(s), reflect.DeepEqual(m, s))
				}
				if m, s := queryInt(t, mdb, `SELECT scheduled FROM runs`), queryInt(t, sdb, `SELECT scheduled FROM runs`); m != s {
					t.Errorf("scheduled: merged %d, one machine %d", m, s)
				}
			} else {
				users := `SELECT count(DISTINCT user) FROM samples GROUP BY t_us / 1000000 ORDER BY t_us / 1000000`
				if m, s := ints(t, mdb, users), ints(t, sdb, users); !reflect.DeepEqual(m, s) || !reflect.DeepEqual(m, []int64{3, 6, 7, 7, 7}) {
					t.Errorf("users by second: merged %v, one machine %v, want 3, 6, 7, 7, 7", m, s)
				}
				m, s := queryInt(t, mdb, `SELECT count(*) FROM samples`), queryInt(t, sdb, `SELECT count(*) FROM samples`)
				if r := float64(m) / float64(s); r < 0.75 || r > 1.33 {
					t.Errorf("requests: merged %d, one machine %d: beyond noise", m, s)
				}
			}
			checkUnionPercentiles(t, merged, dir, 3)
		})
	}
}

func ints(t *testing.T, db *sql.DB, q string) []int64 {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// checkUnionPercentiles compares the merged run's stored p50/p95/p99
// with nearest-rank percentiles in SQL over the attached worker files.
func checkUnionPercentiles(t *testing.T, merged, dir string, n int) {
	t.Helper()
	x, err := sql.Open("sqlite", "file:"+merged+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.SetMaxOpenConns(1)
	var parts []string
	for i := range n {
		if _, err := x.Exec(fmt.Sprintf(`ATTACH DATABASE 'file:%s?mode=ro' AS w%d`, filepath.Join(dir, "worker-"+strconv.Itoa(i)+".db"), i)); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf(`SELECT latency_us FROM w%d.samples WHERE error_class IS NULL OR error_class GLOB 'http-*'`, i))
	}
	var count int64
	x.QueryRow(`SELECT count(*) FROM (` + strings.Join(parts, " UNION ALL ") + `)`).Scan(&count)
	for _, p := range []struct {
		col string
		q   float64
	}{{"p50_ms", 50}, {"p95_ms", 95}, {"p99_ms", 99}} {
		rank := int64(float64(count)*p.q/100 + 0.999999999)
		var want int64
		if err := x.QueryRow(`SELECT latency_us FROM (`+strings.Join(parts, " UNION ALL ")+`) ORDER BY latency_us LIMIT 1 OFFSET ?`, rank-1).Scan(&want); err != nil {
			t.Fatal(err)
		}
		var got float64
		if err := x.QueryRow(`SELECT ` + p.col + ` FROM endpoint_stats WHERE endpoint_id = -1`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if int64(got*1000+0.5) != want {
			t.Errorf("%s of the merged run %.3f ms, SQL over the union of the worker files %d µs", p.col, got, want)
		}
	}
}

// A worker killed with SIGKILL mid-run: the merged run is incomplete and
// names it, with what it lost.
func TestDistWorkerKilled(t *testing.T) {
	startServe(t, 18091)
	dir := t.TempDir()
	var workers []*bgExp
	for i := range 3 {
		workers = append(workers, startExp(t, "run", "--segment", fmt.Sprintf("%d/3", i), "--results", dir, "--ready-timeout", "20s",
			"--url", "http://127.0.0.1:18091", "--users", "6", "--spawn-rate", "100", "--duration", "4s", "--wait", "20ms", "--tasks", "/health"))
	}
	workers[1].waitStderr(t, regexp.MustCompile(`\[ *\d+\.\d%\] 2s/4s`), 20*time.Second)
	workers[1].cmd.Process.Signal(syscall.SIGKILL)
	for i, w := range workers {
		r := w.wait(t, 30*time.Second)
		if i != 1 && r.code != 0 {
			t.Fatalf("worker %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	merged := filepath.Join(t.TempDir(), "merged.db")
	r := exp(t, "merge", dir, "--into", merged)
	if r.code != exitFailure || !strings.Contains(r.stdout, "worker 1 (pid") || !strings.Contains(r.stdout, "died mid-run") {
		t.Fatalf("merge after a killed worker: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	db := openDB(t, merged)
	if st := queryString(t, db, `SELECT status FROM runs`); st != "incomplete" {
		t.Errorf("merged run is %s, want incomplete", st)
	}
	if st := queryString(t, db, `SELECT status FROM run_workers WHERE worker = 1`); st != "running" {
		t.Errorf("worker 1 recorded as %s, want running (it died)", st)
	}
	t.Logf("merge after the kill:\n%s", r.stdout)
}

// A worker that never becomes ready: the others exit non-zero before any
// load, and nothing is stored as a run.
func TestDistWorkerNeverReady(t *testing.T) {
	startServe(t, 18092)
	dir := t.TempDir()
	var workers []*bgExp
	for i := range 2 { // of 3: worker 2 never comes
		workers = append(workers, startExp(t, "run", "--segment", fmt.Sprintf("%d/3", i), "--results", dir, "--ready-timeout", "1s",
			"--url", "http://127.0.0.1:18092", "--users", "3", "--duration", "2s", "--tasks", "/health"))
	}
	for i, w := range workers {
		r := w.wait(t, 20*time.Second)
		if r.code != exitFailure || !strings.Contains(r.stderr, "not every worker became ready") && !strings.Contains(r.stderr, "aborted") {
			t.Errorf("worker %d without worker 2: exit %d, stderr %s", i, r.code, r.stderr)
		}
	}
	if dbs, _ := filepath.Glob(filepath.Join(dir, "worker-*.db")); len(dbs) != 0 {
		t.Errorf("worker files stored: %v", dbs)
	}
	merged := filepath.Join(t.TempDir(), "merged.db")
	if r := exp(t, "merge", dir, "--into", merged); r.code == 0 {
		t.Errorf("merge of a test that never ran: exit 0\n%s", r.stdout)
	}
}
