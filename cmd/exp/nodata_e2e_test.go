package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var sentLine = regexp.MustCompile(`Requests: (\d+) sent, (\d+) not sent \(no data row left\); (\d+) answered`)

// A scenario whose queue runs out (on_end: fail) records the requests it
// could not make as failures of class data, and the summary does not
// count them as sent: sent is what SQL finds went out.
func TestQueueRunOutIsNotSent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ids.csv"), []byte("id\n1\n2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := `data:
  - name: ids
    file: ids.csv
    strategy: queue
    on_end: fail
users:
  - name: u
    wait: 50ms
    tasks:
      - path: /health?id={{ids.id}}
`
	path := filepath.Join(dir, "q.yaml")
	if err := os.WriteFile(path, []byte(sc), 0o644); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "exp.db")
	r := exp(t, "run", "--db", dbPath, "--variant", "goroutine", "--scenario", path, "--users", "2",
		"--duration", "2s", "--name", "q")
	m := sentLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no accounting line with requests not sent (exit %d):\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	db := openDB(t, dbPath)
	sent := queryInt(t, db, "select count(*) from samples where error_class is null or error_class != 'data'")
	notSent := queryInt(t, db, "select count(*) from samples where error_class = 'data'")
	if m[1] != strconv.FormatInt(sent, 10) || m[2] != strconv.FormatInt(notSent, 10) || sent != 3 || notSent < 5 {
		t.Errorf("printed %s sent and %s not sent; SQL: %d sent (want the 3 rows), %d not sent", m[1], m[2], sent, notSent)
	}
}
