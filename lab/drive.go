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

// driven is what a run's load left: how it went, what the store lost
// (samples and resource readings, with why), and the Analyzer fed live
// (its summary is valid for a run that completed with every sample
// stored: see finishRun). Nothing of it is stored yet: see Lab.end.
type driven struct {
	res        load.Result
	lost       int64
	lostErr    error
	resLost    int64
	resLostErr error
	live       *analysis.Analyzer
}

// drive sends the load and records it: samples to the store writer, the
// live window and the Analyzer, resource readings to the store, progress
// as events.
func (l *Lab) drive(ctx context.Context, runID int64, engine *load.Engine, sampler *monitor.Sampler,
	proc *target.Process, cfg load.RunConfig, start time.Time) (driven, error) {
	samples := make(chan load.Sample, 1<<16)
	writer := store.NewWriter(l.DB, runID)
	writer.OnStall = func(err error) {
		l.emit(Event{Kind: StoreFailed, Run: cfg.Name, Err: fmt.Errorf("%w: samples wait and are tried again; they are lost if it lasts", err)})
	}
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
	var rl resourceLoss
	wg.Go(func() { rl = l.recordResources(watch, runID, cfg.Name, sampler, start) })
	wg.Go(func() { l.progress(watch, engine, live, cfg, proc, start) })
	res := engine.Run(ctx, start, samples)
	err := <-collected
	stopWatch()
	wg.Wait()
	return driven{res: res, lost: writer.Lost(), lostErr: writer.Err(), resLost: rl.n, resLostErr: rl.err, live: an}, err
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

// resourceLoss is the resource readings the store could not write, and
// the first reason.
type resourceLoss struct {
	n   int64
	err error
}

// recordResources stores a reading of every scope each interval and
// warns (once) when the generator saturates its CPU. A reading that
// cannot be stored is counted, said once (not every interval), and
// becomes a warning at the end of the run.
func (l *Lab) recordResources(ctx context.Context, runID int64, name string, s *monitor.Sampler, start time.Time) resourceLoss {
	sat := monitor.NewSaturation(0)
	bg := context.WithoutCancel(ctx)
	var lost resourceLoss
	s.Run(ctx, start, func(u monitor.Usage) {
		if err := l.DB.InsertUsage(bg, runID, []monitor.Usage{u}); err != nil {
			if lost.n == 0 {
				lost.err = err
				l.emit(Event{Kind: StoreFailed, Run: name, Err: fmt.Errorf("store resources: %w: readings are being lost, the run goes on", err)})
			}
			lost.n++
		}
		if text := sat.Add(u); text != "" {
			if err := l.warn(bg, runID, name, analysis.Warning{Code: analysis.GeneratorSaturated, Text: text}); err != nil {
				l.emit(Event{Kind: StoreFailed, Run: name, Err: err})
			}
		}
	})
	return lost
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
