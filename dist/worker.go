package dist

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"exp/input"
	"exp/lab"
	"exp/load"
	"exp/store"
)

// Defaults of a worker's common start.
const (
	DefaultReadyTimeout = 2 * time.Minute
	// DefaultMargin leaves time for every worker to see the last ready
	// file (a shared volume can show it late) and to set its run up.
	DefaultMargin = 2 * time.Second
)

// MinMargin is the shortest start margin: a worker must see the last
// ready file, and a late give-up, with polls to spare.
const MinMargin = 200 * time.Millisecond

// Worker says which worker this is and where the test's files are.
type Worker struct {
	Dir          string // the results directory all workers share
	Segment      load.Segment
	ReadyTimeout time.Duration
	Margin       time.Duration
	Version      string
	Events       func(lab.Event) // the run's events, as lab.Lab gives them
}

// WorkerFile is worker i's store in dir.
func WorkerFile(dir string, i int) string {
	return filepath.Join(dir, "worker-"+strconv.Itoa(i)+".db")
}

// RunWorker checks spec, waits for the other workers (Barrier), and runs
// this worker's share of the test from the common start into
// DIR/worker-I.db. Nothing is stored when the start fails. The caller
// closes the returned store (nil when nothing was stored).
func RunWorker(ctx context.Context, w Worker, spec lab.RunSpec) (lab.Outcome, *store.DB, error) {
	if err := w.Check(spec); err != nil {
		return lab.Outcome{}, nil, err
	}
	start, _, err := Barrier(ctx, w.Dir, w.Segment, TestKey(spec.Load), w.ReadyTimeout, w.Margin)
	if err != nil {
		return lab.Outcome{}, nil, err
	}
	// From here on, a worker that cannot run tells the others (those not
	// yet started give up; the started ones' merge will say it is missing).
	fail := func(db *store.DB, err error) (lab.Outcome, *store.DB, error) {
		err = abort(w.Dir, fmt.Sprintf("worker %d: %v", w.Segment.Index, err), err)
		if db != nil {
			db.Close()
		}
		return lab.Outcome{}, nil, err
	}
	// The store is opened (created, migrated) at once: that takes a while
	// on a slow volume, and the run must be set up within the margin.
	o, err := lab.OpenWrite(ctx, WorkerFile(w.Dir, w.Segment.Index))
	if err != nil {
		return fail(nil, err)
	}
	// A worker that gave up after this one saw all ready (its ready
	// timeout passed just then) has written DIR/aborted: look once more,
	// just before the start, so that nobody runs short-handed.
	if err := sleepUntil(ctx, start.Add(-w.Margin/2)); err != nil {
		return fail(o.DB, err)
	}
	if err := aborted(w.Dir); err != nil {
		o.DB.Close()
		return lab.Outcome{}, nil, err
	}
	spec.Load.Segment = w.Segment
	spec.Load.Seed = uint64(start.UnixNano()) // the same on every worker: the common start
	spec.StartAt = start
	l := &lab.Lab{DB: o.DB, Version: w.Version, Events: w.Events}
	out, err := l.Run(ctx, spec)
	if err != nil && out.RunID == 0 {
		return fail(o.DB, err) // not started: nothing stored
	}
	return out, o.DB, err
}

// Check checks the worker's settings and spec before it becomes ready:
// bad input is found before the others wait for it.
func (w Worker) Check(spec lab.RunSpec) error {
	if !spec.Target.External() {
		return input.Errorf("url", "is needed: a split test loads one server that every worker reaches (the built-in target would be one per worker)")
	}
	if w.Segment.Count < 1 {
		return input.Errorf("segment", "no segment: want worker I of N")
	}
	if err := w.Segment.Validate(); err != nil {
		return err
	}
	if w.ReadyTimeout <= 0 {
		return input.Errorf("ready-timeout", "must be above zero, got %v", w.ReadyTimeout)
	}
	if w.Margin < MinMargin {
		return input.Errorf("start-margin", "must be at least %v (a worker looks at the directory every %v), got %v", MinMargin, poll, w.Margin)
	}
	return spec.Check()
}

func sleepUntil(ctx context.Context, at time.Time) error {
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w before the common start", ctx.Err())
	}
}
