package main

import (
	"exp/lab"
	"fmt"

	"github.com/spf13/cobra"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import results of other tools as runs (exp import locust PREFIX)",
		Args:  cobra.ArbitraryArgs,
		RunE:  parentRun,
	}
	cmd.AddCommand(newImportLocustCmd())
	return cmd
}

func newImportLocustCmd() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "locust PREFIX",
		Short: "Import Locust's CSV files (locust --csv PREFIX) as a run",
		Long: `Import the CSV files Locust 2.x writes with --csv PREFIX as a run with
status imported: PREFIX_stats.csv (required) gives the figures of each
endpoint, PREFIX_stats_history.csv the requests of each second and the
users, PREFIX_failures.csv (when present) the failures by class. The run
has no samples: exp show and exp compare work on it, and what needs
every request (bootstrap intervals, the percentile spectrum) says so.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The files are read before the database is opened (or
			// created): bad files leave no database behind.
			ir, err := lab.ReadLocust(args[0])
			if err != nil {
				return err
			}
			if name != "" {
				ir.Name = name
			}
			db, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := lab.StoreImported(cmd.Context(), db, ir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %s as run %s: %d requests, %d endpoints, %d seconds\n",
				args[0], ir.Name, ir.Summary.Total.Requests, len(ir.Tasks), len(ir.Summary.Seconds))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of the run (default: the PREFIX's file name)")
	return cmd
}
