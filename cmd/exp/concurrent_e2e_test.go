package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var runNameRe = regexp.MustCompile(`exp: run (\S+): `)

// Two runs into one new database at once, both named by exp: both migrate
// the file, get names of their own and store all their samples; list and
// show work while they write.
func TestConcurrentRunsShareADatabase(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	args := []string{"run", "--db", dbPath, "--users", "3", "--spawn-rate", "100", "--duration", "3s",
		"--wait", "10ms", "--tasks", "/health:1,/io?ms=50:1"}
	a, b := startExp(t, args...), startExp(t, args...)
	names := []string{a.waitStderr(t, runNameRe, time.Minute)[1], b.waitStderr(t, runNameRe, time.Minute)[1]}
	if names[0] == names[1] {
		t.Fatalf("both runs named %s", names[0])
	}
	time.Sleep(1500 * time.Millisecond)
	l := mustExp(t, "list", "--db", dbPath)
	for _, n := range names {
		if !strings.Contains(l.stdout, n+" ") {
			t.Errorf("exp list mid-run lacks %s:\n%s", n, l.stdout)
		}
	}
	s := mustExp(t, "show", names[0], "--db", dbPath)
	if !strings.Contains(s.stdout, "Run "+names[0]+" (running)") || printedTotal(t, s.stdout) == 0 {
		t.Errorf("exp show mid-run:\n%s", s.stdout)
	}
	db := openDB(t, dbPath)
	for i, p := range []*bgExp{a, b} {
		r := p.wait(t, time.Minute)
		if r.code != 0 {
			t.Fatalf("run %s: exit %d\n%s", names[i], r.code, r.stderr)
		}
		stored := queryInt(t, db, "select count(*) from samples where run_id = (select id from runs where name = ?)", names[i])
		if total := printedTotal(t, r.stdout); stored != total || total == 0 {
			t.Errorf("run %s: %d samples stored, %d printed", names[i], stored, total)
		}
	}
	if n := queryInt(t, db, "select count(*) from runs where status = 'completed'"); n != 2 {
		t.Errorf("%d completed runs, want 2", n)
	}
	assertIntact(t, db)
}
