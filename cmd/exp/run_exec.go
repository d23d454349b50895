package main

import (
	"context"
	"errors"
	"exp/analysis"
	"exp/load"
	"exp/verdict"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"time"

	"exp/monitor"
	"exp/report"
	"exp/store"
	"exp/target"
)

// executeRun runs one load test end to end: target up, run row, load,
// samples and resources stored as they come, summary computed from the
// store, target down. An interrupt (ctx cancelled) ends it as aborted with
// everything taken so far kept.
func executeRun(ctx context.Context, db *store.DB, cfg load.RunConfig, f *runFlags, stdout, stderr io.Writer) (outcome, error) {
	var err error
	if cfg.Name, err = runName(ctx, db, cfg, f); err != nil {
		return outcome{}, err
	}
	proc, base, err := startTarget(ctx, f)
	if err != nil && ctx.Err() != nil {
		return outcome{}, withCode(exitAborted, errors.New("interrupted while the target started; nothing was stored"))
	}
	if err != nil {
		return outcome{}, err
	}
	if proc != nil {
		defer stopTarget(proc)
	}
	cfg.URL = base
	sampler, err := newSampler(f, proc, base)
	if err != nil {
		return outcome{}, err
	}
	engine, err := load.NewEngine(cfg)
	if err != nil {
		return outcome{}, badInput(err)
	}
	variant, params := "", map[string]any(nil)
	if f.url == "" {
		variant, params = string(f.serve.Variant), f.serve.Params()
	}
	bg := context.WithoutCancel(ctx) // the store outlives an interrupt
	runID, err := createRun(bg, db, &cfg, f, variant, params)
	if err != nil {
		return outcome{}, storeError(err)
	}
	fmt.Fprintf(stderr, "exp: run %s: %s; %s\n", cfg.Name, targetText(cfg, f, proc), modelText(cfg))

	start := time.Now()
	res, runErr := drive(ctx, db, runID, engine, sampler, proc, cfg, stderr, start)
	status := store.StatusCompleted
	switch {
	case runErr != nil:
		status = store.StatusFailed
	case res.Interrupted:
		status = store.StatusAborted
	}
	if proc != nil {
		stopTarget(proc)
	}
	out, err := finishRun(bg, db, runID, cfg, status, res.Elapsed)
	if err != nil {
		return out, err
	}
	printRun(stdout, db, out.runID)
	if proc != nil && proc.ExitErr() != nil {
		out.targetStopped = verdict.TargetStoppedWarning + ": " + proc.ExitErr().Error()
	}
	switch {
	case runErr != nil:
		return out, fmt.Errorf("run %s failed: %w", cfg.Name, runErr)
	case res.Interrupted:
		return out, silentExit{code: exitAborted}
	}
	return out, nil
}

// createRun stores the run's row. A name chosen for the user may have been
// taken meanwhile by another exp writing to the same file: then the next
// free one is taken.
func createRun(ctx context.Context, db *store.DB, cfg *load.RunConfig, f *runFlags, variant string, params map[string]any) (int64, error) {
	for try := 0; ; try++ {
		id, err := db.CreateRun(ctx, cfg.Redacted(), variant, params, store.ThisHost(version))
		if !errors.Is(err, store.ErrNameTaken) || f.name != "" || try == 10 {
			return id, err
		}
		auto := *cfg
		auto.Name = ""
		if cfg.Name, err = runName(ctx, db, auto, f); err != nil {
			return 0, err
		}
	}
}

// drive sends the load and records it: samples to the store writer and
// the live window, resource readings to the store, progress to stderr.
func drive(ctx context.Context, db *store.DB, runID int64, engine *load.Engine, sampler *monitor.Sampler,
	proc *target.Process, cfg load.RunConfig, stderr io.Writer, start time.Time) (load.Result, error) {
	samples := make(chan load.Sample, 1<<16)
	writer := store.NewWriter(db, runID)
	live := load.NewLive()
	collected := make(chan error, 1)
	go func() { collected <- load.Collect(samples, 500*time.Millisecond, writer, live) }()

	watch, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); recordResources(watch, db, runID, sampler, stderr, start) }()
	go func() {
		defer wg.Done()
		progress(watch, stderr, engine, live, cfg, proc, start)
	}()
	res := engine.Run(ctx, start, samples)
	err := <-collected
	stopWatch()
	wg.Wait()
	if lag := engine.MaxLag(); lag > 50*time.Millisecond {
		db.AddWarning(context.WithoutCancel(ctx), runID, fmt.Sprintf("the open-model scheduler fell behind its intended send times by up to %v: the generator was late, not the server", lag.Round(time.Millisecond)))
	}
	if proc != nil && proc.ExitErr() != nil {
		db.AddWarning(context.WithoutCancel(ctx), runID, verdict.TargetStoppedWarning+": "+proc.ExitErr().Error())
	}
	return res, err
}

// newSampler watches the target process (when there is one), this
// process and the machine. A --target-pid that does not exist is bad
// input, found before any load is sent.
func newSampler(f *runFlags, proc *target.Process, base string) (*monitor.Sampler, error) {
	mc := monitor.Config{Interval: f.sampleEvery, TargetPort: portOf(base)}
	switch {
	case proc != nil:
		mc.TargetPID = int32(proc.PID)
	case f.targetPID != 0:
		mc.TargetPID = int32(f.targetPID)
	}
	s, err := monitor.NewSampler(mc)
	if err != nil {
		if f.targetPID != 0 {
			return nil, badInput(fmt.Errorf("--target-pid %d: %w", f.targetPID, err))
		}
		return nil, fmt.Errorf("start resource monitor: %w", err)
	}
	return s, nil
}

func portOf(base string) int {
	u, err := url.Parse(base)
	if err != nil {
		return 0
	}
	_, p, err := net.SplitHostPort(u.Host)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

// recordResources stores a reading of every scope each interval and warns
// (once, on stderr and with the run) when the generator saturates its CPU.
func recordResources(ctx context.Context, db *store.DB, runID int64, s *monitor.Sampler, stderr io.Writer, start time.Time) {
	sat := monitor.NewSaturation(0)
	bg := context.WithoutCancel(ctx)
	s.Run(ctx, start, func(u monitor.Usage) {
		if err := db.InsertUsage(bg, runID, []monitor.Usage{u}); err != nil {
			fmt.Fprintf(stderr, "\nexp: store resources: %v\n", err)
		}
		if w := sat.Add(u); w != "" {
			fmt.Fprintf(stderr, "\nexp: warning: %s\n", w)
			db.AddWarning(bg, runID, w)
		}
	})
}

// progress prints a live line every 2 s: redrawn on a terminal, plain
// lines otherwise.
func progress(ctx context.Context, w io.Writer, e *load.Engine, live *load.Live, cfg load.RunConfig, proc *target.Process, start time.Time) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	term := isTerminal(w)
	label := "users"
	if cfg.Model == load.Open {
		label = "in flight"
	}
	var exited <-chan struct{}
	if proc != nil {
		exited = proc.Exited()
	}
	for {
		select {
		case <-ctx.Done():
			if term {
				fmt.Fprintln(w)
			}
			return
		case <-exited:
			fmt.Fprintf(w, "\nexp: the target process exited (%v); the run goes on recording errors\n", proc.ExitErr())
			exited = nil
		case <-tick.C:
			line := report.Line(time.Since(start), cfg.TotalDuration(), e.Active(), label, live.Snapshot())
			if term {
				fmt.Fprintf(w, "\r\033[K%s", line)
			} else {
				fmt.Fprintln(w, line)
			}
		}
	}
}

// finishRun computes the run's summary from what was stored (so it equals
// what `exp show` rebuilds), saves it and sets the run's final status.
func finishRun(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, status string, elapsed time.Duration) (outcome, error) {
	sum, err := analyzeStored(ctx, db, runID, cfg, elapsed)
	if err != nil {
		return outcome{}, err
	}
	if err := db.SaveSummary(ctx, runID, sum); err != nil {
		return outcome{}, err
	}
	if err := db.FinishRun(ctx, runID, status, time.Now(), elapsed); err != nil {
		return outcome{}, err
	}
	us, err := db.Usage(ctx, runID)
	if err != nil {
		return outcome{}, err
	}
	return outcome{runID: runID, name: cfg.Name, status: status, summary: sum, res: analysis.SummarizeResources(us)}, nil
}

// analyzeStored streams a run's samples from the store into an Analyzer.
func analyzeStored(ctx context.Context, db *store.DB, runID int64, cfg load.RunConfig, elapsed time.Duration) (analysis.Summary, error) {
	a := analysis.NewAnalyzer(cfg)
	if err := db.EachSample(ctx, runID, func(s load.Sample) error { a.Add(s); return nil }); err != nil {
		return analysis.Summary{}, err
	}
	return a.Summary(elapsed), nil
}

// recoverStaleRuns finishes runs whose process died mid-run: their stats
// are computed from what was stored and they are marked incomplete.
func recoverStaleRuns(db *store.DB, stderr io.Writer) {
	ctx := context.Background()
	ids, err := db.StaleRuns(ctx)
	if err != nil {
		return
	}
	for _, id := range ids {
		r, err := db.RunByID(ctx, id)
		if err != nil {
			continue
		}
		sum, err := analyzeStored(ctx, db, id, r.Config, 0)
		if err == nil {
			err = db.SaveSummary(ctx, id, sum)
		}
		if err == nil {
			// It ended, as far as is known, with its last stored sample.
			err = db.FinishRun(ctx, id, store.StatusIncomplete, r.StartedAt.Add(sum.Duration), sum.Duration)
		}
		if err != nil {
			fmt.Fprintf(stderr, "exp: recover run %s: %v\n", r.Name, err)
			continue
		}
		fmt.Fprintf(stderr, "exp: run %s was left running by a process that died; marked incomplete (%d requests kept)\n", r.Name, sum.Total.Requests)
	}
}
