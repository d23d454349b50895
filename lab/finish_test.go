package lab

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"exp/load"
	"exp/store"
)

// deadPID is the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("go", "version")
	if err := cmd.Run(); err != nil {
		t.Skipf("no process to outlive: %v", err)
	}
	return cmd.Process.Pid
}

// TestRecoverStale: a run left running by a dead process is finished from
// its stored samples when the file is next opened, for reading too.
func TestRecoverStale(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "exp.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tasks, _ := load.ParseTasks("/a:1")
	cfg := load.RunConfig{Name: "crashed", URL: "http://127.0.0.1:9", Model: load.Closed, Tasks: tasks,
		Users: 2, SpawnRate: 2, Duration: time.Minute, Timeout: time.Second}
	host := store.ThisHost("test")
	host.PID = deadPID(t)
	id, err := db.CreateRun(ctx, cfg, "", nil, host)
	if err != nil {
		t.Fatal(err)
	}
	w := store.NewWriter(db, id)
	for i := range 250 {
		w.Add(load.Sample{Start: time.Duration(i) * 10 * time.Millisecond, Latency: 3 * time.Millisecond, Status: 200})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	live := fixedRun(t, db, "finished", "", 10, time.Millisecond, 1)
	db.Close()

	o, err := OpenRead(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer o.DB.Close()
	if len(o.Recovered) != 1 || o.Recovered[0].Name != "crashed" || o.Recovered[0].Requests != 250 || o.Recovered[0].Err != nil {
		t.Fatalf("recovered %+v", o.Recovered)
	}
	r, err := o.DB.FindRun(ctx, "crashed")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := o.DB.Summary(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// It ended with its last sample: 2.49 s + 3 ms.
	if r.Status != store.StatusIncomplete || sum.Total.Requests != 250 || sum.Duration != 2493*time.Millisecond {
		t.Errorf("recovered run: status %s, %d requests over %v", r.Status, sum.Total.Requests, sum.Duration)
	}
	if r, _ := o.DB.RunByID(ctx, live); r.Status != store.StatusCompleted {
		t.Errorf("a finished run was touched: %s", r.Status)
	}
	if again, err := RecoverStale(ctx, o.DB); len(again) != 0 || err != nil {
		t.Errorf("recovered twice: %+v, %v", again, err)
	}
}
