package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"exp/scenario"
)

// benchServeEnv makes the test binary a plain httptest server: the engine
// benchmark runs its target in a child process so that the allocations
// and CPU it reports are the generator's alone, not the server's.
const benchServeEnv = "EXP_BENCH_SERVE"

func init() {
	if os.Getenv(benchServeEnv) == "" {
		return
	}
	body := []byte(`{"status":"ok"}` + "\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	fmt.Println(srv.URL)
	io.Copy(io.Discard, os.Stdin) // until the parent closes our stdin
	srv.Close()
	os.Exit(0)
}

var benchServer struct {
	once  sync.Once
	url   string
	err   error
	stdin io.WriteCloser // held open: the child serves until it closes
}

// benchTarget starts (once per test binary) the child server and returns
// its URL. The child exits when this process does: its stdin closes.
// EXP_BENCH_URL names a server started apart instead, to pin the two to
// different cores (taskset -c 1 exp serve ...; taskset -c 0 load.test ...).
func benchTarget(b *testing.B) string {
	if u := os.Getenv("EXP_BENCH_URL"); u != "" {
		return u
	}
	benchServer.once.Do(func() {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), benchServeEnv+"=1")
		benchServer.stdin, benchServer.err = cmd.StdinPipe()
		if benchServer.err != nil {
			return
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			benchServer.err = err
			return
		}
		if err := cmd.Start(); err != nil {
			benchServer.err = err
			return
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		benchServer.url, benchServer.err = strings.TrimSpace(line), err
	})
	if benchServer.err != nil {
		b.Fatalf("start the benchmark's target: %v", benchServer.err)
	}
	return benchServer.url
}

// BenchmarkEngine runs the closed model (16 users, no think time) against
// an httptest server in a child process, one op per request, and reports
// the generator's allocations and CPU time per request (this process only:
// engine, client and the sample channel; the store is measured apart by
// store.BenchmarkWriter). The net/http sub-benchmark is the fallback
// client, for comparison; the scenario one logs in, captures a token and
// sends templated requests with it in a header, half of them POSTs of a
// JSON body (compare its cpu-ns/req with h1's: the cost of a scenario).
func BenchmarkEngine(b *testing.B) {
	url := benchTarget(b)
	plain := RunConfig{URL: url, Model: Closed, Users: 16, SpawnRate: 1e6, Duration: time.Hour,
		Tasks: []Task{{"GET", "/health", 1}}, Timeout: 5 * time.Second, KeepAlive: true}
	for _, bc := range []struct {
		name     string
		netHTTP  bool
		scenario bool
	}{{"h1", false, false}, {"nethttp", true, false}, {"scenario", false, true}} {
		b.Run(bc.name, func(b *testing.B) {
			forceNetHTTP = bc.netHTTP
			defer func() { forceNetHTTP = false }()
			cfg := plain
			if bc.scenario {
				cfg = benchScenario(b, plain)
			}
			benchEngine(b, cfg)
		})
	}
}

// benchScenarioYAML: the child server answers {"status":"ok"} anywhere,
// which the login captures as the token.
const benchScenarioYAML = `
users:
  - name: u
    on_start:
      - {method: POST, path: /login, json: {user: "u{{user}}", password: pw}, capture: [{var: token, json: status}]}
    tasks:
      - path: /items/{{randint 1 1000}}
        name: /items/[id]
        headers: {Authorization: "Bearer {{token}}"}
      - method: POST
        path: /cart
        json: {item: "{{randint 1 1000}}", qty: 1, user: "{{user}}"}
        headers: {Authorization: "Bearer {{token}}"}
`

func benchScenario(b *testing.B, cfg RunConfig) RunConfig {
	f, err := scenario.Decode("bench.yaml", []byte(benchScenarioYAML))
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Compile(f, scenario.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Scenario, cfg.Tasks = sc, ScenarioTasks(sc)
	return cfg
}

func benchEngine(b *testing.B, cfg RunConfig) {
	e, err := NewEngine(cfg)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Sample, 1<<12)
	var n, failed int
	var lastFail string
	done := make(chan struct{})
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	cpu0 := processCPU()
	b.ResetTimer()
	go func() {
		defer close(done)
		for s := range out {
			if n++; n == b.N {
				cancel()
			}
			if s.Failed() && s.Class != Cancelled { // the last in flight are cancelled by design
				failed++
				lastFail = s.Class.Name(s.Status)
			}
		}
	}()
	e.Run(ctx, time.Now(), out)
	<-done
	b.StopTimer()
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&ms1)
	if failed > 0 {
		b.Fatalf("%d of %d requests failed (last: %v)", failed, n, lastFail)
	}
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(n), "allocs/req")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(n), "B/req")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/req")
}

// BenchmarkOpenEngine runs the open model at 5,000 arrivals a second
// against the same child server, one op per arrival, and reports the
// generator's allocations and CPU per request, its lateness (intended time
// to actual send) p50 and p99, the workers it started and the share
// dropped.
func BenchmarkOpenEngine(b *testing.B) {
	url := benchTarget(b)
	const rate = 5000.0
	d := time.Duration(float64(b.N) / rate * float64(time.Second))
	cfg := RunConfig{URL: url, Model: Open, Rate: rate, Arrivals: Uniform, MaxInflight: 1000,
		Duration: max(d, time.Millisecond), Tasks: []Task{{Method: "GET", Path: "/health", Weight: 1}},
		Timeout: 5 * time.Second, KeepAlive: true}
	e, err := NewEngine(cfg)
	if err != nil {
		b.Fatal(err)
	}
	out := make(chan Sample, 1<<16)
	var late []time.Duration
	var n, dropped, failed int
	done := make(chan struct{})
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	cpu0 := processCPU()
	b.ResetTimer()
	go func() {
		defer close(done)
		for s := range out {
			n++
			switch {
			case s.Class == Dropped:
				dropped++
			case s.Failed() && s.Class != Cancelled:
				failed++
			default:
				late = append(late, s.Latency-s.Service)
			}
		}
	}()
	res := e.Run(context.Background(), time.Now(), out)
	<-done
	b.StopTimer()
	cpu := processCPU() - cpu0
	runtime.ReadMemStats(&ms1)
	if failed > 0 {
		b.Fatalf("%d of %d requests failed", failed, n)
	}
	if n == 0 {
		return
	}
	slices.Sort(late)
	pct := func(p float64) float64 {
		if len(late) == 0 {
			return 0
		}
		return float64(late[min(int(p*float64(len(late))), len(late)-1)].Microseconds())
	}
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(n), "allocs/req")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/req")
	b.ReportMetric(pct(0.50), "late-p50-us")
	b.ReportMetric(pct(0.99), "late-p99-us")
	b.ReportMetric(float64(dropped)/float64(n), "dropped/req")
	b.ReportMetric(float64(res.Workers), "workers")
}
