package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// exp dist local against the built-in target over HTTPS: the workers
// trust the target's certificate (none fails with tls), and the merged
// run records the variant it loaded.
func TestDistLocalTLS(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	r := exp(t, "--db", dbPath, "dist", "local", "--workers", "2", "--name", "tls2", "--",
		"--variant", "goroutine", "--tls", "--users", "4", "--spawn-rate", "100", "--wait", "10ms", "--duration", "2s", "--tasks", "/health")
	if r.code != 0 {
		t.Fatalf("dist local --tls: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	db := openDB(t, dbPath)
	if n, fails := queryInt(t, db, `SELECT count(*) FROM samples`), queryInt(t, db, `SELECT count(*) FROM samples WHERE error_class IS NOT NULL`); n < 100 || fails != 0 {
		t.Errorf("merged run: %d samples, %d failed", n, fails)
	}
	if v := queryString(t, db, `SELECT variant FROM runs WHERE name = 'tls2'`); v != "goroutine" {
		t.Errorf("merged run's variant %q, want goroutine", v)
	}
	if !strings.Contains(r.stdout, "Workers (2)") || !strings.Contains(r.stdout, "protocol: HTTP/1.1") {
		t.Errorf("summary lacks the workers or the protocol line:\n%s", r.stdout)
	}
}
