package lab

import (
	"sync"

	"exp/report"
	"exp/store"
	"exp/verdict"
)

// CompareColumns are the runs as the compare table shows them, the
// baseline first.
func CompareColumns(runs []Stored) []report.CompareRun {
	cols := make([]report.CompareRun, len(runs))
	for i, r := range runs {
		cols[i] = report.CompareRun{Name: r.Run.Name, Summary: r.Summary, Resources: r.Resources, Verdict: r.Verdict,
			NoSamples: r.Run.Status == store.StatusImported}
	}
	return cols
}

// Compare gives the changes of every run against the first, with their
// bootstrap intervals, computed side by side.
func Compare(runs []Stored) [][]verdict.Change {
	if len(runs) < 2 {
		return nil
	}
	base := verdict.NewRunSample(runs[0].Run.Config.Model, runs[0].Latencies, runs[0].Summary)
	changes := make([][]verdict.Change, len(runs)-1)
	var wg sync.WaitGroup
	for i := range changes {
		r := runs[i+1]
		wg.Go(func() {
			changes[i] = verdict.Compare(base, verdict.NewRunSample(r.Run.Config.Model, r.Latencies, r.Summary))
		})
	}
	wg.Wait()
	return changes
}
