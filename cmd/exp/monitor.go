package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"exp/monitor"
)

// monitorOpts are the flags of exp monitor.
type monitorOpts struct {
	pid      int32
	interval time.Duration
	csv      string
	duration time.Duration
}

func newMonitorCmd() *cobra.Command {
	var o monitorOpts
	cmd := &cobra.Command{
		Use:   "monitor --pid PID",
		Short: "Print or log a process's CPU, memory and TCP use once per interval",
		Long: `Monitor samples a running process (and its child processes, counted with it)
once per interval: CPU as percent of one core, resident memory, memory percent,
threads, and the process's own TCP connections (established, TIME_WAIT).
It prints a line per reading, or with --csv writes CSV, until Ctrl-C, --duration,
or the process exits.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMonitor(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.Int32Var(&o.pid, "pid", 0, "process to watch, its children included (required)")
	f.DurationVar(&o.interval, "interval", monitor.DefaultInterval, "time between readings")
	f.StringVar(&o.csv, "csv", "", "write CSV to this file instead of printing lines")
	f.DurationVar(&o.duration, "duration", 0, "stop after this long (default: until Ctrl-C)")
	return cmd
}

// runMonitor checks every input before it creates any file.
func runMonitor(ctx context.Context, o monitorOpts, stdout, stderr io.Writer) error {
	switch {
	case o.pid == 0:
		return badInput(errors.New("monitor: --pid is required"))
	case o.interval <= 0:
		return badInput(fmt.Errorf("monitor: --interval %v: must be positive", o.interval))
	case o.duration < 0:
		return badInput(fmt.Errorf("monitor: --duration %v: must not be negative", o.duration))
	}
	if err := monitor.CheckPID(o.pid); err != nil {
		return badInput(fmt.Errorf("monitor: %w", err))
	}
	s, err := monitor.NewSampler(monitor.Config{TargetPID: o.pid, Interval: o.interval})
	if err != nil {
		return badInput(fmt.Errorf("monitor: %w", err))
	}
	out, closeOut, err := monitorOutput(o.csv, stdout)
	if err != nil {
		return badInput(fmt.Errorf("monitor: %w", err))
	}
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	n, gone, werr := monitor.Watch(ctx, s, out)
	if err := closeOut(); werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("monitor: %w", werr)
	}
	if gone {
		fmt.Fprintf(stderr, "exp monitor: process %d exited\n", o.pid)
	}
	if o.csv != "" {
		fmt.Fprintf(stderr, "exp monitor: %d readings written to %s\n", n, o.csv)
	}
	return nil
}

// monitorOutput writes CSV to path, or aligned lines to stdout when path is
// empty. close closes the file.
func monitorOutput(path string, stdout io.Writer) (func(time.Time, monitor.Usage) error, func() error, error) {
	if path == "" {
		l, err := monitor.NewUsageLines(stdout)
		return l.Write, func() error { return nil }, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("create csv: %w", err)
	}
	c, err := monitor.NewUsageCSV(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("write %s: %w", path, err)
	}
	write := func(at time.Time, u monitor.Usage) error {
		if err := c.Write(at, u); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	return write, func() error {
		if err := f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", path, err)
		}
		return nil
	}, nil
}
