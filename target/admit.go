package target

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// errBusy means the pooled variant's workers and queue are all taken.
var errBusy = errors.New("server busy: queue full")

// limiter is a variant's admission rule: acquire before handling a request,
// release after. Acquire fails with errBusy (answer 503) or the request's
// context error (the client left while waiting).
type limiter interface {
	acquire(ctx context.Context) error
	release()
}

func newLimiter(o Options) limiter {
	switch o.Variant {
	case Single:
		return &semaphore{slots: make(chan struct{}, 1)}
	case Pooled:
		return &pool{
			semaphore: semaphore{slots: make(chan struct{}, o.PoolSize)},
			capacity:  int64(o.PoolSize + o.Queue),
		}
	default:
		return unbounded{}
	}
}

// unbounded is the goroutine variant: every request runs at once.
type unbounded struct{}

func (unbounded) acquire(context.Context) error { return nil }
func (unbounded) release()                      {}

// semaphore admits len(slots) requests at once; the rest wait, in no
// promised order, like connections in a single-threaded server's backlog.
type semaphore struct{ slots chan struct{} }

func (s *semaphore) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
	}
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *semaphore) release() { <-s.slots }

// pool is the pooled variant: a semaphore of PoolSize workers in front of
// which at most Queue requests wait. Counting running plus waiting
// requests against PoolSize+Queue gives both bounds with one atomic.
type pool struct {
	semaphore
	capacity int64
	admitted atomic.Int64 // running + waiting
}

func (p *pool) acquire(ctx context.Context) error {
	if p.admitted.Add(1) > p.capacity {
		p.admitted.Add(-1)
		return errBusy
	}
	if err := p.semaphore.acquire(ctx); err != nil {
		p.admitted.Add(-1)
		return err
	}
	return nil
}

func (p *pool) release() {
	p.semaphore.release()
	p.admitted.Add(-1)
}

// stallClock freezes the server for stallFor every stallEvery, counted
// from start. Handlers call wait on arrival and again before answering,
// so a request that arrives in a window, or whose work runs into one,
// answers only once the window has ended, as if the process were paused.
type stallClock struct {
	start      time.Time
	every, dur time.Duration
}

// wait sleeps out the current stall window, if any. It returns false when
// ctx ended first.
func (c stallClock) wait(ctx context.Context) bool {
	if c.every <= 0 {
		return true
	}
	left := stallRemaining(time.Since(c.start), c.every, c.dur)
	return left <= 0 || sleepCtx(ctx, left)
}

// stallRemaining is how much of a stall window is left at elapsed since
// start, or 0 outside the windows [k·every, k·every+dur) for k ≥ 1.
func stallRemaining(elapsed, every, dur time.Duration) time.Duration {
	if every <= 0 || dur <= 0 || elapsed < every {
		return 0
	}
	phase := elapsed % every
	if phase >= dur {
		return 0
	}
	return dur - phase
}

// sleepCtx sleeps for d; false when ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
