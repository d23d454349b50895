package lab

import (
	"context"
	"fmt"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/store"
)

// finishRun computes the run's summary, saves it and sets the run's final
// status. loadRan is how long the load ran, the denominator of the rates.
// live, when not nil, is an Analyzer that was fed every stored sample as
// it came (a completed run). A store that cannot write is tried again for
// endRetryFor; the Outcome has the figures even when they could not be
// saved (the error says why).
func finishRun(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, status string,
	loadRan time.Duration, live *analysis.Analyzer) (Outcome, error) {
	sum, err := summarize(ctx, db, runID, cfg, loadRan, live)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{RunID: runID, Name: cfg.Name, Status: status, Summary: sum}
	err = saveFinish(ctx, db, runID, status, loadRan, sum, time.Now().Add(endRetryFor))
	if out.Resources, err = resourcesOf(ctx, db, runID, err); err != nil {
		return out, err
	}
	return out, nil
}

// summarize is the run's summary: live's, when an Analyzer saw every
// stored sample as it came (its summary equals what a read of the store
// rebuilds, TestLiveSummaryIsTheStoredOne, without reading the samples
// back); else computed from the store, which only reads.
func summarize(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, loadRan time.Duration,
	live *analysis.Analyzer) (analysis.Summary, error) {
	if live != nil {
		return live.Summary(loadRan), nil
	}
	return AnalyzeStored(ctx, db, runID, cfg, loadRan)
}

// saveFinish saves a run's summary, then its final status, each tried
// again until deadline. The status is set only with the summary saved: a
// run left running is recovered by the next open (RecoverStale), which
// computes its figures; one finished without them would keep none.
func saveFinish(ctx context.Context, db *store.DB, runID int64, status string, loadRan time.Duration,
	sum analysis.Summary, deadline time.Time) error {
	if err := persist(ctx, deadline, func() error { return db.SaveSummary(ctx, runID, sum) }); err != nil {
		return err
	}
	return persist(ctx, deadline, func() error { return db.FinishRun(ctx, runID, status, time.Now(), loadRan) })
}

// resourcesOf summarizes the run's stored resource readings (a read,
// which a full disk allows); prior is an error met before, kept first.
func resourcesOf(ctx context.Context, db *store.DB, runID int64, prior error) (analysis.Resources, error) {
	us, err := db.Usage(ctx, runID)
	return analysis.SummarizeResources(us), firstErr(prior, err)
}

// AnalyzeStored streams a run's samples from the store into an Analyzer.
// loadRan is how long the load ran (the rates' window); 0 takes it from
// the samples.
func AnalyzeStored(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, loadRan time.Duration) (analysis.Summary, error) {
	a := analysis.NewAnalyzer(cfg)
	a.SetLoadWindow(loadRan)
	if err := db.EachSample(ctx, runID, func(s load.Sample) error { a.Add(s); return nil }); err != nil {
		return analysis.Summary{}, err
	}
	return a.Summary(loadRan), nil
}

// Recovered is a run that a dead process had left running, finished by
// RecoverStale.
type Recovered struct {
	Name     string
	Requests int64 // samples kept
	Err      error // why it could not be finished; nil when it was
}

// RecoverStale finishes the runs whose process died mid-run: their figures
// are computed from what was stored and they are marked incomplete. A run
// that could not be finished is in the list with its error; the error is
// for a store that cannot tell which runs are stale.
func RecoverStale(ctx context.Context, db *store.DB) ([]Recovered, error) {
	ids, err := db.StaleRuns(ctx)
	if err != nil {
		return nil, fmt.Errorf("find runs left running: %w", err)
	}
	var out []Recovered
	for _, id := range ids {
		r, err := db.RunByID(ctx, id)
		if err != nil {
			out = append(out, Recovered{Name: fmt.Sprintf("#%d", id), Err: err})
			continue
		}
		sum, err := AnalyzeStored(ctx, db, id, r.Config, 0)
		if err == nil {
			err = db.SaveSummary(ctx, id, sum)
		}
		if err == nil {
			// It ended, as far as is known, with its last stored sample.
			err = db.FinishRun(ctx, id, store.StatusIncomplete, r.StartedAt.Add(sum.Duration), sum.Duration)
		}
		out = append(out, Recovered{Name: r.Name, Requests: sum.Total.Requests, Err: err})
	}
	return out, nil
}

// Opened is a store opened for a command, with what opening it did to
// runs a dead process had left running.
type Opened struct {
	DB        *store.DB
	Recovered []Recovered
	// Stale counts runs left running that could not be recovered because
	// the file cannot be written (WriteErr says why); they stay running.
	Stale    int
	WriteErr error
}

// OpenWrite opens the store at path for writing (creating it), and
// recovers the runs a dead process left running.
func OpenWrite(ctx context.Context, path string) (Opened, error) {
	db, err := store.Open(path)
	if err != nil {
		return Opened{}, err
	}
	rec, err := RecoverStale(ctx, db)
	if err != nil {
		db.Close()
		return Opened{}, fmt.Errorf("%s: %w", path, err)
	}
	return Opened{DB: db, Recovered: rec}, nil
}

// OpenRead opens the store at path for reading only, unless it holds runs
// left running by a process that died: then it is opened for writing
// once, so that those runs are recovered (marked incomplete, their figures
// computed) before they are listed or shown. A file that cannot be written
// is read as it is.
func OpenRead(ctx context.Context, path string) (Opened, error) {
	db, err := store.OpenReadOnly(path)
	if err != nil {
		return Opened{}, err
	}
	stale, err := db.StaleRuns(ctx)
	if err != nil {
		db.Close()
		return Opened{}, fmt.Errorf("%s: find runs left running: %w", path, err)
	}
	if len(stale) == 0 {
		return Opened{DB: db}, nil
	}
	rw, err := store.Open(path)
	if err != nil {
		return Opened{DB: db, Stale: len(stale), WriteErr: err}, nil
	}
	db.Close()
	rec, err := RecoverStale(ctx, rw)
	if err != nil {
		rw.Close()
		return Opened{}, fmt.Errorf("%s: %w", path, err)
	}
	return Opened{DB: rw, Recovered: rec}, nil
}

// FinishStored analyses a run whose samples are all in the store (a run
// merged from the workers of a split test), saves its summary and ends it
// with status.
func FinishStored(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, status string,
	loadRan time.Duration) (Outcome, error) {
	return finishRun(ctx, db, runID, cfg, status, loadRan, nil)
}
