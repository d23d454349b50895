package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"exp/locust"
	"exp/store"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import results of other tools as runs (exp import locust PREFIX)",
		Args:  exactArgs(0),
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
			ir, err := readLocust(args[0])
			if err != nil {
				return badInput(err)
			}
			if name != "" {
				ir.Name = name
			}
			db, err := openStore(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.ImportRun(cmd.Context(), ir); err != nil {
				if errors.Is(err, store.ErrNameTaken) {
					return badInput(fmt.Errorf("run %q exists already: give another with --name", ir.Name))
				}
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

// readLocust reads PREFIX_stats.csv, and PREFIX_stats_history.csv and
// PREFIX_failures.csv when they exist, into a run to import.
func readLocust(prefix string) (store.ImportedRun, error) {
	prefix = strings.TrimSuffix(prefix, "_stats.csv")
	var stats []locust.StatsRow
	var hist []locust.HistoryRow
	var fails []locust.FailureRow
	err := readCSV(prefix+"_stats.csv", true, func(r io.Reader, file string) (err error) {
		stats, err = locust.ReadStats(r, file)
		return err
	})
	if err == nil {
		err = readCSV(prefix+"_stats_history.csv", false, func(r io.Reader, file string) (err error) {
			hist, err = locust.ReadHistory(r, file)
			return err
		})
	}
	if err == nil {
		err = readCSV(prefix+"_failures.csv", false, func(r io.Reader, file string) (err error) {
			fails, err = locust.ReadFailures(r, file)
			return err
		})
	}
	if err != nil {
		return store.ImportedRun{}, err
	}
	im, err := locust.ToSummary(stats, hist, fails)
	if err != nil {
		return store.ImportedRun{}, fmt.Errorf("%s_stats.csv: %w", prefix, err)
	}
	return store.ImportedRun{Name: filepath.Base(prefix), Started: im.Started, Users: im.Users,
		Notes: "imported from Locust CSV files " + prefix + "_*.csv", Tasks: im.Tasks,
		Summary: im.Summary, Ladders: im.Ladders, History: hist}, nil
}

// readCSV opens a file and reads it with read; a missing file is an
// error only when required.
func readCSV(path string, required bool, read func(io.Reader, string) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f, path)
}
