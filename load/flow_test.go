package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"exp/scenario"
	"exp/target"
)

// runScenario runs a scenario (YAML text, data files in dir) against url
// with users for d, and returns its samples.
func runScenario(t *testing.T, url, yaml, dir string, users int, d time.Duration) (*scenario.Scenario, []Sample) {
	t.Helper()
	return runScenarioSegment(t, url, yaml, dir, users, d, Segment{})
}

// runScenarioSegment is runScenario as worker seg of a split test.
func runScenarioSegment(t *testing.T, url, yaml, dir string, users int, d time.Duration, seg Segment) (*scenario.Scenario, []Sample) {
	t.Helper()
	f, err := scenario.Decode("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Compile(f, scenario.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cfg := RunConfig{URL: url, Model: Closed, Users: users, SpawnRate: 1000, Duration: d, Timeout: 5 * time.Second,
		KeepAlive: true, Scenario: sc, Tasks: ScenarioTasks(sc), Segment: seg}
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Sample, 1<<16)
	var samples []Sample
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range out {
			samples = append(samples, s)
		}
	}()
	e.Run(context.Background(), time.Now(), out)
	<-done
	return sc, samples
}

func classes(ss []Sample) map[string]int {
	out := map[string]int{}
	for _, s := range ss {
		out[s.Class.Name(s.Status)]++
	}
	return out
}

const shopYAML = `
users:
  - name: Shopper
    wait: 10ms
    on_start:
      - {set: pid, value: "1"}
      - {set: token, value: none}
      - method: POST
        path: /api/login
        json: {user: "u{{user}}", password: "pw"}
        capture: [{var: token, json: token}]
    tasks:
      - path: /api/products/{{pid}}
        name: /api/products/[id]
        headers: {Authorization: "Bearer {{token}}"}
        check: [{json: id}]
      - task: buy
        steps:
          - set: pid
            value: "{{randint 1 100}}"
          - method: POST
            path: /api/cart
            json: {product: 7, qty: 1}
            headers: {Authorization: "Bearer {{token}}"}
`

// A login whose token every later request needs, a JSON body, a check:
// no failure; without the capture every request after the login is 401.
func TestScenarioShop(t *testing.T) {
	srv := httptest.NewServer(target.NewHandler(target.DefaultOptions()))
	defer srv.Close()
	sc, ss := runScenario(t, srv.URL, shopYAML, "", 5, time.Second)
	got := classes(ss)
	if got[""] < 20 || len(got) != 1 {
		t.Errorf("shop scenario: %v, want only successes", got)
	}
	per := map[int]int{}
	for _, s := range ss {
		per[int(s.Endpoint)]++
	}
	if len(sc.Endpoints) != 3 || per[0] != 5 {
		t.Errorf("endpoints %v, requests per endpoint %v: want 5 logins", sc.Endpoints, per)
	}
	noCapture := strings.Replace(shopYAML, "        capture: [{var: token, json: token}]\n", "", 1)
	_, ss = runScenario(t, srv.URL, noCapture, "", 5, time.Second)
	got = classes(ss)
	if got["http-401"] == 0 || got["http-401"] < got[""]-5 {
		t.Errorf("without the token: %v, want the requests after login to be http-401", got)
	}
}

// A queue of 50 rows across 10 users: each row once, then the users stop.
func TestScenarioQueueData(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Query().Get("id")]++
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id,name\n")
	for i := range 50 {
		csv.WriteString(strconv.Itoa(i) + ",n" + strconv.Itoa(i) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "rows.csv"), []byte(csv.String()), 0o644)
	yaml := `
data: [{name: rows, file: rows.csv, strategy: queue}]
users:
  - name: u
    tasks:
      - path: /use?id={{rows.id}}
`
	_, ss := runScenario(t, srv.URL, yaml, dir, 10, 2*time.Second)
	mu.Lock() // the handlers wrote seen under it
	defer mu.Unlock()
	if len(seen) != 50 || len(ss) != 50 {
		t.Fatalf("%d rows seen by the server, %d samples; want 50 each", len(seen), len(ss))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %s used %d times", id, n)
		}
	}
}

// The same queue split across 3 workers, each its own engine and file
// read: each row is used once across them all.
func TestScenarioQueueSplit(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Query().Get("id")]++
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id\n")
	for i := range 50 {
		csv.WriteString(strconv.Itoa(i) + "\n")
	}
	os.WriteFile(filepath.Join(dir, "rows.csv"), []byte(csv.String()), 0o644)
	yaml := `
data: [{name: rows, file: rows.csv, strategy: queue}]
users:
  - name: u
    tasks:
      - path: /use?id={{rows.id}}
`
	total := 0
	for i := range 3 {
		_, ss := runScenarioSegment(t, srv.URL, yaml, dir, 9, time.Second, Segment{Index: i, Count: 3})
		total += len(ss)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 50 || total != 50 {
		t.Fatalf("%d rows seen by the server, %d samples from 3 workers; want 50 each", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %s used %d times across the workers", id, n)
		}
	}
}

// A cookie session: login sets a cookie, the products need it.
func TestScenarioCookieSession(t *testing.T) {
	srv := httptest.NewServer(target.NewHandler(target.DefaultOptions()))
	defer srv.Close()
	yaml := `
users:
  - name: u
    on_start:
      - {method: POST, path: /api/login, json: {user: a, password: b}}
    tasks:
      - path: /api/products?page=1
`
	_, ss := runScenario(t, srv.URL, yaml, "", 3, time.Second)
	if got := classes(ss); len(got) != 1 || got[""] < 10 {
		t.Errorf("cookie session: %v, want only successes", got)
	}
}

// A body check that fails for 1 response in 10 counts that many check
// failures, with their latency (the server answered).
func TestScenarioCheckFailures(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%10 == 0 {
			w.Write([]byte(`{"status":"bad"}`))
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	yaml := `
users:
  - name: u
    tasks:
      - path: /x
        check: [{json: status, equals: ok}]
`
	_, ss := runScenario(t, srv.URL, yaml, "", 4, time.Second)
	got := classes(ss)
	share := float64(got["check"]) / float64(len(ss))
	if len(ss) < 200 || share < 0.08 || share > 0.12 {
		t.Errorf("%v of %d: check share %.3f, want 0.10", got, len(ss), share)
	}
	for _, s := range ss {
		if s.Class == Check && (!s.Responded() || s.Latency <= 0 || s.Status != 200) {
			t.Fatalf("check failure %+v: an answered request with its latency", s)
		}
	}
}
