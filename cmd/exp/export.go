package main

import (
	"github.com/spf13/cobra"

	"exp/lab"
)

func newExportCmd() *cobra.Command {
	var format, out string
	var samples bool
	cmd := &cobra.Command{
		Use:   "export RUN",
		Short: "Export a stored run as Locust-compatible CSV or as JSON",
		Long: `Export a stored run (by name or id).

--format csv writes Locust's files, with Locust's exact column names: the
per-endpoint statistics (PREFIX_stats.csv), one row per second
(PREFIX_stats_history.csv) and the failures by class (PREFIX_failures.csv).
Without --out the statistics go to stdout, with --out FILE.csv to that
file. --out PREFIX writes the three files as Locust's --csv PREFIX does;
--out DIR/ (an existing directory, or a path ending in /) writes them as
DIR/RUN_stats.csv and so on. In the
history, Requests/s, Failures/s and the percentile columns are those of
the requests that started in that second (Locust's are moving windows);
the Total columns are running totals.

--format json writes everything stored about the run as one JSON document.

--samples streams every stored request instead, one line each: CSV with a
header (--format csv) or JSON lines (--format json).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, r, err := openRun(cmd, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			return lab.Export(cmd.Context(), db, r, lab.ExportSpec{Format: format, Samples: samples, Out: out}, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv (Locust's columns) or json")
	cmd.Flags().BoolVar(&samples, "samples", false, "stream every stored request instead of the statistics")
	cmd.Flags().StringVar(&out, "out", "", "FILE, or for the CSV files a PREFIX or DIR/ (default: stdout)")
	return cmd
}
