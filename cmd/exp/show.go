package main

import (
	"context"
	"exp/analysis"
	"exp/load"
	"exp/verdict"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"exp/report"
	"exp/store"
)

func newShowCmd() *cobra.Command {
	var plotsDir string
	cmd := &cobra.Command{
		Use:   "show RUN",
		Short: "Show a stored run's summary (by name or id), rebuilt from the store",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, r, err := openRun(cmd, args[0])
			if err != nil {
				return err
			}
			defer db.Close()
			if err := printRun(cmd.OutOrStdout(), db, r.ID); err != nil || plotsDir == "" {
				return err
			}
			return showPlots(cmd, db, r.ID, plotsDir)
		},
	}
	cmd.Flags().StringVar(&plotsDir, "plots", "", "also write the run's PNG charts into this directory")
	return cmd
}

// printRun prints a stored run: header, statistics table, failures,
// resources and warnings.
func printRun(w io.Writer, db *store.DB, id int64) error {
	ctx := context.Background()
	r, err := db.RunByID(ctx, id)
	if err != nil {
		return err
	}
	sum, err := db.Summary(ctx, id)
	if r.Status == store.StatusRunning {
		// Still being written: its figures are computed at its end, so
		// take them from the samples stored so far.
		sum, err = analyzeStored(ctx, db, id, r.Config, time.Since(r.StartedAt))
	}
	if err != nil {
		return err
	}
	us, err := db.Usage(ctx, id)
	if err != nil {
		return err
	}
	tgt, model := r.TargetURL, modelText(r.Config)
	switch {
	case r.Status == store.StatusImported:
		// Locust's CSV files say how many users ran, not how they came.
		tgt, model = r.Notes, fmt.Sprintf("closed model (Locust), %d users; no samples, so figures are Locust's own", r.Config.Users)
	case r.Variant != "":
		tgt = fmt.Sprintf("built-in target, variant %s %s", r.Variant, r.VariantParams)
	}
	fmt.Fprintln(w)
	report.Summary(w, report.RunHeader{Name: r.Name, Status: r.Status, Target: tgt, Model: model,
		Duration: sum.Duration, Started: r.StartedAt}, sum)
	fmt.Fprintln(w)
	report.Resources(w, analysis.SummarizeResources(us), r.Host.Cores)
	for _, f := range sum.Failures {
		if f.Class == load.Dropped.String() {
			fmt.Fprintf(w, "Note: %d requests to %s were dropped: all %d in-flight slots were busy, the target could not keep up with the arrival rate\n", f.Count, f.Name, r.Config.MaxInflight)
		}
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warn)
	}
	fmt.Fprintln(w)
	report.Verdict(w, "Verdict", verdict.Diagnose(verdictInput(r, sum, analysis.SummarizeResources(us))))
	return nil
}
