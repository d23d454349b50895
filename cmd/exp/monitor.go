package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"exp/monitor"
)

func newMonitorCmd() *cobra.Command {
	var o monitor.LogSpec
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
			out, err := monitor.Log(cmd.Context(), o, cmd.OutOrStdout())
			if err != nil {
				return fmt.Errorf("monitor: %w", err)
			}
			if out.Gone {
				fmt.Fprintf(cmd.ErrOrStderr(), "exp monitor: process %d exited\n", o.PID)
			}
			if o.CSV != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "exp monitor: %d readings written to %s\n", out.Readings, o.CSV)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Int32Var(&o.PID, "pid", 0, "process to watch, its children included (required)")
	f.DurationVar(&o.Interval, "interval", monitor.DefaultInterval, "time between readings")
	f.StringVar(&o.CSV, "csv", "", "write CSV to this file instead of printing lines")
	f.DurationVar(&o.Duration, "duration", 0, "stop after this long (default: until Ctrl-C)")
	return cmd
}
