//go:build unix

package target

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// assertGone fails unless pid has left (a zombie waiting for an init that
// does not reap counts as gone: it holds no resources).
func assertGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		err := syscall.Kill(pid, 0)
		if errors.Is(err, syscall.ESRCH) || zombie(pid) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("process %d still exists (kill 0: %v)", pid, err)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func zombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// TestStartCommandStopsWholeGroup starts a shell with a background child,
// as a server with workers would be, and expects Stop to end both.
func TestStartCommandStopsWholeGroup(t *testing.T) {
	p, err := StartCommand(context.Background(), "sleep 30 & echo worker $!; wait")
	if err != nil {
		t.Fatal(err)
	}
	worker := 0
	re := regexp.MustCompile(`worker (\d+)`)
	for deadline := time.Now().Add(5 * time.Second); worker == 0 && time.Now().Before(deadline); {
		if m := re.FindStringSubmatch(p.Output()); m != nil {
			worker, _ = strconv.Atoi(m[1])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if worker == 0 {
		p.Stop()
		t.Fatalf("no worker pid in output %q", p.Output())
	}
	if p.URL != "" || p.PID <= 0 {
		t.Errorf("URL %q, PID %d", p.URL, p.PID)
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	assertGone(t, p.PID)
	assertGone(t, worker)
}

func TestStartCommandRejectsEmpty(t *testing.T) {
	if _, err := StartCommand(context.Background(), "  "); err == nil {
		t.Error("no error for an empty command")
	}
}
