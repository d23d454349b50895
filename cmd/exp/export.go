package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"exp/lab"
	"exp/locust"
	"exp/store"
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
			if format != "csv" && format != "json" {
				return badInput(fmt.Errorf("--format %q: want csv or json", format))
			}
			db, r, err := openRun(cmd, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			e := exporter{ctx: cmd.Context(), db: db, run: r, stdout: cmd.OutOrStdout()}
			switch {
			case samples && r.Status == store.StatusImported:
				return badInput(fmt.Errorf("--samples of run %s: %w", r.Name, lab.ErrNoSamples))
			case samples:
				return e.toFile(out, func(w io.Writer) error { return lab.EncodeSamples(e.ctx, w, db, r, format == "json") })
			case format == "json":
				return e.toFile(out, func(w io.Writer) error { return lab.EncodeRunJSON(e.ctx, w, db, r) })
			}
			return e.csv(out)
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv (Locust's columns) or json")
	cmd.Flags().BoolVar(&samples, "samples", false, "stream every stored request instead of the statistics")
	cmd.Flags().StringVar(&out, "out", "", "FILE, or for the CSV files a PREFIX or DIR/ (default: stdout)")
	return cmd
}

// exporter writes one stored run.
type exporter struct {
	ctx    context.Context
	db     *store.DB
	run    store.Run
	stdout io.Writer
}

// toFile runs write on the file at path, or on stdout when path is "".
func (e exporter) toFile(path string, write func(io.Writer) error) error {
	if path == "" {
		bw := bufio.NewWriter(e.stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.Create(path)
	if err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export run %s to %s: %w", e.run.Name, path, err)
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}

// csv writes the Locust files: the stats to stdout, or all three under
// the --out prefix.
func (e exporter) csv(out string) error {
	f, err := lab.ReadFigures(e.ctx, e.db, e.run)
	if err != nil {
		return err
	}
	stats := locust.StatsRows(f.Summary, f.Ladders)
	if out == "" || (strings.HasSuffix(out, ".csv") && !strings.HasSuffix(out, "_stats.csv")) {
		return e.toFile(out, func(w io.Writer) error { return locust.WriteStats(w, stats) })
	}
	prefix := strings.TrimSuffix(out, "_stats.csv")
	if st, err := os.Stat(out); (err == nil && st.IsDir()) || strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return badInput(fmt.Errorf("--out: %w", err))
		}
		prefix = filepath.Join(out, lab.SafeName(e.run.Name))
	}
	for _, file := range []struct {
		suffix string
		write  func(io.Writer) error
	}{
		{"_stats.csv", func(w io.Writer) error { return locust.WriteStats(w, stats) }},
		{"_stats_history.csv", func(w io.Writer) error { return locust.WriteHistory(w, f.History) }},
		{"_failures.csv", func(w io.Writer) error { return locust.WriteFailures(w, locust.FailureRows(f.Summary.Failures)) }},
	} {
		if err := e.toFile(prefix+file.suffix, file.write); err != nil {
			return err
		}
	}
	return nil
}
