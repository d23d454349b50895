package main

import (
	"exp/report"
	"exp/runflags"

	"github.com/spf13/cobra"
)

func newCalibrateCmd() *cobra.Command {
	var f runflags.Flags
	var repeat int
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Run one configuration several times and store its run-to-run noise, for exp compare --noise",
		Long: `Run the same configuration --repeat times (default 5), each with a fresh
target, stored as the calibration group --name, and store the spread of each
compared figure (median, p95, p99 latency, throughput) across the runs: the
run-to-run noise that one run cannot see. exp compare --noise NAME uses it,
so that a comparison of single runs can be decided.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := f.Spec(cmd.Flags())
			if err != nil {
				return badInput(err)
			}
			l, err := openLab(cmd, spec)
			if err != nil {
				return err
			}
			db := l.DB
			defer db.Close()
			rep, noise, err := l.Calibrate(cmd.Context(), spec, repeat)
			if err != nil {
				return finishRepeats(cmd, db, rep, spec, err)
			}
			return report.Noise(cmd.OutOrStdout(), noise)
		},
	}
	f.Bind(cmd.Flags())
	cmd.Flags().IntVar(&repeat, "repeat", 5, "runs to make, 3 at least")
	return cmd
}
