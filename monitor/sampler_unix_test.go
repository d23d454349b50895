//go:build unix

package monitor

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"
)

func start(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// A root process and its children count as one target.
func TestTargetIncludesDescendants(t *testing.T) {
	sh := start(t, "sh", "-c", "sleep 5 & sleep 5 & wait")
	root := int32(sh.Process.Pid)
	ctx := context.Background()
	var pids []int32
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if pids = tree(ctx, root); len(pids) == 3 {
			break
		}
	}
	t.Cleanup(func() {
		for _, pid := range pids[1:] { // the sleeps, then sh
			if p, err := os.FindProcess(int(pid)); err == nil {
				p.Kill()
			}
		}
		sh.Process.Kill()
		sh.Wait()
	})
	if len(pids) != 3 {
		t.Fatalf("tree(%d) = %v, want sh and two sleeps", root, pids)
	}
	whole := newProcGroup().read(ctx, pids)
	alone := newProcGroup().read(ctx, pids[:1])
	if whole.threads != 3 || alone.threads != 1 {
		t.Errorf("threads: tree %d, root alone %d; want 3 and 1", whole.threads, alone.threads)
	}
	if whole.rss <= alone.rss {
		t.Errorf("RSS: tree %d <= root alone %d", whole.rss, alone.rss)
	}
	s, err := NewSampler(Config{TargetPID: root})
	if err != nil {
		t.Fatal(err)
	}
	m := rowsByScope(s.tick(ctx, time.Now()))
	if m[ScopeTarget].Threads != 3 || m[ScopeTarget].RSS <= alone.rss {
		t.Errorf("target row %+v, want 3 threads and RSS over the root's %d", m[ScopeTarget], alone.rss)
	}
}

// Run stops emitting target rows and closes TargetGone when the target
// exits, even before its parent reaps it.
func TestRunNoticesTargetGone(t *testing.T) {
	cmd := start(t, "sleep", "0.3")
	reaped := make(chan struct{})
	reap := func() { cmd.Wait(); close(reaped) }
	if runtime.GOOS == "linux" {
		// Leave it a zombie until the end: the sampler must see through it.
		t.Cleanup(func() { cmd.Process.Kill(); reap() })
	} else {
		// Elsewhere zombies are not detected (doc.go): reap as exp run does.
		go reap()
		t.Cleanup(func() { cmd.Process.Kill(); <-reaped })
	}
	s, err := NewSampler(Config{TargetPID: int32(cmd.Process.Pid), Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var rows []Usage
	done := make(chan struct{})
	go func() {
		s.Run(ctx, time.Now(), func(u Usage) { mu.Lock(); rows = append(rows, u); mu.Unlock() })
		close(done)
	}()
	select {
	case <-s.TargetGone():
	case <-time.After(5 * time.Second):
		t.Fatal("TargetGone not closed 5 s after the target exited")
	}
	mu.Lock()
	n := len(rows)
	mu.Unlock()
	time.Sleep(150 * time.Millisecond) // a few more ticks
	cancel()
	<-done

	var targets int
	var last time.Duration
	for i, u := range rows {
		if u.T < last {
			t.Errorf("row %d: T %v before %v", i, u.T, last)
		}
		last = u.T
		if u.Scope == ScopeTarget {
			targets++
			if i >= n {
				t.Errorf("target row %d after TargetGone", i)
			}
		}
	}
	if targets == 0 || len(rows) <= n {
		t.Errorf("%d target rows, %d rows before gone, %d in all", targets, n, len(rows))
	}
}
