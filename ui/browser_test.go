package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exp/internal/skiplog"
	"exp/store"
)

// TestBrowser drives the web UI in a real (headless) Chromium: the runs
// list, the form starting a run, its live charts, a change of its users,
// Stop, compare, and a form error. It skips, loudly (skiplog), only where
// no Chromium is installed.
// Screenshots go to $EXP_UI_SCREENSHOTS (else a temporary directory);
// with EXP_UI_DOCS=1 the live run's page also goes to docs/ui-run.png.
func TestBrowser(t *testing.T) {
	chrome := findChromium()
	if chrome == "" {
		skiplog.Skip(t, "no Chromium (none of chromium, chromium-browser, google-chrome on PATH): the web UI was not tested in a browser; install one (Debian: apt-get install chromium)")
	}
	shots := os.Getenv("EXP_UI_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	// The built-in target is `exp serve` of an exp binary built once here.
	exe := filepath.Join(t.TempDir(), "exp")
	build := exec.Command("go", "build", "-o", exe, "exp/cmd/exp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build exp: %v\n%s", err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	began := time.Now()

	db, err := store.Open(filepath.Join(t.TempDir(), "exp.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := NewServer(Config{DB: db, Addr: "127.0.0.1:0", Version: "browser-test", Exe: exe, Plans: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv.Handler()) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	api := &apiClient{t: t, base: ts.URL}
	api.csrf = api.token(ctx)

	// 1. Two short runs through the API, one after the other.
	for _, name := range []string{"a", "b"} {
		api.start(ctx, map[string]string{"variant": "goroutine", "users": "5", "spawn-rate": "100",
			"duration": "2s", "tasks": "/health:1", "wait": "0", "name": name})
		if st := api.waitEnded(ctx, name); st != "completed" {
			t.Fatalf("run %s ended %s, want completed", name, st)
		}
	}
	t.Logf("runs a and b stored after %v", time.Since(began).Round(time.Millisecond))

	// The browser: its own profile, no sandbox (CI runs as root).
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1400, 1000), chromedp.UserDataDir(t.TempDir()))...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() }) // before ts.Close: the page's streams end with it
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", chrome, err)
	}
	// Only now: chromedp starts a context's browser unsynchronised, so a
	// first use from two goroutines at once launches two.
	jsErrors := watchConsole(bctx)
	shot := func(file string) string {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", file, err)
		}
		path := filepath.Join(shots, file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s (%v)", path, time.Since(began).Round(time.Millisecond))
		return path
	}
	goHash := func(hash string) {
		t.Helper()
		step("go to "+hash, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("location.hash = %q", hash)))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	// 2. The runs list shows both.
	step("open the runs list", chromedp.Navigate(ts.URL+"/#/"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-run="a"]`)), chromedp.WaitVisible(chromedp.CSS(`tr[data-run="b"]`)))
	shot("1-runs.png")

	// 3. The form starts a run; its charts grow live; Stop aborts it.
	step("open the form", chromedp.Click(chromedp.CSS(`nav a[data-nav="new"]`)), chromedp.WaitVisible(chromedp.ID("f-users")))
	step("fill the form", chromedp.SetValue(chromedp.ID("f-variant"), "goroutine"),
		chromedp.SendKeys(chromedp.ID("f-users"), "5"), chromedp.SendKeys(chromedp.ID("f-spawn-rate"), "100"),
		chromedp.SendKeys(chromedp.ID("f-duration"), liveDuration), chromedp.SendKeys(chromedp.ID("f-tasks"), "/health:1"),
		chromedp.SendKeys(chromedp.ID("f-wait"), "0"), chromedp.SendKeys(chromedp.ID("f-name"), "live"))
	step("start the run", chromedp.Click(chromedp.ID("start")))
	startedAt := time.Now()
	waitFor(ctx, t, "the page of run live", 100*time.Millisecond, func() (bool, error) {
		loc, err := chromedp.Run(bctx, chromedp.Location())
		return strings.HasSuffix(loc, "#/run/live"), err
	})
	step("the live page", chromedp.WaitVisible(chromedp.ID("stop")), chromedp.WaitReady(chromedp.CSS(`#chart-rps[data-points]`)))
	points := func() int {
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS("#chart-rps"), "data-points"))
		if err != nil {
			t.Fatalf("data-points of #chart-rps: %v", err)
		}
		n, err := strconv.Atoi(a.Value)
		if err != nil {
			t.Fatalf("data-points of #chart-rps is %q: %v", a.Value, err)
		}
		return n
	}
	seen := []int{points()}
	waitFor(ctx, t, "#chart-rps to grow twice", 200*time.Millisecond, func() (bool, error) {
		if n := points(); n != seen[len(seen)-1] {
			if n < seen[len(seen)-1] {
				return false, fmt.Errorf("data-points went down: %v then %d", seen, n)
			}
			seen = append(seen, n)
		}
		return len(seen) >= 3, nil
	})
	t.Logf("#chart-rps data-points while live: %v", seen)
	if st := text("#run-status"); st != "running" {
		t.Fatalf("#run-status while live = %q, want running", st)
	}
	step("change the users", chromedp.SendKeys(chromedp.ID("change-load"), "3"), chromedp.Click(chromedp.ID("change-load-apply")))
	waitFor(ctx, t, "the answer to the change of users", 100*time.Millisecond, func() (bool, error) {
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("change-load-msg")))
		if s = strings.TrimSpace(s); s != "" && s != "users set to 3" {
			return false, fmt.Errorf("#change-load-msg = %q, want users set to 3", s)
		}
		return s != "", err
	})
	live := shot("2-live.png")
	if os.Getenv("EXP_UI_DOCS") == "1" {
		docs := filepath.Join("..", "docs")
		b, err := os.ReadFile(live)
		if err == nil {
			err = os.MkdirAll(docs, 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(docs, "ui-run.png"), b, 0o644)
		}
		if err != nil {
			t.Fatalf("EXP_UI_DOCS=1: write docs/ui-run.png: %v", err)
		}
		t.Logf("wrote docs/ui-run.png")
	}
	step("stop the run", chromedp.Click(chromedp.ID("stop")))
	t.Logf("Stop clicked %v after Start", time.Since(startedAt).Round(time.Millisecond))
	waitFor(ctx, t, "#run-status aborted", 100*time.Millisecond, func() (bool, error) {
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("run-status")))
		if s = strings.TrimSpace(s); s != "running" && s != "aborted" {
			return false, fmt.Errorf("the run ended %s before Stop took effect", s)
		}
		return s == "aborted", err
	})
	step("the stopped page", chromedp.WaitNotPresent(chromedp.ID("stop")))
	shot("3-aborted.png")
	shown := text("#run-requests")
	row := api.run(ctx, "live")
	if row.Status != "aborted" {
		t.Fatalf("GET /api/runs/live: status %q, want aborted", row.Status)
	}
	n, err := db.SampleCount(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if shown != strconv.FormatInt(n, 10) {
		t.Fatalf("#run-requests after the run = %q, the store has %d samples", shown, n)
	}
	step("reload the run's page", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("run-status")))
	if st, req := text("#run-status"), text("#run-requests"); st != "aborted" || req != shown {
		t.Fatalf("after a reload: #run-status %q, #run-requests %q; want aborted, %s", st, req, shown)
	}
	t.Logf("run live: aborted with %d samples, as the page says", n)

	// 4. Compare a with b: every change has its judgement.
	goHash("#/compare?names=a,b")
	step("the comparison", chromedp.WaitVisible(chromedp.CSS("td.judgement")))
	judgements, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('td.judgement')].map(e => e.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(judgements) == 0 {
		t.Fatal("compare: no td.judgement")
	}
	for i, j := range judgements {
		if j == "" {
			t.Errorf("compare: judgement %d is empty (all: %q)", i, judgements)
		}
	}
	t.Logf("compare a,b judgements: %q", judgements)
	shot("4-compare.png")

	// 5. A bad value: the CLI's one-line error, next to its field.
	goHash("#/new")
	step("the form again", chromedp.WaitVisible(chromedp.ID("f-users")), chromedp.SendKeys(chromedp.ID("f-users"), "0"),
		chromedp.Click(chromedp.ID("start")), chromedp.WaitVisible(chromedp.CSS(`.field-error[data-field="users"]`)))
	msg := text(`.field-error[data-field="users"]`)
	if !strings.Contains(msg, "users") || !strings.Contains(msg, "must be") || strings.Contains(msg, "\n") {
		t.Fatalf(`the users field's error = %q, want the CLI's one line ("users ... must be ...")`, msg)
	}
	t.Logf("users 0: %q", msg)
	shot("5-form-error.png")

	// 6. A plan from its form; its report; the form again from it.
	testPlanPage(t, bctx, step, goHash, text, shot)

	if errs := jsErrors(); len(errs) > 0 {
		t.Fatalf("the page threw or logged errors:\n%s", strings.Join(errs, "\n"))
	}
	t.Logf("browser test done in %v", time.Since(began).Round(time.Millisecond))
}

// liveDuration is the run the form starts and Stop aborts. A second is
// sent live once whole, about two seconds after it began, so the chart has
// grown twice some 3.5 s after Start: with a 4 s run, Stop came 0.5 s
// before its end, too close on a busy machine; 10 s leaves room, and a
// run that completes instead fails the test at once.
const liveDuration = "10s"

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// watchConsole collects the page's uncaught exceptions and console.error
// calls (not the browser's own log, which reports the 4xx the form is
// meant to get).
func watchConsole(ctx context.Context) func() []string {
	var mu sync.Mutex
	var errs []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.IsException() || (m.Type == chromedp.ConsoleError && m.Source == "") {
				mu.Lock()
				errs = append(errs, m.String())
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// waitFor calls ok every interval until it says true, fails, or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, every time.Duration, ok func() (bool, error)) {
	t.Helper()
	for {
		done, err := ok()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if done {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(every):
		}
	}
}

// apiClient calls the UI's JSON API as the page does.
type apiClient struct {
	t    *testing.T
	base string
	csrf string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf" content="([^"]+)">`)

func (c *apiClient) do(ctx context.Context, method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.StatusCode, b
}

func (c *apiClient) token(ctx context.Context) string {
	c.t.Helper()
	code, b := c.do(ctx, http.MethodGet, "/", nil)
	m := csrfMeta.FindSubmatch(b)
	if code != http.StatusOK || m == nil || string(m[1]) == "{{CSRF}}" {
		c.t.Fatalf("GET /: %d, no CSRF token in the page:\n%.400s", code, b)
	}
	return string(m[1])
}

func (c *apiClient) start(ctx context.Context, form map[string]string) {
	c.t.Helper()
	code, b := c.do(ctx, http.MethodPost, "/api/runs", form)
	var res struct{ Name string }
	if code != http.StatusCreated || json.Unmarshal(b, &res) != nil || res.Name != form["name"] {
		c.t.Fatalf("POST /api/runs %v: %d %s", form, code, b)
	}
}

type runInfo struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

func (c *apiClient) run(ctx context.Context, name string) runInfo {
	c.t.Helper()
	code, b := c.do(ctx, http.MethodGet, "/api/runs/"+name, nil)
	var res struct{ Run runInfo }
	if code != http.StatusOK || json.Unmarshal(b, &res) != nil {
		c.t.Fatalf("GET /api/runs/%s: %d %.300s", name, code, b)
	}
	return res.Run
}

// waitEnded polls the run until it is no longer running.
func (c *apiClient) waitEnded(ctx context.Context, name string) string {
	c.t.Helper()
	var st string
	waitFor(ctx, c.t, "run "+name+" to end", 200*time.Millisecond, func() (bool, error) {
		st = c.run(ctx, name).Status
		if st == "" {
			return false, errors.New("no status")
		}
		return st != "running", nil
	})
	return st
}
