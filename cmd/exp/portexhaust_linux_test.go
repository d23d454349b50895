package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// netns creates a network namespace of its own for the test (root only;
// skips otherwise) with loopback up and the given sysctls set, deleted at
// cleanup, and returns a way to run commands in it.
func netns(t *testing.T, sysctls ...string) func(ctx context.Context, args ...string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("no ip command")
	}
	ns := fmt.Sprintf("exp-test-%d-%d", os.Getpid(), nsCount.Add(1))
	if out, err := exec.Command(ip, "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(ip, "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("delete namespace %s: %v: %s", ns, err, out)
		}
	})
	inNS := func(ctx context.Context, args ...string) *exec.Cmd {
		return exec.CommandContext(ctx, ip, append([]string{"netns", "exec", ns}, args...)...)
	}
	setups := [][]string{{ip, "link", "set", "lo", "up"}}
	for _, s := range sysctls {
		setups = append(setups, []string{"sysctl", "-q", "-w", s})
	}
	for _, setup := range setups {
		if out, err := inNS(context.Background(), setup...).CombinedOutput(); err != nil {
			t.Skipf("%v in the namespace: %v: %s", setup, err, out)
		}
	}
	return inNS
}

var nsCount atomic.Int64

// Local ports running out through TIME_WAIT, the way the users
// met it: a client without keep-alive closes each connection itself, so
// every request leaves its ephemeral port in TIME_WAIT for a minute. In a
// namespace with 200 ports (and TIME_WAIT reuse off, so the kernel cannot
// take them back early) the ports are gone within a second: the run must
// store port-exhaustion failures, show the TIME_WAIT peak and call the run
// connection-bound.
func TestPortExhaustionFromTimeWait(t *testing.T) {
	inNS := netns(t, "net.ipv4.ip_local_port_range=40000 40199", "net.ipv4.tcp_tw_reuse=0")
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := inNS(ctx, expBin, "run", "--db", dbPath, "--keepalive=false", "--users", "10", "--spawn-rate", "100",
		"--wait", "10ms", "--duration", "3s", "--tasks", "/health", "--addr", "127.0.0.1:8080", "--name", "tw").CombinedOutput()
	if err != nil {
		t.Fatalf("exp run in the namespace: %v\n%s", err, out)
	}
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from samples where error_class = 'port-exhaustion'"); n == 0 {
		t.Errorf("no port-exhaustion failure stored:\n%s", out)
	}
	if tw := queryInt(t, db, "select max(sys_time_wait) from resources"); tw < 150 {
		t.Errorf("peak TIME_WAIT %d: the client's closed connections should fill the 200 ports", tw)
	}
	if !strings.Contains(string(out), "Verdict: connection-bound") {
		t.Errorf("verdict is not connection-bound:\n%s", out)
	}
}

// Local ports running out through concurrency: 240 users without
// keep-alive each hold a connection through a 500 ms request, with 200
// ephemeral ports, so some find no port left while the others succeed.
func TestPortExhaustionInNamespace(t *testing.T) {
	inNS := netns(t, "net.ipv4.ip_local_port_range=40000 40199")
	dbPath := filepath.Join(t.TempDir(), "exp.db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := inNS(ctx, expBin, "run", "--db", dbPath, "--keepalive=false", "--server-keepalive=false",
		"--users", "240", "--spawn-rate", "1000", "--wait", "50ms", "--duration", "3s",
		"--tasks", "/io?ms=500", "--addr", "127.0.0.1:8080", "--name", "ports")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("exp run in the namespace: %v\n%s", err, out)
	}
	db := openDB(t, dbPath)
	if n := queryInt(t, db, "select count(*) from samples where error_class = 'port-exhaustion'"); n == 0 {
		t.Errorf("no port-exhaustion failure stored:\n%s", out)
	}
	if n := queryInt(t, db, "select count(*) from samples where error_class is null"); n == 0 {
		t.Errorf("no request succeeded: the ports, not the run, should be the limit:\n%s", out)
	}
	if !strings.Contains(string(out), "Verdict: connection-bound") {
		t.Errorf("verdict is not connection-bound:\n%s", out)
	}
}
