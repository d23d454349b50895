package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"exp/dist"
	"exp/input"
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
			return mergeAndPrint(cmd.Context(), cmd.OutOrStdout(), o.DB, args[0], dist.MergeOptions{Name: name})
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "SQLite file to add the merged run to (default: --db)")
	cmd.Flags().StringVar(&name, "name", "", "name of the merged run (default: the workers' run name, or merged-N)")
	return cmd
}

// mergeAndPrint merges dir into db and prints the run's summary and its
// workers; an incomplete run is exit status 1.
func mergeAndPrint(ctx context.Context, w io.Writer, db *store.DB, dir string, o dist.MergeOptions) error {
	out, _, err := dist.Merge(ctx, dir, db, o)
	var in *input.Error
	switch {
	case errors.As(err, &in):
		return badInput(err)
	case err != nil:
		return err
	}
	if err := lab.PrintRun(context.WithoutCancel(ctx), w, db, out.RunID); err != nil {
		return err
	}
	if out.Status != store.StatusCompleted && out.Status != store.StatusAborted {
		return withCode(exitFailure, fmt.Errorf("run %s is %s: not every worker gave its share (see its warnings)", out.Name, out.Status))
	}
	return nil
}
