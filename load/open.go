package load

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// job is one scheduled request of the open model.
type job struct {
	intended time.Duration // offset from run start
	task     int
}

// runOpen sends requests at the intended times of the rate schedule,
// whatever the server does. The workers are few and hot: the pool grows
// only when every worker is busy, up to MaxInflight, and the next arrival
// goes to the most recently idle worker (LIFO), whose goroutine and
// kept-alive connection are warm. When all MaxInflight are busy the
// request is recorded as Dropped instead of being sent late, so a slow
// server cannot slow the arrivals (no coordinated omission).
func (e *Engine) runOpen(sched RateSchedule, load, inflight context.Context, out chan<- Sample) {
	p := &pool{e: e, inflight: inflight, out: out, max: max(1, e.cfg.Segment.Share(e.cfg.MaxInflight))}
	if usesNetHTTP(&e.cfg) && !e.cfg.HTTP2 {
		p.tr = newTransport(&e.cfg, e.cfg.MaxInflight)
		defer p.tr.CloseIdleConnections()
	}
	e.schedule(sched, load, p, out)
	p.close()
}

// pool holds the open model's workers. Only the scheduler takes workers
// and starts new ones; a worker gives itself back when its request is
// done. idle is a stack: the last worker back is the first taken.
type pool struct {
	e        *Engine
	inflight context.Context
	out      chan<- Sample
	tr       *http.Transport // shared by net/http clients
	max      int

	mu   sync.Mutex
	idle []*worker
	all  []*worker // the scheduler's alone
	wg   sync.WaitGroup
}

// worker is one goroutine of the open model with its own client.
type worker struct {
	id   uint32
	jobs chan job // holds one job: a worker is handed one only when idle
	c    client
}

// take gives the most recently idle worker, a new one when none is idle
// and the pool may grow, or nil when all MaxInflight are busy.
func (p *pool) take() *worker {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		w := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return w
	}
	p.mu.Unlock()
	if len(p.all) >= p.max {
		return nil
	}
	tr := p.tr
	if t := p.e.sharedTransport(len(p.all)); t != nil {
		tr = t
	}
	c, err := newClient(p.inflight, &p.e.cfg, tr)
	if err != nil {
		panic(fmt.Sprintf("exp: build requests: %v", err)) // Validate checked the URL and paths
	}
	// Ids unique across the workers of a split test.
	w := &worker{id: uint32(p.e.cfg.Segment.Member(len(p.all))), jobs: make(chan job, 1), c: c}
	p.all = append(p.all, w)
	p.wg.Add(1)
	go p.work(w)
	return w
}

// give puts a worker back on the idle stack.
func (p *pool) give(w *worker) {
	p.mu.Lock()
	p.idle = append(p.idle, w)
	p.mu.Unlock()
}

// close ends every worker once its last job is done, and records how
// many the pool started: the most requests that were in flight at once.
func (p *pool) close() {
	for _, w := range p.all {
		close(w.jobs)
	}
	p.wg.Wait()
	p.e.workers.Store(int64(len(p.all)))
}

// work sends the jobs a worker is handed; latency counts from the
// intended time, service time from the actual send.
func (p *pool) work(w *worker) {
	defer p.wg.Done()
	defer w.c.close()
	e := p.e
	for j := range w.jobs {
		t0 := time.Now()
		status, n, reused, err := w.c.do(j.task, t0)
		t1 := time.Now()
		s := sampleOf(j.task, status, n, reused, err, p.inflight)
		s.Start, s.User = j.intended, w.id
		s.Latency, s.Service = t1.Sub(e.started)-j.intended, t1.Sub(t0)
		s.traced(w.c.trace(), t0, t1)
		e.active.Add(-1)
		p.out <- s
		p.give(w)
	}
}

// maxSleep bounds one sleep of the scheduler, so it sees the end of the
// load (an interrupt) within that.
const maxSleep = 20 * time.Millisecond

// schedule walks the intended send times and hands each to a worker. It
// sleeps until the next one is due (precisely: see newSleeper); arrivals
// already due when it wakes are handed out at once, one after the other.
// A worker of a split test walks the whole schedule and sends only its
// own arrivals (see Segment).
func (e *Engine) schedule(sched RateSchedule, load context.Context, p *pool, out chan<- Sample) {
	a := newArrivals(&e.cfg, sched, e.seed())
	sleeper := newSleeper()
	defer sleeper.done()
	var cur *RateSchedule // the schedule a follows; nil: the config's (a change made before the start is picked up below)
	for {
		if r := e.rates.Load(); r != cur {
			cur, a.sched = r, *r // SetRate: the arrivals still to come follow it
		}
		at, ok := a.due()
		if !ok {
			// No arrival is left (the schedule ends, or its rate was set
			// to 0): the load still runs to its planned end, where the
			// rates are counted over, and a rate change may bring more.
			if load.Err() != nil {
				return
			}
			sleeper.sleep(maxSleep)
			continue
		}
		if !a.mine() {
			a.skip()
			continue
		}
		wait := at - time.Since(e.started)
		if wait > 0 && load.Err() == nil {
			sleeper.sleep(wait)
			continue
		}
		if lag := -wait; lag > time.Duration(e.maxLag.Load()) {
			e.maxLag.Store(int64(lag))
		}
		if load.Err() != nil {
			return
		}
		task := a.take()
		e.scheduled.Add(1)
		if w := p.take(); w == nil {
			out <- Sample{Start: at, Endpoint: uint16(task), Class: Dropped}
		} else {
			e.active.Add(1)
			w.jobs <- job{intended: at, task: task}
		}
	}
}

// seed is the open model's random seed: the config's, or the start time.
func (e *Engine) seed() uint64 {
	if e.cfg.Seed != 0 {
		return e.cfg.Seed
	}
	return uint64(e.started.UnixNano())
}

// arrivals walks the whole schedule's arrivals in order, each with its
// task: a pure function of the schedule and the seed, so the workers of
// a split test walk the same one and a test can walk it without a clock.
type arrivals struct {
	sched   RateSchedule
	seg     Segment
	rng     *rand.Rand
	pick    picker
	poisson bool
	h       float64 // the cumulative arrivals of the next one
	k       int64   // its index in the whole schedule
}

func newArrivals(cfg *RunConfig, sched RateSchedule, seed uint64) *arrivals {
	a := &arrivals{sched: sched, seg: cfg.Segment, rng: rand.New(rand.NewPCG(1, seed)),
		pick: newPicker(cfg.Tasks), poisson: cfg.Arrivals == Poisson}
	if a.poisson {
		a.h = a.rng.ExpFloat64()
	}
	return a
}

// due is the intended time of the next arrival; false past the end.
func (a *arrivals) due() (time.Duration, bool) { return a.sched.TimeOf(a.h) }

// mine reports whether the next arrival is this segment's.
func (a *arrivals) mine() bool { return a.seg.Owns(a.k) }

// take gives the next arrival's task and moves past it.
func (a *arrivals) take() int {
	task := a.pick.pick(a.rng.Uint32())
	a.advance()
	return task
}

// skip moves past an arrival of another segment, drawing what taking it
// would draw, so every worker's draws stay those of the whole.
func (a *arrivals) skip() { a.take() }

func (a *arrivals) advance() {
	a.k++
	if a.poisson {
		a.h += a.rng.ExpFloat64()
	} else {
		a.h++
	}
}
