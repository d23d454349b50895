package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Local ports running out for real: in a network namespace of its own
// (root only) with 200 ephemeral ports, 240 users without keep-alive each
// hold a connection through a 500 ms request, so some find no port left.
// The run must class those failures port-exhaustion and call the run
// connection-bound. (On loopback, TIME_WAIT alone does not exhaust the
// range: the server closes first on "Connection: close", so the TIME_WAIT
// sockets hold its port, not the client's.)
func TestPortExhaustionInNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("no ip command")
	}
	ns := fmt.Sprintf("exp-test-%d", os.Getpid())
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
	for _, setup := range [][]string{
		{ip, "link", "set", "lo", "up"},
		{"sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=40000 40199"},
	} {
		if out, err := inNS(context.Background(), setup...).CombinedOutput(); err != nil {
			t.Skipf("%v in the namespace: %v: %s", setup, err, out)
		}
	}
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
