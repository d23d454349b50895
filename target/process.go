package target

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"exp/input"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// StartTimeout bounds how long Start waits for a child to print its
// address and answer /health.
const StartTimeout = 10 * time.Second

// StopGrace is how long Stop waits after asking a process to end before
// it kills it (and, on Unix, its whole process group).
const StopGrace = 3 * time.Second

// listeningPrefix starts the first stdout line of `exp serve`.
const listeningPrefix = "listening on "

// Process is a target running as a child process: the built-in server
// started by Start, or any command started by StartCommand.
type Process struct {
	URL string // base URL; empty for StartCommand, which cannot know it
	PID int
	// CertFile holds the PEM of the certificate a built-in target started
	// with TLS serves, for the run's clients to trust; "" otherwise. Start
	// makes it in a temporary directory (unless Options.CertOut names a
	// file) that Stop removes.
	CertFile string
	certDir  string

	cmd     *exec.Cmd
	stdin   *os.File // write end of the child's stdin; closing it stops `exp serve`
	out     *tail
	exited  chan struct{}
	waitErr error       // set before exited is closed
	stopped atomic.Bool // Stop ended it, so its exit is no news
	once    sync.Once
	stopErr error
}

// Start runs `exe serve <opts.Args()>` as a child process, reads its
// address from the first stdout line and waits until GET /health answers
// 200, all within StartTimeout; on any failure the child is killed. ctx
// bounds only the start: the child lives until Stop (or until this process
// dies, when the child sees its stdin close and shuts down).
func Start(ctx context.Context, exe string, opts Options) (*Process, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	certDir := ""
	if opts.TLS && opts.CertOut == "" {
		dir, err := os.MkdirTemp("", "exp-target-cert-")
		if err != nil {
			return nil, fmt.Errorf("start target: certificate directory: %w", err)
		}
		certDir, opts.CertOut = dir, filepath.Join(dir, "cert.pem")
		defer func() {
			if certDir != "" {
				os.RemoveAll(certDir) // not started: nobody else removes it
			}
		}()
	}
	ctx, cancel := context.WithTimeoutCause(ctx, StartTimeout,
		fmt.Errorf("target not ready within %v", StartTimeout))
	defer cancel()
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start target: stdin pipe: %w", err)
	}
	args := append([]string{"serve"}, opts.Args()...)
	cmd := exec.Command(exe, append(args, "--"+StdinEOFFlag)...)
	out := newTail()
	first := &firstLine{rest: out, line: make(chan string, 1)}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, first, out
	p, err := launch(cmd, out)
	_ = stdinR.Close() // the child holds its own copy
	if err != nil {
		_ = stdinW.Close()
		return nil, fmt.Errorf("start target %s: %w", exe, err)
	}
	p.stdin = stdinW
	p.certDir, certDir = certDir, ""
	if opts.TLS {
		p.CertFile = opts.CertOut
	}
	if err := p.awaitURL(ctx, first.line); err != nil {
		_ = p.Stop()
		return nil, err
	}
	if err := p.WaitHealthy(ctx, p.URL+"/health"); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return p, nil
}

// StartCommand runs cmdline through the shell (sh -c; cmd /C on Windows)
// as the target, in its own process group so that Stop ends worker
// children too. It does not know the target's URL: the caller has it and
// may call WaitHealthy. Output is kept (the last few KiB) for Output, not
// shown. ctx guards only the start.
func StartCommand(ctx context.Context, cmdline string) (*Process, error) {
	if strings.TrimSpace(cmdline) == "" {
		return nil, input.Errorf("target-cmd", "is empty")
	}
	if err := ctx.Err(); err != nil {
		return nil, input.Errorf("target-cmd", "%q: %w", cmdline, err)
	}
	cmd := shellCommand(cmdline)
	out := newTail()
	cmd.Stdout, cmd.Stderr = out, out
	p, err := launch(cmd, out)
	if err != nil {
		return nil, input.Errorf("target-cmd", "%q: %w", cmdline, err)
	}
	return p, nil
}

// launch starts cmd in its own process group and reaps it in the
// background, closing exited when it ends.
func launch(cmd *exec.Cmd, out *tail) (*Process, error) {
	setProcessGroup(cmd)
	// A grandchild holding the output pipe must not keep Wait forever.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Process{PID: cmd.Process.Pid, cmd: cmd, out: out, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

func (p *Process) awaitURL(ctx context.Context, line <-chan string) error {
	select {
	case l := <-line:
		url, ok := strings.CutPrefix(l, listeningPrefix)
		if !ok || !(strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")) {
			return fmt.Errorf("target printed %q, want %q", l, listeningPrefix+"http://HOST:PORT")
		}
		p.URL = url
		return nil
	case <-p.exited:
		return p.exitError("before listening")
	case <-ctx.Done():
		return fmt.Errorf("target (pid %d) printed no address: %w", p.PID, context.Cause(ctx))
	}
}

// WaitHealthy polls GET url until it answers 200, the process exits, or
// ctx ends; give ctx a deadline.
func (p *Process) WaitHealthy(ctx context.Context, url string) error {
	// Its own client with no keep-alive, so no idle connection to the
	// target is left behind to count in the run's measurements.
	tr := &http.Transport{DisableKeepAlives: true}
	if p.CertFile != "" {
		conf, err := trustPEM(p.CertFile)
		if err != nil {
			return err
		}
		tr.TLSClientConfig = conf
	}
	client := &http.Client{Timeout: time.Second, Transport: tr}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		last := probe(ctx, client, url)
		if last == nil {
			return nil
		}
		select {
		case <-p.exited:
			return p.exitError("while waiting for " + url)
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer 200: %w (last try: %v)", url, context.Cause(ctx), last)
		case <-tick.C:
		}
	}
}

func probe(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

// Exited is closed once the process has ended, for whatever reason.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// ExitErr says why the process ended on its own: nil while it runs or when
// Stop ended it; otherwise its exit status and last line of output.
func (p *Process) ExitErr() error {
	select {
	case <-p.exited:
	default:
		return nil
	}
	if p.stopped.Load() {
		return nil
	}
	return p.exitError("")
}

func (p *Process) exitError(when string) error {
	status := "exit status 0"
	if p.waitErr != nil {
		status = p.waitErr.Error()
	}
	msg := fmt.Sprintf("target (pid %d) exited", p.PID)
	if when != "" {
		msg += " " + when
	}
	if last := p.out.lastLine(); last != "" {
		return fmt.Errorf("%s: %s: %s", msg, status, last)
	}
	return fmt.Errorf("%s: %s", msg, status)
}

// Output is the end of what the process printed (stderr, and stdout after
// the address line), for diagnosing a target that failed.
func (p *Process) Output() string { return p.out.String() }

// Stop ends the process: it closes the child's stdin and sends SIGTERM to
// its process group (on Windows, kills a command's process tree), waits up
// to StopGrace, then kills. It returns once the process has been reaped
// and, on Unix, its group is gone. Safe to call more than once, and after
// the process ended on its own.
func (p *Process) Stop() error {
	p.once.Do(func() {
		p.stopErr = p.stop()
		if p.certDir != "" {
			os.RemoveAll(p.certDir)
		}
	})
	return p.stopErr
}

// trustPEM is a client TLS configuration trusting the certificates of a
// PEM file.
func trustPEM(file string) (*tls.Config, error) {
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("target certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("target certificate %s: no PEM certificate in it", file)
	}
	return &tls.Config{RootCAs: pool}, nil
}

func (p *Process) stop() error {
	deadline := time.Now().Add(StopGrace)
	select {
	case <-p.exited:
	default:
		p.stopped.Store(true)
	}
	if p.stdin != nil {
		_ = p.stdin.Close()
	}
	if err := terminate(p); err != nil {
		return fmt.Errorf("stop target (pid %d): %w", p.PID, err)
	}
	select {
	case <-p.exited:
	case <-time.After(time.Until(deadline)):
		if err := kill(p); err != nil {
			return fmt.Errorf("kill target (pid %d): %w", p.PID, err)
		}
		<-p.exited
	}
	if err := reapGroup(p, deadline); err != nil {
		return fmt.Errorf("kill process group of target (pid %d): %w", p.PID, err)
	}
	return nil
}
