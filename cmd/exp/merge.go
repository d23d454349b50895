package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"exp/dist"
	"exp/lab"
	"exp/store"
)

func newMergeCmd() *cobra.Command {
	var into, name string
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Merge the workers of a split test (DIR/worker-I.db) into one run",
		Long: `Merge what the workers of a split test (exp run --segment I/N or
--segments N --results DIR) stored into one run of --into (default --db):
every sample on the common time axis, users and rates summed per second,
each worker's resources kept (resources.worker), and the summary, exact
percentiles and verdict over the union. A worker that died, failed or never
stored its run makes the run incomplete, with a warning naming it and what
it lost (exit status 1).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(args[0]); err != nil {
				return badInput(fmt.Errorf("results directory: %w", err))
			}
			if into == "" {
				into = dbPath(cmd)
			}
			o, err := lab.OpenWrite(cmd.Context(), into)
			if err != nil {
				return err
			}
			defer o.DB.Close()
			out, _, err := dist.Merge(cmd.Context(), args[0], o.DB, dist.MergeOptions{Name: name})
			if err != nil {
				return err
			}
			return printMerged(cmd.Context(), cmd.OutOrStdout(), o.DB, out)
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "SQLite file to add the merged run to (default: --db)")
	cmd.Flags().StringVar(&name, "name", "", "name of the merged run (default: the workers' run name, or merged-N)")
	return cmd
}

// printMerged prints a merged run's summary and its workers; an
// incomplete run is exit status 1.
func printMerged(ctx context.Context, w io.Writer, db *store.DB, out lab.Outcome) error {
	if err := lab.PrintRun(context.WithoutCancel(ctx), w, db, out.RunID); err != nil {
		return err
	}
	if out.Status != store.StatusCompleted && out.Status != store.StatusAborted {
		return withCode(exitFailure, fmt.Errorf("run %s is %s: not every worker gave its share (see its warnings)", out.Name, out.Status))
	}
	return nil
}
