package lab

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/monitor"
	"exp/plots"
	"exp/store"
	"exp/target"
	"exp/verdict"
)

// Stored is a run read back from the store, with the verdict decided from
// it: what show, compare, the plan report and the web UI read.
type Stored struct {
	Run       store.Run
	Summary   analysis.Summary
	Usage     []monitor.Usage
	Resources analysis.Resources
	Verdict   verdict.Verdict
	Latencies []uint32 // every answered sample's latency (µs), sorted
	Seconds   []int32  // the second of the run each of Latencies started in
}

// Load reads a run's summary, resources and latencies, and decides its
// verdict.
func Load(ctx context.Context, db *store.DB, id int64) (Stored, error) {
	var s Stored
	var err error
	if s.Run, err = db.RunByID(ctx, id); err != nil {
		return s, err
	}
	if s.Summary, err = db.Summary(ctx, id); err != nil {
		return s, err
	}
	if s.Usage, err = db.Usage(ctx, id); err != nil {
		return s, err
	}
	s.Resources = analysis.SummarizeResources(s.Usage)
	in, err := VerdictInput(s.Run, s.Summary, s.Usage)
	if err != nil {
		return s, err
	}
	s.Verdict = verdict.Diagnose(in)
	// Latency and second packed in one word sort together.
	packed := make([]uint64, 0, s.Summary.Total.Requests)
	err = db.EachLatency(ctx, id, func(startUS int64, us uint32) error {
		packed = append(packed, uint64(us)<<32|uint64(uint32(max(startUS, 0)/1e6)))
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("run %s: %w", s.Run.Name, err)
	}
	slices.Sort(packed)
	s.Latencies, s.Seconds = make([]uint32, len(packed)), make([]int32, len(packed))
	for i, p := range packed {
		s.Latencies[i], s.Seconds[i] = uint32(p>>32), int32(uint32(p))
	}
	return s, nil
}

// LoadAll loads runs side by side: reading samples is most of the time.
func LoadAll(ctx context.Context, db *store.DB, ids []int64) ([]Stored, error) {
	out := make([]Stored, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i], errs[i] = Load(ctx, db, id) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// VerdictInput is what the verdict needs to know of a stored run: the CPU
// the target can use (the machine's, one core for single), the CPU the
// generator could use (GOMAXPROCS, which follows affinity and cgroups,
// when recorded), and the server's concurrency when its variant bounds it
// (decoded from the stored target.Params); and the resources of the
// seconds at the top load, where a bottleneck is found (steadyResources).
func VerdictInput(r store.Run, sum analysis.Summary, us []monitor.Usage) (verdict.VerdictInput, error) {
	res, window := steadyResources(r.Config.Model, sum, us)
	cores := float64(max(r.Host.Cores, 1))
	gen := cores
	if r.Host.GOMAXPROCS > 0 {
		gen = float64(min(r.Host.GOMAXPROCS, max(r.Host.Cores, 1)))
	}
	in := verdict.VerdictInput{Model: r.Config.Model, Summary: sum, Resources: res, CPUWindow: window, MaxInflight: maxInflight(r.Config),
		TargetLimit: 100 * cores, GeneratorLimit: 100 * gen, Warnings: r.Warnings}
	if r.Variant == "" {
		return in, nil
	}
	p, err := target.ParseParams(r.VariantParams)
	if err != nil {
		return in, fmt.Errorf("run %s: %w", r.Name, err)
	}
	p.Variant = target.Variant(r.Variant)
	if c := p.Cores(); c > 0 {
		in.TargetLimit = 100 * float64(c)
	}
	in.Concurrency = p.Concurrency()
	return in, nil
}

// Series is what the charts show of a stored run, in palette colour c.
func (s Stored) Series(c int) plots.RunSeries {
	var eps []analysis.Stats
	for _, e := range s.Summary.Endpoints {
		if e.Requests > 0 {
			eps = append(eps, e)
		}
	}
	return plots.RunSeries{
		Name: s.Run.Name, Color: c, Open: s.Run.Config.Model == load.Open,
		Seconds: verdict.FullSeconds(s.Run.Config.Model, s.Summary), Usage: s.Usage,
		Spectrum: analysis.Spectrum(s.Latencies), Endpoints: eps, Plateau: s.Verdict.Plateau,
		Phases: s.Summary.Phases,
	}
}

// WritePlots writes the charts of runs into dir and returns the files
// written and the charts skipped for want of data.
func WritePlots(runs []Stored, dir string) (written, skipped []string, err error) {
	series := make([]plots.RunSeries, len(runs))
	for i, r := range runs {
		series[i] = r.Series(i)
	}
	return plots.WriteAll(series, dir)
}

// steadyResources are the resources of the run's steady seconds (at its
// top load, verdict.SteadySeconds) when they hold three readings of the
// target, or of the generator when there is no target: a staged run that
// saturates its server only in its last stage is cpu-bound there, whatever
// the lighter stages before read. Otherwise the whole run's, and "".
func steadyResources(model load.Model, sum analysis.Summary, us []monitor.Usage) (analysis.Resources, string) {
	all := analysis.SummarizeResources(us)
	steady := verdict.SteadySeconds(model, sum)
	if len(steady) == 0 {
		return all, ""
	}
	first, last := steady[0].T, steady[len(steady)-1].T
	r := analysis.ResourcesWithin(us, time.Duration(first)*time.Second, time.Duration(last+1)*time.Second)
	enough := r.TargetReadings >= 3 || (!all.HasTarget && r.Readings >= 3)
	if !enough || r.Readings == all.Readings {
		return all, "" // too few readings there, or they are the whole run's
	}
	return r, fmt.Sprintf("over the steady seconds %d-%d", first, last)
}

// maxInflight is the open model's cap on requests in flight; 0 for the
// closed model, which has none.
func maxInflight(c load.RunConfig) int {
	if c.Model != load.Open {
		return 0
	}
	return c.MaxInflight
}
