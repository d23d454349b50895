package target

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve runs a real Server on 127.0.0.1 with DefaultOptions changed by
// edit, and returns its URL; the server shuts down when the test ends.
func serve(t *testing.T, edit func(*Options)) string {
	t.Helper()
	o := DefaultOptions()
	if edit != nil {
		edit(&o)
	}
	srv, err := Listen(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return srv.URL()
}

type reply struct {
	status  int
	body    string
	header  http.Header
	close   bool
	elapsed time.Duration
	err     error
}

func do(client *http.Client, method, url string) reply {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return reply{err: err}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return reply{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, string(b), resp.Header, resp.Close, time.Since(start), err}
}

func get(t *testing.T, url string) reply {
	t.Helper()
	r := do(http.DefaultClient, http.MethodGet, url)
	if r.err != nil {
		t.Fatalf("GET %s: %v", url, r.err)
	}
	return r
}

// getAll sends n concurrent GETs and returns their replies and the wall
// time until the last one answered.
func getAll(t *testing.T, url string, n int) ([]reply, time.Duration) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	defer client.CloseIdleConnections()
	replies := make([]reply, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range replies {
		wg.Go(func() { replies[i] = do(client, http.MethodGet, url) })
	}
	wg.Wait()
	wall := time.Since(start)
	for _, r := range replies {
		if r.err != nil {
			t.Fatalf("GET %s: %v", url, r.err)
		}
	}
	return replies, wall
}

func TestEndpoints(t *testing.T) {
	url := serve(t, func(o *Options) { o.CPUWork = 1000 })
	tests := []struct {
		method, path string
		status       int
		body         string // exact, or prefix when it ends in "*"
	}{
		{"GET", "/health", 200, `{"status":"ok"}` + "\n"},
		{"HEAD", "/health", 200, ""},
		{"GET", "/io?ms=1", 200, `{"slept_ms":1}` + "\n"},
		{"GET", "/io?ms=x", 400, `{"error":"ms=\"x\": want an integer from 0 to 60000"}` + "\n"},
		{"GET", "/io?ms=60001", 400, `{"error":*`},
		{"GET", "/io?ms=-1", 400, `{"error":*`},
		{"GET", "/cpu", 200, fmt.Sprintf(`{"work":1000,"result":%d}`+"\n", cpuWork(1000))},
		{"GET", "/cpu?work=10", 200, fmt.Sprintf(`{"work":10,"result":%d}`+"\n", cpuWork(10))},
		{"GET", "/cpu?work=abc", 400, `{"error":*`},
		{"GET", fmt.Sprintf("/cpu?work=%d", MaxCPUFactor*DefaultCPUWork+1), 400, `{"error":*`},
		{"GET", "/mem?mb=1&hold=10ms", 200, `{"mb":1,"held_ms":10}` + "\n"},
		{"GET", "/mem?mb=0&hold=5", 200, `{"mb":0,"held_ms":5}` + "\n"},
		{"GET", "/mem?mb=1025", 400, `{"error":*`},
		{"GET", "/mem?mb=1&hold=soon", 400, `{"error":*`},
		{"GET", "/mem?mb=1&hold=2m", 400, `{"error":*`},
		{"GET", "/nope", 404, `{"error":"not found*`},
		{"POST", "/health", 405, `{"error":"method not allowed*`},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.path, func(t *testing.T) {
			r := do(http.DefaultClient, tt.method, url+tt.path)
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.status != tt.status {
				t.Errorf("status %d, want %d (body %q)", r.status, tt.status, r.body)
			}
			if want, ok := strings.CutSuffix(tt.body, "*"); ok {
				if !strings.HasPrefix(r.body, want) {
					t.Errorf("body %q, want prefix %q", r.body, want)
				}
			} else if r.body != tt.body {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestIOTakesAtLeastMs(t *testing.T) {
	url := serve(t, nil)
	r := get(t, url+"/io?ms=50")
	if r.elapsed < 50*time.Millisecond {
		t.Errorf("/io?ms=50 answered in %v", r.elapsed)
	}
}

func TestCPUWorkDeterministic(t *testing.T) {
	if got := cpuWork(0); got != 0x9E3779B97F4A7C15 {
		t.Errorf("cpuWork(0) = %#x, want the seed", got)
	}
	url := serve(t, nil)
	a, b := get(t, url+"/cpu?work=12345"), get(t, url+"/cpu?work=12345")
	if a.body != b.body || a.status != 200 {
		t.Errorf("two answers differ: %q, %q", a.body, b.body)
	}
}

// TestVariantsAdmission checks the lower bound each variant implies for
// 4 concurrent /io?ms=100: single serialises them all, pooled of 2 runs
// them in two rounds. No upper bound: the machine is shared.
func TestVariantsAdmission(t *testing.T) {
	tests := []struct {
		variant  Variant
		poolSize int
		atLeast  time.Duration
	}{
		{Single, 1, 390 * time.Millisecond},
		{Pooled, 2, 190 * time.Millisecond},
		{Goroutine, 1, 95 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(string(tt.variant), func(t *testing.T) {
			t.Parallel()
			url := serve(t, func(o *Options) { o.Variant, o.PoolSize = tt.variant, tt.poolSize })
			replies, wall := getAll(t, url+"/io?ms=100", 4)
			for _, r := range replies {
				if r.status != 200 {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			}
			if wall < tt.atLeast {
				t.Errorf("4 × /io?ms=100 took %v, want at least %v", wall, tt.atLeast)
			}
		})
	}
}

func TestPooledQueueFullAnswers503(t *testing.T) {
	url := serve(t, func(o *Options) { o.Variant, o.PoolSize, o.Queue = Pooled, 1, 1 })
	replies, _ := getAll(t, url+"/io?ms=300", 6)
	count := map[int]int{}
	for _, r := range replies {
		count[r.status]++
		if r.status == 503 && r.body != string(busyBody) {
			t.Errorf("503 body %q", r.body)
		}
	}
	if count[503] < 1 || count[200] < 1 || count[200]+count[503] != 6 {
		t.Errorf("statuses %v, want some 200 and at least one 503", count)
	}
}

func TestKeepAlive(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			url := serve(t, func(o *Options) { o.KeepAlive = on })
			r := get(t, url+"/health")
			closed := r.close || r.header.Get("Connection") == "close"
			if closed == on {
				t.Errorf("keepalive=%v: response close=%v, Connection %q", on, r.close, r.header.Get("Connection"))
			}
		})
	}
}

// TestStallDelaysRequest sends /health inside the first stall window
// [300ms, 500ms) and expects its answer only after the window.
func TestStallDelaysRequest(t *testing.T) {
	start := time.Now() // the server's clock starts a little later
	url := serve(t, func(o *Options) { o.StallEvery, o.StallFor = 300*time.Millisecond, 200*time.Millisecond })
	time.Sleep(time.Until(start.Add(320 * time.Millisecond)))
	r := get(t, url+"/health")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if since := time.Since(start); since < 500*time.Millisecond {
		t.Errorf("answered %v after start, inside the stall window", since)
	}
}

func TestStallRemaining(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		elapsed, every, dur, want time.Duration
	}{
		{0, 0, 0, 0},
		{150 * ms, 100 * ms, 0, 0},
		{50 * ms, 100 * ms, 30 * ms, 0}, // before the first window
		{100 * ms, 100 * ms, 30 * ms, 30 * ms},
		{110 * ms, 100 * ms, 30 * ms, 20 * ms},
		{130 * ms, 100 * ms, 30 * ms, 0}, // window is half-open
		{205 * ms, 100 * ms, 30 * ms, 25 * ms},
		{299 * ms, 100 * ms, 30 * ms, 0},
	}
	for _, tt := range tests {
		if got := stallRemaining(tt.elapsed, tt.every, tt.dur); got != tt.want {
			t.Errorf("stallRemaining(%v, %v, %v) = %v, want %v", tt.elapsed, tt.every, tt.dur, got, tt.want)
		}
	}
}

// nopWriter is a ResponseWriter that keeps nothing, so AllocsPerRun counts
// only the handler's own allocations.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header         { return w.h }
func (w nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w nopWriter) WriteHeader(int)             {}

func TestHealthAllocatesNothing(t *testing.T) {
	for _, v := range Variants() {
		o := DefaultOptions()
		o.Variant = v
		h := NewHandler(o)
		req, _ := http.NewRequest(http.MethodGet, "http://x/health", nil)
		w := nopWriter{h: http.Header{}}
		if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, req) }); n != 0 {
			t.Errorf("%s: /health allocates %v times per request", v, n)
		}
	}
}

// The demo shop: login gives a token and a session cookie; the other shop
// endpoints want one of them; the cart wants its JSON body.
func TestShop(t *testing.T) {
	srv := httptest.NewServer(NewHandler(DefaultOptions()))
	defer srv.Close()
	do := func(method, path, body string, hdr map[string]string) (int, string, *http.Response) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp
	}
	code, body, resp := do("POST", "/api/login", `{"user":"alice","password":"x"}`, nil)
	tok := shopToken("alice")
	if code != 200 || !strings.Contains(body, tok) || len(resp.Cookies()) != 1 || resp.Cookies()[0].Value != tok {
		t.Fatalf("login: %d %s %v", code, body, resp.Cookies())
	}
	bearer := map[string]string{"Authorization": "Bearer " + tok}
	cookie := map[string]string{"Cookie": "session=" + tok}
	tests := []struct {
		method, path, body string
		hdr                map[string]string
		want               int
	}{
		{"GET", "/api/products?page=1", "", bearer, 200},
		{"GET", "/api/products/7", "", cookie, 200},
		{"GET", "/api/products/7", "", nil, 401},
		{"GET", "/api/products/x", "", bearer, 404},
		{"POST", "/api/cart", `{"product":7,"qty":1}`, bearer, 200},
		{"POST", "/api/cart", `{"product":7}`, bearer, 400},
		{"POST", "/api/cart", `{"product":7,"qty":1}`, nil, 401},
		{"GET", "/api/cart", "", bearer, 405},
		{"POST", "/api/login", `{}`, nil, 400},
		{"GET", "/", "", nil, 200},
		{"POST", "/health", "", nil, 405},
	}
	for _, tt := range tests {
		if code, body, _ := do(tt.method, tt.path, tt.body, tt.hdr); code != tt.want {
			t.Errorf("%s %s: %d %s, want %d", tt.method, tt.path, code, body, tt.want)
		}
	}
}
