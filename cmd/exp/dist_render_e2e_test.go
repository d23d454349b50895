package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

// exp dist render prints the workers' Indexed Job and the merge Job for 8
// workers, the run arguments passed through unchanged; it opens no
// database.
func TestDistRenderE2E(t *testing.T) {
	db := filepath.Join(t.TempDir(), "exp.db")
	runArgs := []string{"--url", "http://svc:8080", "--users", "800", "--duration", "5m", "-H", `X-Note: "a b" # c`}
	r := mustExp(t, append([]string{"dist", "render", "--db", db, "--workers", "8", "--image", "ghcr.io/example/exp:1", "--name", "shop-800", "--"}, runArgs...)...)
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	var jobs []batchv1.Job
	for _, doc := range strings.Split(r.stdout, "\n---\n") {
		j, err := yaml.YAMLToJSONStrict([]byte(doc))
		if err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if string(j) == "null" {
			continue // the header comment
		}
		var job batchv1.Job
		dec := json.NewDecoder(bytes.NewReader(j))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&job); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		jobs = append(jobs, job)
	}
	if len(jobs) != 2 || jobs[0].Name != "shop-800" || jobs[1].Name != "shop-800-merge" {
		t.Fatalf("want the Jobs shop-800 and shop-800-merge:\n%s", r.stdout)
	}
	if c := jobs[0].Spec.Completions; c == nil || *c != 8 {
		t.Errorf("completions %v, want 8", c)
	}
	want := append([]string{"run", "--segments", "8", "--results", "/results/shop-800"}, runArgs...)
	if got := jobs[0].Spec.Template.Spec.Containers[0].Args; !reflect.DeepEqual(got, want) {
		t.Errorf("worker args\n got %q\nwant %q", got, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("render touched the database: %v", err)
	}
}

// A distributed run without --url, or with exp run's flags misplaced or
// misspelt, is bad input: exit 2, one line, nothing printed on stdout.
func TestDistRenderBadInput(t *testing.T) {
	base := []string{"dist", "render", "--workers", "8", "--image", "exp:1"}
	cases := []struct {
		args []string
		want string
	}{
		{append(base, "--", "--users", "800", "--duration", "5m"), "need --url"},
		{base, "need --url"},
		{append(base, "--url", "http://svc:8080"), "go after --"},
		{append(base, "--", "--url", "http://svc:8080", "--usres", "8"), "unknown flag: --usres"},
		{append(base, "--", "--url", "http://svc:8080", "--users", "many"), `"--users"`},
		{append(base, "--", "--url", "http://svc:8080", "extra"), `"extra"`},
		{append(base, "--", "--url", "http://svc:8080", "--target-cmd", "python app.py"), "--target-cmd"},
		{[]string{"dist", "render", "--image", "exp:1", "--", "--url", "http://svc:8080"}, "--workers is required"},
		{[]string{"dist", "render", "--workers", "8", "--", "--url", "http://svc:8080"}, "--image is required"},
		{append(base, "--memory", "1GB", "--", "--url", "http://svc:8080"), "--memory"},
		{append(base, "--name", "Shop", "--", "--url", "http://svc:8080"), "--name"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[2:], " "), func(t *testing.T) {
			r := exp(t, c.args...)
			line := strings.TrimSuffix(r.stderr, "\n")
			if r.code != exitBadInput || r.stdout != "" || strings.Contains(line, "\n") || !strings.Contains(line, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, one line naming %q", r.code, r.stdout, r.stderr, c.want)
			}
		})
	}
}
