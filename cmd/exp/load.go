package main

import (
	"context"
	"encoding/json"
	"exp/analysis"
	"exp/load"
	"exp/verdict"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/spf13/cobra"

	"exp/monitor"
	"exp/plots"
	"exp/store"
	"exp/target"
)

// loaded is a stored run read back for compare and show --plots: the
// only place where these commands touch the store.
type loaded struct {
	run     store.Run
	sum     analysis.Summary
	usage   []monitor.Usage
	res     analysis.Resources
	verdict verdict.Verdict
	lat     []uint32 // every sample's latency (µs), sorted
}

// loadRun reads a run's summary, resources and latencies, and decides its
// verdict.
func loadRun(ctx context.Context, db *store.DB, id int64) (loaded, error) {
	var l loaded
	var err error
	if l.run, err = db.RunByID(ctx, id); err != nil {
		return l, err
	}
	if l.sum, err = db.Summary(ctx, id); err != nil {
		return l, err
	}
	if l.usage, err = db.Usage(ctx, id); err != nil {
		return l, err
	}
	l.res = analysis.SummarizeResources(l.usage)
	l.verdict = verdict.Diagnose(verdictInput(l.run, l.sum, l.res))
	l.lat = make([]uint32, 0, l.sum.Total.Requests)
	err = db.EachLatency(ctx, id, func(us uint32) error {
		l.lat = append(l.lat, us)
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("run %s: %w", l.run.Name, err)
	}
	slices.Sort(l.lat)
	return l, nil
}

// loadRuns loads runs side by side: reading samples is most of the time.
func loadRuns(ctx context.Context, db *store.DB, ids []int64) ([]loaded, error) {
	out := make([]loaded, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i], errs[i] = loadRun(ctx, db, id) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// verdictInput is what the verdict needs to know of a stored run: the CPU
// the target and the generator can use, and the server's concurrency when
// its variant bounds it.
func verdictInput(r store.Run, sum analysis.Summary, res analysis.Resources) verdict.VerdictInput {
	cores := float64(max(r.Host.Cores, 1))
	in := verdict.VerdictInput{Model: r.Config.Model, Summary: sum, Resources: res,
		TargetLimit: 100 * cores, GeneratorLimit: 100 * cores, Warnings: r.Warnings}
	switch target.Variant(r.Variant) {
	case target.Single:
		// One request at a time runs on one core at a time.
		in.TargetLimit, in.Concurrency = 100, 1
	case target.Pooled:
		var p struct {
			PoolSize int `json:"pool_size"`
		}
		if json.Unmarshal([]byte(r.VariantParams), &p) == nil {
			in.Concurrency = p.PoolSize
		}
	}
	return in
}

// series is what the charts show of a loaded run, in palette colour c.
func (l loaded) series(c int) plots.RunSeries {
	var eps []analysis.Stats
	for _, e := range l.sum.Endpoints {
		if e.Requests > 0 {
			eps = append(eps, e)
		}
	}
	return plots.RunSeries{
		Name: l.run.Name, Color: c, Open: l.run.Config.Model == load.Open,
		Seconds: verdict.FullSeconds(l.run.Config.Model, l.sum), Usage: l.usage,
		Spectrum: analysis.Spectrum(l.lat), Endpoints: eps, Plateau: l.verdict.Plateau,
	}
}

// writePlots writes the charts of runs into dir and prints the files it
// wrote; charts with nothing to draw are named on errw.
func writePlots(w, errw io.Writer, runs []loaded, dir string) error {
	series := make([]plots.RunSeries, len(runs))
	for i, r := range runs {
		series[i] = r.series(i)
	}
	written, skipped, err := plots.WriteAll(series, dir)
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

// showPlots writes the charts of one run, for show --plots.
func showPlots(cmd *cobra.Command, db *store.DB, id int64, dir string) error {
	l, err := loadRun(cmd.Context(), db, id)
	if err != nil {
		return storeError(err)
	}
	fmt.Fprintln(cmd.OutOrStdout())
	return writePlots(cmd.OutOrStdout(), cmd.ErrOrStderr(), []loaded{l}, dir)
}
