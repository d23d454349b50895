package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shop scenario and the shop locustfile run against the built-in
// target (its demo shop needs the login's token on every later request):
// no failure, the summary grouped by display name, every step stored.
func TestScenarioAndLocustfileRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exp.db")
	common := []string{"--db", dbPath, "--variant", "goroutine", "--users", "8", "--spawn-rate", "100", "--duration", "3s"}
	r := mustExp(t, append([]string{"run", "--scenario", "testdata/scenarios/shop.yaml", "--name", "yaml"}, common...)...)
	for _, want := range []string{"GET    /api/products/[id]", "POST   /api/login", "scenario: Shopper (weight 1, wait 500ms-2s), Visitor (weight 3, wait pace:1s)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	lf := "../../../shared/testdata/locustfiles/shop_locustfile.py"
	if _, err := os.Stat(lf); err != nil {
		lf = "../../locustfile/testdata/shop_locustfile.py"
	}
	mustExp(t, append([]string{"run", "--locustfile", lf, "--name", "py"}, common...)...)
	db := openDB(t, dbPath)
	for _, run := range []string{"yaml", "py"} {
		// Requests still in flight when the run ended are cancelled by design.
		if n := queryInt(t, db, `SELECT count(*) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = ?
			AND s.error_class IS NOT NULL AND s.error_class != 'cancelled'`, run); n != 0 {
			rows, _ := db.Query(`SELECT s.error_class, s.status, s.endpoint_id, s.t_us FROM samples s JOIN runs r ON r.id = s.run_id
				WHERE r.name = ? AND s.error_class IS NOT NULL`, run)
			for rows.Next() {
				var class string
				var status, ep, tus int64
				rows.Scan(&class, &status, &ep, &tus)
				t.Logf("%s: failure %s status %d endpoint %d at %d µs", run, class, status, ep, tus)
			}
			rows.Close()
			t.Errorf("%s: %d failures", run, n)
		}
		// One endpoint row for every product id: the display name.
		if n := queryInt(t, db, `SELECT count(*) FROM endpoints e JOIN runs r ON r.id = e.run_id
			WHERE r.name = ? AND e.path = '/api/products/[id]'`, run); n != 1 {
			t.Errorf("%s: %d endpoint rows named /api/products/[id], want 1", run, n)
		}
	}
	// A flow of a set step then a request: every request is its step 1.
	flow := filepath.Join(dir, "flow.yaml")
	os.WriteFile(flow, []byte("users:\n  - name: u\n    tasks:\n      - steps:\n          - {set: pid, value: \"{{randint 1 9}}\"}\n"+
		"          - {path: \"/api/products/{{pid}}\", name: \"/api/products/[id]\", headers: {Authorization: \"Bearer {{tok}}\"}}\n"+
		"    on_start:\n      - {method: POST, path: /api/login, json: {user: a, password: b}, capture: [{var: tok, json: token}]}\n"), 0o644)
	mustExp(t, append([]string{"run", "--scenario", flow, "--name", "flow"}, common...)...)
	if n := queryInt(t, db, `SELECT count(*) FROM samples s JOIN runs r ON r.id = s.run_id JOIN endpoints e ON e.run_id = r.id AND e.id = s.endpoint_id
		WHERE r.name = 'flow' AND e.path = '/api/products/[id]' AND s.step = 1 AND s.error_class IS NULL`); n < 10 {
		t.Errorf("flow: %d successful product requests at step 1", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM samples s JOIN runs r ON r.id = s.run_id JOIN endpoints e ON e.run_id = r.id AND e.id = s.endpoint_id
		WHERE r.name = 'flow' AND e.path = '/api/products/[id]' AND s.step != 1`); n != 0 {
		t.Errorf("flow: %d product requests not at step 1", n)
	}
	show := mustExp(t, "show", "--db", dbPath, "py")
	if !strings.Contains(show.stdout, "Scenario (as stored, secrets redacted):") || strings.Contains(show.stdout, "s3cret") ||
		!strings.Contains(show.stdout, `password: "[redacted]"`) {
		t.Errorf("exp show of the locustfile run:\n%s", show.stdout)
	}
	// Without the capture, every request after the login is refused.
	src, _ := os.ReadFile("testdata/scenarios/shop.yaml")
	noCapture := strings.Replace(string(src), "        capture:\n          - var: token\n            json: token\n",
		"", 1)
	noCapture = strings.Replace(noCapture, "    on_start:\n", "    on_start:\n      - {set: token, value: none}\n", 1)
	path := filepath.Join(dir, "nocapture.yaml")
	os.WriteFile(path, []byte(noCapture), 0o644)
	os.WriteFile(filepath.Join(dir, "products.csv"), []byte("id,name\n7,teapot\n"), 0o644)
	mustExp(t, append([]string{"run", "--scenario", path, "--name", "nocap"}, common...)...)
	if n := queryInt(t, db, `SELECT count(*) FROM samples s JOIN runs r ON r.id = s.run_id WHERE r.name = 'nocap' AND s.error_class = 'http-401'`); n == 0 {
		t.Error("a scenario without its token capture got no http-401")
	}
}

// Malformed scenario files and locustfiles: one line naming the file and
// line, exit 2, nothing stored.
func TestScenarioBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"unknown-key.yaml":   "users:\n  - name: a\n    taks: []\n",
		"undefined-var.yaml": "users:\n  - name: a\n    tasks:\n      - path: /x/{{id}}\n",
		"bad-method.yaml":    "users:\n  - name: a\n    tasks:\n      - method: FETCH\n        path: /\n",
		"two-bodies.yaml":    "users:\n  - name: a\n    tasks:\n      - path: /\n        body: x\n        json: {a: 1}\n",
		"bad-template.yaml":  "users:\n  - name: a\n    tasks:\n      - path: /{{x\n",
		"no-data-file.yaml":  "data: [{name: d, file: nope.csv}]\nusers:\n  - name: a\n    tasks:\n      - path: /\n",
		"bad-capture.yaml":   "users:\n  - name: a\n    tasks:\n      - path: /\n        capture: [{var: x}]\n",
		"not-yaml.yaml":      "users: [\n",
		"fast.py":            "from locust import FastHttpUser, task\n\nclass U(FastHttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/\")\n",
		"request.py":         "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.request(\"GET\", \"/\")\n",
		"loop.py":            "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        for i in range(3):\n            self.client.get(\"/\")\n",
		"requests.py":        "import requests\nfrom locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/\")\n",
		"undefined-self.py":  "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/\", headers={\"X\": self.token})\n",
		"catch.py":           "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        with self.client.get(\"/\", catch_response=True) as r:\n            pass\n",
		"syntax.py":          "from locust import HttpUser, task\n\nclass U(HttpUser):\n    @task\n    def t(self):\n        self.client.get(\"/)\n",
	}
	for name, src := range files {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(src), 0o644)
		flag := "--scenario"
		if strings.HasSuffix(name, ".py") {
			flag = "--locustfile"
		}
		dbPath := filepath.Join(dir, name+".db")
		r := exp(t, "run", "--db", dbPath, flag, path, "--duration", "1s")
		line := strings.TrimSpace(r.stderr)
		if r.code != exitBadInput || strings.Contains(line, "\n") || !strings.Contains(line, path+":") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line naming %s:LINE", name, r.code, r.stderr, path)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Errorf("%s: a database was created for bad input", name)
		}
	}
	// Flags that a scenario replaces.
	for _, args := range [][]string{
		{"--scenario", "testdata/scenarios/shop.yaml", "--tasks", "/health"},
		{"--scenario", "testdata/scenarios/shop.yaml", "--wait", "0"},
		{"--scenario", "testdata/scenarios/shop.yaml", "--rate", "10"},
		{"--scenario", "testdata/scenarios/shop.yaml", "--locustfile", "x.py"},
		{"--print-scenario"},
	} {
		r := exp(t, append([]string{"run", "--db", filepath.Join(dir, "flags.db")}, args...)...)
		if r.code != exitBadInput || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("run %v: exit %d, stderr %q; want exit 2, one line", args, r.code, r.stderr)
		}
	}
}
