package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"exp/analysis"
	"exp/input"
	"exp/load"
	"exp/monitor"
	"exp/store"
	"exp/target"
	"exp/units"
)

// Lab makes runs in one store.
type Lab struct {
	DB *store.DB
	// Exe is the binary that serves the built-in target (`Exe serve ...`);
	// "" means this process's own executable.
	Exe string
	// Version is the tool version stored with every run.
	Version string
	// Events, when set, hears what happens while a run or plan goes. It is
	// called from the lab's goroutines, one event at a time per run.
	Events func(Event)
	// Recorders, when set, get every sample of a run as the store does (from
	// the collector's goroutine): the web UI's live view of a run it
	// started reads them instead of reading the store back.
	Recorders []load.Recorder
}

// ErrInterrupted: the context was cancelled. A run that had started is
// kept, with status aborted, and its Outcome is returned with the error.
var ErrInterrupted = errors.New("interrupted")

// ErrLateStart: a run with a common start (RunSpec.StartAt) was ready only
// after it, so it did not start: a worker of a split test that ran late
// would run short of the others.
var ErrLateStart = errors.New("late for the common start")

// Outcome is what a finished run leaves: its stored id, name, status and
// figures.
type Outcome struct {
	RunID     int64
	Name      string
	Status    string // store.StatusCompleted, StatusAborted, StatusFailed, StatusIncomplete (samples lost)
	Summary   analysis.Summary
	Resources analysis.Resources
	// TargetStopped says why the target process exited mid-run; "" when it
	// did not (or there was none). The run is stored in full, but what it
	// measured after that is a dead server.
	TargetStopped string
	// Lost is the samples the store could not write (the run is then
	// incomplete); Scheduled the open model's arrivals (0: not counted).
	Lost, Scheduled int64
	// Warnings are those the run's end raised (lost samples, a stopped
	// target, a late generator), stored or not.
	Warnings []analysis.Warning
	// NotSaved says why the store could not take the run's end; nil when
	// it did. Summary and Status are then only in memory (ErrNotSaved).
	NotSaved error
}

// targetStoppedText starts the warning stored with a run whose target
// process exited before the run ended.
const targetStoppedText = "the target stopped answering"

// Run makes one run end to end: target up, run row, load, samples and
// resources stored as they come, summary computed from the store, target
// down. A cancelled ctx ends it as aborted with everything taken so far
// kept, and Run returns its Outcome with ErrInterrupted.
func (l *Lab) Run(ctx context.Context, spec RunSpec) (Outcome, error) {
	p, err := l.prepare(ctx, spec)
	if p.proc != nil {
		defer stopTarget(p.proc)
	}
	if err != nil {
		return Outcome{}, err
	}
	cfg, proc := p.cfg, p.proc
	bg := context.WithoutCancel(ctx) // the store outlives an interrupt
	runID, err := l.createRun(bg, &cfg, spec)
	if err != nil {
		return Outcome{}, err
	}
	l.emit(Event{Kind: RunStarted, Run: cfg.Name, Text: TargetText(cfg.URL, spec.Target.Variant(), procPID(proc)) + "; " + ModelText(cfg),
		Control: &Control{e: p.engine}})
	start := time.Now()
	if at := spec.StartAt; !at.IsZero() {
		wait := time.NewTimer(time.Until(at))
		select {
		case <-wait.C:
		case <-ctx.Done():
			wait.Stop() // drive sees ctx and stops at once: the run is kept, aborted
		}
		start = at
	}
	d, runErr := l.drive(ctx, runID, p.engine, p.sampler, proc, cfg, start)
	deadline := time.Now().Add(endRetryFor)
	saveErr := persist(bg, deadline, func() error { return l.keepChanges(bg, runID, p.engine, &cfg, d) })
	status := statusOf(runErr, d)
	var live *analysis.Analyzer
	if status == store.StatusCompleted && d.res.Load == cfg.TotalDuration() {
		live = d.live // saw exactly what was stored, over the planned window
	}
	if proc != nil {
		stopTarget(proc)
	}
	out, err := l.end(bg, runID, cfg, status, d, proc, live, deadline, saveErr)
	if err != nil {
		return out, err
	}
	switch {
	case runErr != nil:
		return out, fmt.Errorf("run %s failed: %w", cfg.Name, runErr)
	case d.res.Interrupted:
		return out, ErrInterrupted
	}
	return out, nil
}

// end computes the run's figures and stores its end: counts and warnings,
// then summary and status, stopping at the first that cannot be stored
// (saveErr: an earlier write failed already). An end not stored in full
// gives the Outcome in memory, status incomplete, with ErrNotSaved.
func (l *Lab) end(ctx context.Context, runID int64, cfg load.RunConfig, status string, d driven, proc *target.Process,
	live *analysis.Analyzer, deadline time.Time, saveErr error) (Outcome, error) {
	sum, err := summarize(ctx, l.DB, runID, cfg, d.res.Load, live)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{RunID: runID, Name: cfg.Name, Status: status, Summary: sum, Lost: d.lost, Scheduled: d.res.Scheduled,
		Warnings: endWarnings(d, proc)}
	if w, late := lateWarning(sum); late {
		out.Warnings = append(out.Warnings, w)
	}
	if proc != nil && proc.ExitErr() != nil {
		out.TargetStopped = targetStoppedText + ": " + proc.ExitErr().Error()
	}
	for _, w := range out.Warnings {
		l.emit(Event{Kind: Warned, Run: cfg.Name, Warning: w}) // stored or not, the user hears of it
	}
	if saveErr == nil {
		saveErr = l.saveCounts(ctx, runID, d, out.Warnings, deadline)
	}
	if saveErr == nil {
		saveErr = saveFinish(ctx, l.DB, runID, status, d.res.Load, sum, deadline)
	}
	if out.Resources, err = resourcesOf(ctx, l.DB, runID, nil); err != nil {
		return out, err
	}
	if saveErr != nil {
		out.Status, out.NotSaved = store.StatusIncomplete, saveErr
		return out, fmt.Errorf("run %s: its summary and status %w (%w); %d samples could not be stored; it stays running in %s until the next exp command that opens the file marks it incomplete",
			cfg.Name, ErrNotSaved, saveErr, d.lost, l.DB.Path())
	}
	return out, nil
}

// prepared is a run ready to start: its load with its name and URL, the
// target (nil for an external one), the sampler and the engine.
type prepared struct {
	cfg     load.RunConfig
	proc    *target.Process
	sampler *monitor.Sampler
	engine  *load.Engine
}

// prepare checks spec, names the run, starts the target and builds the
// sampler and the engine; nothing is stored yet. The caller stops proc
// when it is set, error or not.
func (l *Lab) prepare(ctx context.Context, spec RunSpec) (prepared, error) {
	var p prepared
	if err := spec.Check(); err != nil {
		return p, err
	}
	p.cfg = spec.Load
	var err error
	if p.cfg.Name, err = l.runName(ctx, spec); err != nil {
		return p, err
	}
	proc, base, err := l.startTarget(ctx, spec.Target)
	if err != nil && ctx.Err() != nil {
		return p, fmt.Errorf("%w while the target started; nothing was stored", ErrInterrupted)
	}
	if err != nil {
		return p, err
	}
	p.proc, p.cfg.URL = proc, base
	if proc != nil && proc.CertFile != "" && p.cfg.TLS.CACert == "" && !p.cfg.TLS.Insecure {
		// The built-in target's certificate, made at its start: trusted
		// by the run, verified as any other.
		p.cfg.TLS.CACert = proc.CertFile
	}
	if p.sampler, err = newSampler(spec, proc, base); err != nil {
		return p, err
	}
	if p.engine, err = load.NewEngine(p.cfg); err != nil {
		return p, err
	}
	if at := spec.StartAt; !at.IsZero() && time.Now().After(at) {
		return p, fmt.Errorf("%w: ready %v after the common start; nothing was stored", ErrLateStart, time.Since(at).Round(time.Millisecond))
	}
	return p, nil
}

// keepChanges stores the load a run followed when its users or rate were
// changed while it ran: those stages are its load, for the store and for
// the figures by second.
func (l *Lab) keepChanges(ctx context.Context, runID int64, engine *load.Engine, cfg *load.RunConfig, d driven) error {
	var err error
	if st := engine.Stages(); st != nil {
		cfg.Stages, cfg.Users = st, load.StagesPeak(st)
		d.live.SetStages(st)
		err = l.DB.SetStages(ctx, runID, st)
	}
	if st := engine.RateStages(); st != nil {
		cfg.RateStages, cfg.Rate = st, 0
		d.live.SetRateStages(st)
		err = firstErr(err, l.DB.SetRateStages(ctx, runID, st))
	}
	return err
}

// statusOf is how a driven run ended.
func statusOf(runErr error, d driven) string {
	switch {
	case runErr != nil:
		return store.StatusFailed
	case d.lost > 0:
		return store.StatusIncomplete // its figures miss what could not be stored
	case d.res.Interrupted:
		return store.StatusAborted
	}
	return store.StatusCompleted
}

// lateWarning is the warning of a run whose generator sent requests so
// late that the run measured it rather than the server.
func lateWarning(sum analysis.Summary) (analysis.Warning, bool) {
	lt, t := sum.Lateness, sum.Total
	if !lt.Meaningful(t.P50, t.P99) {
		return analysis.Warning{}, false
	}
	return analysis.Warning{Code: analysis.SchedulerLate, Text: fmt.Sprintf(
		"the generator sent requests late: lateness p50 %s, p99 %s against latency p50 %s, p99 %s: the run measured the generator, not the server",
		units.Latency(lt.P50), units.Latency(lt.P99), units.Latency(t.P50), units.Latency(t.P99))}, true
}

func procPID(p *target.Process) int {
	if p == nil {
		return 0
	}
	return p.PID
}

// runName is the name given, checked to be free, or the next free
// variant-users-N name.
func (l *Lab) runName(ctx context.Context, spec RunSpec) (string, error) {
	cfg := spec.Load
	if cfg.Name != "" {
		if _, err := l.DB.FindRun(ctx, cfg.Name); err == nil {
			return "", input.Errorf("name", "%q: a run of that name exists already", cfg.Name)
		}
		return cfg.Name, nil
	}
	return l.DB.NextRunName(ctx, namePrefix(spec))
}

// namePrefix is what a run's default name starts with: the variant (or
// url) and the load, as in goroutine-50 or url-200rps.
func namePrefix(spec RunSpec) string {
	cfg := spec.Load
	prefix := "url"
	if !spec.Target.External() {
		prefix = string(spec.Target.Builtin.Variant)
	}
	if cfg.Model == load.Open {
		prefix += "-" + units.Exact(max(cfg.Rate, peakRate(cfg.RateStages))) + "rps"
	} else {
		prefix += fmt.Sprintf("-%d", cfg.Users)
	}
	return prefix
}

func peakRate(st []load.RateStage) float64 {
	r := 0.0
	for _, s := range st {
		r = max(r, s.Rate)
	}
	return r
}

// createRun stores the run's row. A name chosen for the user may have been
// taken meanwhile by another exp writing to the same file: then the next
// free one is taken.
func (l *Lab) createRun(ctx context.Context, cfg *load.RunConfig, spec RunSpec) (int64, error) {
	var params any
	if !spec.Target.External() {
		params = spec.Target.Builtin.Params()
	}
	for try := 0; ; try++ {
		id, err := l.DB.CreateRun(ctx, cfg.Redacted(), string(spec.Target.Variant()), params, store.ThisHost(l.Version))
		if !errors.Is(err, store.ErrNameTaken) || spec.Load.Name != "" || try == 10 {
			return id, err
		}
		auto := spec
		auto.Load.Name = ""
		if cfg.Name, err = l.runName(ctx, auto); err != nil {
			return 0, err
		}
	}
}

// exe is the binary that serves the built-in target.
func (l *Lab) exe() (string, error) {
	if l.Exe != "" {
		return l.Exe, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the exp binary to start the target: %w", err)
	}
	return exe, nil
}
