package lab

import (
	"context"
	"fmt"
	"sync"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/monitor"
	"exp/store"
	"exp/target"
)

// driven is what a run's load left: how it went, the samples the store
// lost, and the summary of the Analyzer fed live (valid for a run that
// completed with every sample stored: see finishRun).
type driven struct {
	res  load.Result
	lost int64
	live *analysis.Analyzer
}

// drive sends the load and records it: samples to the store writer, the
// live window and the Analyzer, resource readings to the store, progress
// as events.
func (l *Lab) drive(ctx context.Context, runID int64, engine *load.Engine, sampler *monitor.Sampler,
	proc *target.Process, cfg load.RunConfig, start time.Time) (driven, error) {
	samples := make(chan load.Sample, 1<<16)
	writer := store.NewWriter(l.DB, runID)
	writer.OnLoss = func(err error) {
		l.emit(Event{Kind: StoreFailed, Run: cfg.Name, Err: fmt.Errorf("%w: samples are being lost, the run goes on", err)})
	}
	live := load.NewLive()
	collected := make(chan error, 1)
	// Fed live, the analyzer saves reading every sample back at the end
	// (its window is the planned load: an interrupted run is read back).
	an := analysis.NewAnalyzer(cfg)
	recs := append([]load.Recorder{lossCounted{writer}, live, an}, l.Recorders...)
	go func() { collected <- load.Collect(samples, 500*time.Millisecond, recs...) }()

	watch, stopWatch := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { l.recordResources(watch, runID, cfg.Name, sampler, start) })
	wg.Go(func() { l.progress(watch, engine, live, cfg, proc, start) })
	res := engine.Run(ctx, start, samples)
	err := <-collected
	stopWatch()
	wg.Wait()
	bg := context.WithoutCancel(ctx)
	lost := writer.Lost()
	if lost > 0 {
		err = firstErr(err, l.warn(bg, runID, cfg.Name, analysis.Warning{Code: analysis.SamplesLost,
			Text: fmt.Sprintf("%d samples could not be stored (%v): the figures miss them", lost, writer.Err())}))
	}
	err = firstErr(err, l.DB.SetCounts(bg, runID, res.Scheduled, lost))
	if proc != nil && proc.ExitErr() != nil {
		err = firstErr(err, l.warn(bg, runID, cfg.Name, analysis.Warning{Code: analysis.TargetStopped,
			Text: targetStoppedText + ": " + proc.ExitErr().Error()}))
	}
	return driven{res: res, lost: lost, live: an}, err
}

// lossCounted is the store writer as a recorder of the run: the samples
// it could not store are counted (Lost) and become the run's warning and
// status, not an error that would hide another recorder's.
type lossCounted struct{ *store.Writer }

func (w lossCounted) Close() error {
	w.Writer.Close() // its error is Writer.Err, reported with the loss
	return nil
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// warn stores a warning with the run and tells the listener. A warning
// that cannot be stored is an error of the run: it changes the verdict.
func (l *Lab) warn(ctx context.Context, runID int64, name string, w analysis.Warning) error {
	if err := l.DB.AddWarning(ctx, runID, w); err != nil {
		return fmt.Errorf("store warning: %w", err)
	}
	l.emit(Event{Kind: Warned, Run: name, Warning: w})
	return nil
}

// recordResources stores a reading of every scope each interval and
// warns (once) when the generator saturates its CPU.
func (l *Lab) recordResources(ctx context.Context, runID int64, name string, s *monitor.Sampler, start time.Time) {
	sat := monitor.NewSaturation(0)
	bg := context.WithoutCancel(ctx)
	s.Run(ctx, start, func(u monitor.Usage) {
		if err := l.DB.InsertUsage(bg, runID, []monitor.Usage{u}); err != nil {
			l.emit(Event{Kind: StoreFailed, Run: name, Err: fmt.Errorf("store resources: %w", err)})
		}
		if text := sat.Add(u); text != "" {
			if err := l.warn(bg, runID, name, analysis.Warning{Code: analysis.GeneratorSaturated, Text: text}); err != nil {
				l.emit(Event{Kind: StoreFailed, Run: name, Err: err})
			}
		}
	})
}

// progress reports the live figures every ProgressEvery, and the target's
// exit the moment it happens.
func (l *Lab) progress(ctx context.Context, e *load.Engine, live *load.Live, cfg load.RunConfig, proc *target.Process, start time.Time) {
	tick := time.NewTicker(ProgressEvery)
	defer tick.Stop()
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
			l.emit(Event{Kind: ProgressEnded, Run: cfg.Name})
			return
		case <-exited:
			l.emit(Event{Kind: TargetExited, Run: cfg.Name, Err: proc.ExitErr()})
			exited = nil
		case <-tick.C:
			l.emit(Event{Kind: Progressed, Run: cfg.Name, Progress: Progress{Elapsed: time.Since(start),
				Total: cfg.TotalDuration(), Active: e.Active(), ActiveLabel: label, Window: live.Snapshot()}})
		}
	}
}
