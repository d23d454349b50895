package lab

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"exp/input"
	"exp/locust"
	"exp/store"
)

// ExportSpec says how to export a stored run.
type ExportSpec struct {
	Format  string // "csv" (Locust's columns) or "json"
	Samples bool   // every stored request instead of the statistics
	// Out is where: "" for the writer given to Export, FILE.csv for the
	// statistics alone, PREFIX for Locust's three files PREFIX_stats.csv
	// and so on, DIR/ (or an existing directory) for DIR/RUN_stats.csv.
	Out string
}

// Export writes run r as spec says, to stdout or to files, naming each
// file it wrote on stdout. A bad format or an --out that cannot be
// written is an *input.Error (fields "format", "out").
func Export(ctx context.Context, db *store.DB, r store.Run, spec ExportSpec, stdout io.Writer) error {
	e := exporter{ctx: ctx, db: db, run: r, stdout: stdout}
	switch {
	case spec.Format != "csv" && spec.Format != "json":
		return input.Errorf("format", "%q: want csv or json", spec.Format)
	case spec.Samples && r.Status == store.StatusImported:
		return input.Errorf("samples", "of run %s: %w", r.Name, ErrNoSamples)
	case spec.Samples:
		return e.toFile(spec.Out, func(w io.Writer) error { return EncodeSamples(ctx, w, db, r, spec.Format == "json") })
	case spec.Format == "json":
		return e.toFile(spec.Out, func(w io.Writer) error { return EncodeRunJSON(ctx, w, db, r) })
	}
	return e.csv(spec.Out)
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
		return input.Errorf("out", "cannot be written: %w", err)
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

// csv writes the Locust files: the statistics alone to stdout or to a
// FILE.csv, or all three under a prefix or into a directory.
func (e exporter) csv(out string) error {
	f, err := ReadFigures(e.ctx, e.db, e.run)
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
			return input.Errorf("out", "cannot be written: %w", err)
		}
		prefix = filepath.Join(out, SafeName(e.run.Name))
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
