package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
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

// csvHeader is the header of exp monitor --csv, a public format.
var csvHeader = []string{"time", "cpu_pct", "rss_bytes", "mem_pct", "threads", "tcp_established", "tcp_time_wait"}

const csvTime = "2006-01-02T15:04:05.000Z07:00" // RFC 3339 with milliseconds

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
	n, gone, werr := sampleUntilDone(ctx, s, out)
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

// sampleUntilDone runs the sampler until ctx ends or the process exits,
// writing each target reading; it returns the readings written, whether
// the process exited, and the first write error.
func sampleUntilDone(ctx context.Context, s *monitor.Sampler, out usageWriter) (int, bool, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var n int
	var werr error
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, start, func(u monitor.Usage) {
			if u.Scope != monitor.ScopeTarget || werr != nil {
				return
			}
			if werr = out(start.Add(u.T), u); werr != nil {
				stop()
				return
			}
			n++
		})
	}()
	gone := false
	select {
	case <-ctx.Done():
	case <-s.TargetGone():
		gone = true
	}
	stop()
	<-done
	return n, gone, werr
}

// usageWriter writes one reading taken at wall-clock time at.
type usageWriter func(at time.Time, u monitor.Usage) error

// monitorOutput writes CSV to path, or aligned lines to stdout when path is
// empty. close flushes and closes the file.
func monitorOutput(path string, stdout io.Writer) (usageWriter, func() error, error) {
	if path == "" {
		fmt.Fprintf(stdout, "%-12s %7s %9s %6s %7s %11s %9s\n",
			"time", "cpu%", "rss_MB", "mem%", "threads", "established", "time_wait")
		return func(at time.Time, u monitor.Usage) error {
			_, err := fmt.Fprintf(stdout, "%-12s %7.1f %9.1f %6.2f %7d %11d %9d\n",
				at.Format("15:04:05.000"), u.CPUPct, float64(u.RSS)/(1<<20), u.MemPct,
				u.Threads, u.TCPEstablished, u.TCPTimeWait)
			return err
		}, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("create csv: %w", err)
	}
	w := csv.NewWriter(f)
	if err := w.Write(csvHeader); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("write %s: %w", path, err)
	}
	write := func(at time.Time, u monitor.Usage) error {
		w.Write([]string{
			at.Format(csvTime),
			strconv.FormatFloat(u.CPUPct, 'f', 2, 64),
			strconv.FormatUint(u.RSS, 10),
			strconv.FormatFloat(u.MemPct, 'f', 3, 64),
			strconv.Itoa(int(u.Threads)),
			strconv.Itoa(u.TCPEstablished),
			strconv.Itoa(u.TCPTimeWait),
		})
		w.Flush() // every row on disk at once: Ctrl-C or a crash loses nothing
		if err := w.Error(); err != nil {
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
