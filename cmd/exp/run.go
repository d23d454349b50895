package main

import (
	"context"
	"errors"
	"exp/analysis"
	"exp/load"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"exp/monitor"
	"exp/store"
	"exp/target"
)

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run a load test against the built-in target (--variant) or any server (--url) and store it",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.config(cmd)
			if err != nil {
				return badInput(err)
			}
			th, err := parseThresholds(f.thresholds)
			if err != nil {
				return badInput(err)
			}
			if err := preflight(&f); err != nil {
				return err
			}
			db, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			out, err := executeRun(cmd.Context(), db, cfg, &f, cmd.OutOrStdout(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			thErr := finishWithThresholds(cmd.OutOrStdout(), out, th)
			if out.targetStopped != "" {
				// Stored in full, but what it measured is a dead server.
				return withCode(exitFailure, fmt.Errorf("run %s: %s", out.name, out.targetStopped))
			}
			return thErr
		},
	}
	f.bind(cmd.Flags())
	return cmd
}

// preflight checks, before the database is opened (or created), what can
// be checked of the target without starting it: an external URL answers
// and a --target-pid exists. Bad input must leave no file behind.
func preflight(f *runFlags) error {
	if f.url != "" && f.targetCmd == "" {
		if err := checkReachable(f.url); err != nil {
			return err
		}
	}
	if f.targetPID != 0 {
		if err := monitor.CheckPID(int32(f.targetPID)); err != nil {
			return badInput(fmt.Errorf("--target-pid %d: %w", f.targetPID, err))
		}
	}
	return nil
}

// openStore opens the --db file for writing; a path that is not an exp
// database is the user's input at fault.
func openStore(cmd *cobra.Command) (*store.DB, error) {
	path, _ := cmd.Flags().GetString("db")
	db, err := store.Open(path)
	if err != nil {
		return nil, storeError(err)
	}
	recoverStaleRuns(db, cmd.ErrOrStderr())
	return db, nil
}

// openRun opens the --db file for reading and finds a run by name or id;
// an unknown run is bad input. The caller closes the store.
func openRun(cmd *cobra.Command, nameOrID string) (*store.DB, store.Run, error) {
	db, err := openStoreRO(cmd)
	if err != nil {
		return nil, store.Run{}, err
	}
	r, err := db.FindRun(cmd.Context(), nameOrID)
	if err != nil {
		db.Close()
		return nil, store.Run{}, storeError(err)
	}
	return db, r, nil
}

// openStoreRO opens the --db file for reading only, unless it holds runs
// left 'running' by a process that died: then it is opened for writing
// once, so that those runs are recovered (marked incomplete, their figures
// computed) before they are listed or shown.
func openStoreRO(cmd *cobra.Command) (*store.DB, error) {
	path, _ := cmd.Flags().GetString("db")
	db, err := store.OpenReadOnly(path)
	if err != nil {
		return nil, storeError(err)
	}
	stale, err := db.StaleRuns(cmd.Context())
	if err != nil || len(stale) == 0 {
		return db, nil
	}
	rw, err := store.Open(path)
	if err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "exp: %d runs were left running by a process that died; they stay so until %s can be written: %v\n", len(stale), path, err)
		return db, nil
	}
	db.Close()
	recoverStaleRuns(rw, cmd.ErrOrStderr())
	return rw, nil
}

func storeError(err error) error {
	for _, e := range []error{store.ErrNotExpDB, store.ErrNewerSchema, store.ErrNoDatabase, store.ErrNotFound, store.ErrNameTaken} {
		if errors.Is(err, e) {
			return badInput(err)
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return badInput(err)
	}
	return err
}

// outcome is what a finished run leaves for the caller: its stored id,
// summary and status.
type outcome struct {
	runID   int64
	name    string
	status  string
	summary analysis.Summary
	res     analysis.Resources
	// targetStopped says why the target process exited mid-run; "" when
	// it did not (or there was none).
	targetStopped string
}

// startTarget brings up what the run loads: the built-in target as a child
// process, a user's command, or nothing (an external URL, checked to
// answer). It returns the process to monitor (nil when none, else tracked:
// stop it with stopTarget) and the URL.
func startTarget(ctx context.Context, f *runFlags) (*target.Process, string, error) {
	switch {
	case f.url == "":
		exe, err := os.Executable()
		if err != nil {
			return nil, "", fmt.Errorf("find the exp binary to start the target: %w", err)
		}
		// Until it is tracked, the child's guard is its stdin: it shuts
		// down when this process dies.
		p, err := target.Start(ctx, exe, f.serve)
		if err != nil {
			return nil, "", fmt.Errorf("start target (%s): %w", f.serve.Variant, err)
		}
		track(p)
		return p, p.URL, nil
	case f.targetCmd != "":
		p, err := target.StartCommand(ctx, f.targetCmd)
		if err != nil {
			return nil, "", badInput(fmt.Errorf("--target-cmd %q: %w", f.targetCmd, err))
		}
		track(p)
		if err := awaitListening(ctx, p, f.url, targetCmdTimeout); err != nil {
			stopTarget(p)
			return nil, "", badInput(fmt.Errorf("--target-cmd %q: %w", f.targetCmd, err))
		}
		return p, f.url, nil
	}
	return nil, f.url, checkReachable(f.url)
}

// targetCmdTimeout bounds how long a --target-cmd server may take to
// listen: interpreters and JIT-compiled servers start slowly.
const targetCmdTimeout = 30 * time.Second

// awaitListening waits until something accepts connections at the URL's
// address (any HTTP answer will do: a user's server need not have /health),
// the process exits, or the timeout passes.
func awaitListening(ctx context.Context, p *target.Process, raw string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if checkReachable(raw) == nil {
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

// checkReachable fails before any load when nothing listens at the URL's
// address.
func checkReachable(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return badInput(fmt.Errorf("--url %q: %w", raw, err))
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
		return badInput(fmt.Errorf("--url %s: cannot connect to %s: %s", raw, host, unreachable(err)))
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

// runName is the --name given, checked to be free, or the next free
// variant-users-N name.
func runName(ctx context.Context, db *store.DB, cfg load.RunConfig, f *runFlags) (string, error) {
	if cfg.Name != "" {
		if _, err := db.FindRun(ctx, cfg.Name); err == nil {
			return "", badInput(fmt.Errorf("--name %q: a run of that name exists already", cfg.Name))
		}
		return cfg.Name, nil
	}
	prefix := "url"
	if f.url == "" {
		prefix = string(f.serve.Variant)
	}
	if cfg.Model == load.Open {
		prefix += fmt.Sprintf("-%grps", max(cfg.Rate, peakRate(cfg.RateStages)))
	} else {
		prefix += fmt.Sprintf("-%d", cfg.Users)
	}
	return db.NextRunName(ctx, prefix)
}

func peakRate(st []load.RateStage) float64 {
	r := 0.0
	for _, s := range st {
		r = max(r, s.Rate)
	}
	return r
}

// modelText says which model ran, for the summary header.
func modelText(c load.RunConfig) string {
	switch {
	case c.Model == load.Open && len(c.RateStages) > 0:
		return fmt.Sprintf("open model, rate stages %s, %s arrivals, max in-flight %d", load.FormatRateStages(c.RateStages), c.Arrivals, c.MaxInflight)
	case c.Model == load.Open:
		return fmt.Sprintf("open model, %g req/s, %s arrivals, max in-flight %d", c.Rate, c.Arrivals, c.MaxInflight)
	case len(c.Stages) > 0:
		return fmt.Sprintf("closed model, stages %s, spawn %g/s, wait %s", load.FormatStages(c.Stages), c.SpawnRate, c.Wait)
	}
	return fmt.Sprintf("closed model, %d users, spawn %g/s, wait %s", c.Users, c.SpawnRate, c.Wait)
}

// isTerminal reports whether w is a terminal, where progress lines redraw.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func targetText(cfg load.RunConfig, f *runFlags, proc *target.Process) string {
	pid := ""
	if proc != nil {
		pid = fmt.Sprintf(" (pid %d)", proc.PID)
	}
	if f.url != "" {
		return cfg.URL + pid
	}
	return fmt.Sprintf("built-in target, variant %s, at %s%s", f.serve.Variant, strings.TrimPrefix(cfg.URL, "http://"), pid)
}
