package main

import (
	"context"
	"errors"
	"exp/lab"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"exp/report"
	"exp/store"
)

func newCompareCmd() *cobra.Command {
	var out, baseline string
	cmd := &cobra.Command{
		Use:   "compare RUN RUN [RUN...]",
		Short: "Compare stored runs: changes with confidence intervals, bottleneck verdicts, PNG plots",
		Long: `Compare stored runs (by name or id) against a baseline, the first run unless
--baseline names another: a table of figures with the change in percent, the
same per endpoint, 95% bootstrap confidence intervals saying whether the
changes in median and p95 latency and in throughput are real or within noise,
each run's bottleneck verdict, and PNG charts written to --out
(default ./plots/<run names>/).`,
		Args: minArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStoreRO(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			ids, err := compareIDs(cmd.Context(), db, args, baseline)
			if err != nil {
				return err
			}
			return runCompare(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), db, ids, out)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory for the PNG charts (default ./plots/<run names>/)")
	cmd.Flags().StringVar(&baseline, "baseline", "", "run the others are compared against (default: the first)")
	return cmd
}

// compareIDs resolves the runs to compare, the baseline first, each once.
func compareIDs(ctx context.Context, db *store.DB, names []string, baseline string) ([]int64, error) {
	if baseline != "" {
		names = append([]string{baseline}, names...)
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, n := range names {
		r, err := db.FindRun(ctx, n)
		if err != nil {
			return nil, err
		}
		if !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	if len(ids) < 2 {
		return nil, badInput(errors.New("compare needs at least two different runs"))
	}
	return ids, nil
}

// runCompare prints the comparison of runs (ids[0] the baseline) and
// writes its charts.
func runCompare(ctx context.Context, w, errw io.Writer, db *store.DB, ids []int64, out string) error {
	runs, err := lab.LoadAll(ctx, db, ids)
	if err != nil {
		return err
	}
	names := make([]string, len(runs))
	for i, r := range runs {
		names[i] = r.Run.Name
		if r.Run.Status == store.StatusImported {
			fmt.Fprintf(errw, "exp: run %s is imported: latency intervals and the percentile chart are n/a: imported run has no samples\n", r.Run.Name)
		}
		if r.Run.Status == store.StatusRunning {
			fmt.Fprintf(errw, "exp: run %s is still running: its figures are incomplete\n", r.Run.Name)
		}
	}
	if err := report.Compare(w, lab.CompareColumns(runs), lab.Compare(runs)); err != nil {
		return err
	}
	if out == "" {
		out = filepath.Join("plots", lab.SafeName(strings.Join(names, "-vs-")))
	}
	fmt.Fprintln(w)
	return writePlots(w, errw, runs, out)
}

// writePlots writes the charts of runs into dir and prints the files it
// wrote; charts with nothing to draw are named on errw.
func writePlots(w, errw io.Writer, runs []lab.Stored, dir string) error {
	written, skipped, err := lab.WritePlots(runs, dir)
	if len(written) > 0 {
		fmt.Fprintln(w, "Plots:")
	}
	for _, p := range written {
		fmt.Fprintf(w, "  %s\n", p)
	}
	for _, s := range skipped {
		fmt.Fprintf(errw, "exp: plot skipped: %s\n", s)
	}
	return err
}
