package lab

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"exp/input"
	"exp/load"
	"exp/monitor"
	"exp/target"
)

// startTarget brings up what the run loads: the built-in target as a child
// process, a user's command, or nothing (an external URL, checked to
// answer). It returns the process to monitor (nil when none; else tracked:
// stop it with stopTarget) and the URL.
func (l *Lab) startTarget(ctx context.Context, t Target) (*target.Process, string, error) {
	switch {
	case !t.External():
		exe, err := l.exe()
		if err != nil {
			return nil, "", err
		}
		// Until it is tracked, the child's guard is its stdin: it shuts
		// down when this process dies.
		p, err := target.Start(ctx, exe, t.Builtin)
		if err != nil {
			return nil, "", fmt.Errorf("start target (%s): %w", t.Builtin.Variant, err)
		}
		track(p)
		return p, p.URL, nil
	case t.Command != "":
		p, err := target.StartCommand(ctx, t.Command)
		if err != nil {
			return nil, "", err
		}
		track(p)
		if err := awaitListening(ctx, p, t.URL, TargetCmdTimeout); err != nil {
			stopTarget(p)
			return nil, "", input.Errorf("target-cmd", "%q: %w", t.Command, err)
		}
		return p, t.URL, nil
	}
	return nil, t.URL, Reachable(t.URL)
}

// TargetCmdTimeout bounds how long a target command's server may take to
// listen: interpreters and JIT-compiled servers start slowly.
const TargetCmdTimeout = 30 * time.Second

// awaitListening waits until something accepts connections at the URL's
// address (any HTTP answer will do: a user's server need not have /health),
// the process exits, or the timeout passes.
func awaitListening(ctx context.Context, p *target.Process, raw string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if Reachable(raw) == nil {
			return nil
		}
		select {
		case <-p.Exited():
			return fmt.Errorf("the command exited before %s answered: %v", raw, p.ExitErr())
		case <-ctx.Done():
			return fmt.Errorf("nothing listened at %s within %v", raw, timeout)
		case <-tick.C:
		}
	}
}

// Preflight checks, before a store is opened (or created), what can be
// checked of an external target without starting anything: its URL
// answers (unless a command will start it) and its process exists. Bad
// input must leave no file behind.
func Preflight(t Target) error {
	if t.External() && t.Command == "" {
		if err := Reachable(t.URL); err != nil {
			return err
		}
	}
	if t.PID != 0 {
		if err := monitor.CheckPID(int32(t.PID)); err != nil {
			return input.Errorf("target-pid", "%d: %w", t.PID, err)
		}
	}
	return nil
}

// Reachable fails when nothing listens at the URL's address.
func Reachable(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return input.Errorf("url", "%q: %w", raw, err)
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	c, err := net.DialTimeout("tcp", host, 3*time.Second)
	if err != nil {
		return input.Errorf("url", "%s: cannot connect to %s: %s", raw, host, unreachable(err))
	}
	c.Close()
	return nil
}

// unreachable says why a connection failed, by class, in words.
func unreachable(err error) string {
	c := load.Classify(err)
	switch c {
	case load.Refused:
		return "refused (nothing listens there)"
	case load.DNS:
		return "dns (the host name does not resolve)"
	case load.Timeout:
		return "timeout (no answer within 3s)"
	}
	return fmt.Sprintf("%s (%v)", c, err)
}

// newSampler watches the target process (when there is one), this
// process and the machine. A target PID that does not exist is bad input,
// found before any load is sent.
func newSampler(spec RunSpec, proc *target.Process, base string) (*monitor.Sampler, error) {
	mc := monitor.Config{Interval: spec.SampleEvery, TargetPort: portOf(base)}
	switch {
	case proc != nil:
		mc.TargetPID = int32(proc.PID)
	case spec.Target.PID != 0:
		mc.TargetPID = int32(spec.Target.PID)
	}
	s, err := monitor.NewSampler(mc)
	if err != nil {
		if spec.Target.PID != 0 {
			return nil, input.Errorf("target-pid", "%d: %w", spec.Target.PID, err)
		}
		return nil, fmt.Errorf("start resource monitor: %w", err)
	}
	return s, nil
}

func portOf(base string) int {
	u, err := url.Parse(base)
	if err != nil {
		return 0
	}
	_, p, err := net.SplitHostPort(u.Host)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

// StartBuiltin starts the built-in target for loads that are not one
// run's (the workers of a split test on this machine); stop it with
// StopTarget.
func StartBuiltin(ctx context.Context, exe string, opts target.Options) (*target.Process, error) {
	l := &Lab{Exe: exe}
	p, _, err := l.startTarget(ctx, Target{Builtin: opts})
	return p, err
}

// StopTarget stops a target StartBuiltin started.
func StopTarget(p *target.Process) { stopTarget(p) }
