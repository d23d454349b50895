package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"exp/internal/skiplog"
	"exp/monitor"
)

// A generator pinned to one core (taskset) stores the machine's cores as
// they are and its own as GOMAXPROCS: the verdict's CPU limits of an
// external target and of the generator come from these two.
func TestPinnedGeneratorKeepsTheMachinesCores(t *testing.T) {
	cores := monitor.LogicalCores()
	taskset, err := exec.LookPath("taskset")
	if err != nil || cores < 2 || runtime.GOOS != "linux" {
		skiplog.Skip(t, "needs taskset (util-linux) and 2 cores or more")
	}
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	cmd := exec.Command(taskset, "-c", "0", expBin, "run", "--db", dbPath, "--variant", "goroutine",
		"--users", "2", "--duration", "1s", "--wait", "10ms", "--tasks", "/health", "--name", "pinned")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pinned run: %v\n%s", err, out)
	}
	db := openDB(t, dbPath)
	if got := queryInt(t, db, "select host_cores from runs where name = 'pinned'"); got != int64(cores) {
		t.Errorf("host_cores = %d under taskset -c 0, want the machine's %d", got, cores)
	}
	if got := queryInt(t, db, "select gomaxprocs from runs where name = 'pinned'"); got != 1 {
		t.Errorf("gomaxprocs = %d under taskset -c 0, want 1", got)
	}
}
