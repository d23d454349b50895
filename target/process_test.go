package target

import (
	"bufio"
	"context"
	"errors"
	"exp/input"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real exp binary, built once for the tests that start a child.
var (
	buildDir  string
	buildOnce sync.Once
	exePath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// expBinary builds ./cmd/exp (go test puts its own go first on PATH).
func expBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "exp-target-test-")
		if buildErr != nil {
			return
		}
		exePath = filepath.Join(buildDir, "exp")
		if runtime.GOOS == "windows" {
			exePath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", exePath, "exp/cmd/exp").CombinedOutput()
		if err != nil {
			buildErr = errors.New("go build exp/cmd/exp: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return exePath
}

func TestStartAndStop(t *testing.T) {
	exe := expBinary(t)
	opts := DefaultOptions()
	opts.Variant = Pooled
	p, err := Start(context.Background(), exe, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.PID <= 0 || !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Errorf("PID %d, URL %q", p.PID, p.URL)
	}
	if r := get(t, p.URL+"/health"); r.status != 200 {
		t.Errorf("/health: %d", r.status)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	select {
	case <-p.Exited():
	default:
		t.Fatal("Exited not closed after Stop")
	}
	if err := p.ExitErr(); err != nil {
		t.Errorf("ExitErr after Stop: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	assertGone(t, p.PID)
}

func TestStartReportsChildFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	opts := DefaultOptions()
	opts.Addr = ln.Addr().String()
	_, err = Start(context.Background(), expBinary(t), opts)
	if err == nil || !strings.Contains(err.Error(), "exited before listening") ||
		!strings.Contains(err.Error(), "addr "+opts.Addr) {
		t.Errorf("error %v, want the child's exit and its message", err)
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	opts := DefaultOptions()
	opts.Variant = "flask"
	if _, err := Start(context.Background(), "/nonexistent/exp", opts); err == nil || !isField(err, "variant") {
		t.Errorf("error %v", err)
	}
	if _, err := Start(context.Background(), filepath.Join(t.TempDir(), "missing"), DefaultOptions()); err == nil {
		t.Error("no error for a missing executable")
	}
}

func TestExitErrReportsDeadTarget(t *testing.T) {
	p, err := Start(context.Background(), expBinary(t), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if err := p.ExitErr(); err != nil {
		t.Fatalf("ExitErr while running: %v", err)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Exited():
	case <-time.After(5 * time.Second):
		t.Fatal("Exited not closed after the child was killed")
	}
	if err := p.ExitErr(); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("ExitErr %v, want the exit", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop of a dead target: %v", err)
	}
}

// TestServeExitStatus runs `exp serve` with bad input: exit status 2, one
// line on stderr, nothing on stdout.
func TestServeExitStatus(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"port in use", []string{"--addr", ln.Addr().String()}, "--addr " + ln.Addr().String() + ": cannot listen"},
		{"unknown variant", []string{"--variant", "flask"}, "known: single, pooled, goroutine"},
		{"pool size 0", []string{"--pool-size", "0"}, "--pool-size must be at least 1"},
		{"stray argument", []string{"now"}, "arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(expBinary(t), append([]string{"serve"}, tt.args...)...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Fatalf("exit %v, want status 2; stderr %q", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr %q, want one line containing %q", stderr.String(), tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestServeStopsOnStdinEOF is how a child outlives no parent: its stdin
// closes and it shuts down with status 0.
func TestServeStopsOnStdinEOF(t *testing.T) {
	cmd := exec.Command(expBinary(t), "serve", "--"+StdinEOFFlag)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on http://127.0.0.1:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("exp serve still running 5s after its stdin closed")
	}
}

func TestTailKeepsTheEnd(t *testing.T) {
	tl := newTail()
	big := strings.Repeat("x", tailSize)
	tl.Write([]byte("lost\n"))
	tl.Write([]byte(big))
	tl.Write([]byte("\nfirst line\nlast line\n\n"))
	s := tl.String()
	if len(s) != tailSize || strings.Contains(s, "lost") {
		t.Errorf("kept %d bytes", len(s))
	}
	if got := tl.lastLine(); got != "last line" {
		t.Errorf("lastLine %q", got)
	}
}

func TestFirstLineSplitsWrites(t *testing.T) {
	rest := newTail()
	f := &firstLine{rest: rest, line: make(chan string, 1)}
	for _, w := range []string{"listening ", "on http://x\r\nmore", " output\n"} {
		f.Write([]byte(w))
	}
	if got := <-f.line; got != "listening on http://x" {
		t.Errorf("first line %q", got)
	}
	if got := rest.String(); got != "more output\n" {
		t.Errorf("rest %q", got)
	}
}

func isField(err error, field string) bool {
	e, ok := input.As(err)
	return ok && e.Field == field
}
