package load

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Engine runs the load of one run and streams a Sample per request.
// It knows nothing of storage: whoever reads the channel decides.
type Engine struct {
	cfg RunConfig
	// Grace is how long in-flight requests may finish after the load stops
	// at the end of the run; those still running then are cancelled and
	// recorded as Cancelled, with the latency they had so far. An
	// interrupt uses a grace of at most 500 ms.
	Grace time.Duration

	active  atomic.Int64 // users (closed) or requests in flight (open)
	started time.Time
	end     time.Time    // planned end: no request starts after it
	maxLag  atomic.Int64 // worst lateness of the open-model scheduler, ns

	scheduled   atomic.Int64 // open model: arrivals scheduled (sent or dropped)
	workers     atomic.Int64 // open model: workers started
	loadStopped atomic.Int64 // offset from start at which the load stopped, ns

	classes []int  // scenario: the class of user i is classes[i % len]
	waits   []Wait // scenario: each class's think time

	schedMu sync.Mutex    // guards stages and changed (SetUsers, SetRate)
	stages  []Stage       // the closed model's stages once changed while running
	changed bool          // SetUsers or SetRate changed them
	kick    chan struct{} // wakes runClosed to follow a change at once
	// rates is the open model's schedule once SetRate changed it; the
	// scheduler loads it at each arrival and after each sleep.
	rates atomic.Pointer[RateSchedule]

	h2mu sync.Mutex
	h2tr []*http.Transport // HTTP/2: the transport of each group of H2Streams users
}

// NewEngine validates cfg and returns an engine for it.
func NewEngine(cfg RunConfig) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, Grace: min(cfg.Timeout, 2*time.Second), kick: make(chan struct{}, 1)}
	if sc := cfg.Scenario; sc != nil {
		if seg := cfg.Segment; !seg.Whole() {
			for _, f := range sc.Feeders {
				f.Split(seg.Index, seg.Count) // each queue row once across the workers
			}
		}
		e.classes = classCycle(sc.Classes)
		for _, c := range sc.Classes {
			w, _ := ParseWait(c.Wait) // checked by Validate
			e.waits = append(e.waits, w)
		}
	}
	return e, nil
}

// Active is the number of active virtual users (closed model) or requests
// in flight (open model) right now.
func (e *Engine) Active() int { return int(e.active.Load()) }

// MaxLag is the worst delay of the open-model scheduler behind its
// intended send times: a late generator, not a slow server.
func (e *Engine) MaxLag() time.Duration { return time.Duration(e.maxLag.Load()) }

// Result tells how a run's load went.
type Result struct {
	Started time.Time
	Elapsed time.Duration // from the first user (or arrival) to the end, the drain included
	// Load is how long the load ran: the planned duration, or until the
	// interrupt. Rates are over it, not over the drain that follows.
	Load        time.Duration
	Scheduled   int64 // open model: arrivals scheduled, each stored as sent or dropped
	Workers     int   // open model: workers started, the most requests in flight at once
	Interrupted bool  // stopped by ctx before its planned end
}

// Run sends the load until the planned duration has passed or ctx is
// cancelled, sending every sample on out, and closes out before it
// returns. start is the run's time zero; samples are offsets from it.
func (e *Engine) Run(ctx context.Context, start time.Time, out chan<- Sample) Result {
	defer close(out)
	e.schedMu.Lock()
	e.started, e.end = start, start.Add(e.cfg.TotalDuration())
	e.schedMu.Unlock()
	// load stops new requests; inflight cancels requests still running.
	load, stopLoad := context.WithDeadline(ctx, e.end)
	defer stopLoad()
	inflight, cancelInflight := context.WithCancel(context.Background())
	defer cancelInflight()
	go func() {
		<-load.Done()
		e.loadStopped.Store(int64(min(time.Since(start), e.cfg.TotalDuration())))
		grace := e.Grace
		if ctx.Err() != nil {
			grace = min(grace, 500*time.Millisecond)
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelInflight()
		case <-inflight.Done():
		}
	}()
	switch sched := e.cfg.Schedule().(type) {
	case RateSchedule:
		e.runOpen(sched, load, inflight, out)
	case UserSchedule:
		e.runClosed(load, inflight, out)
	}
	cancelInflight()
	stopLoad()
	e.closeTransports()
	loadRan := time.Duration(e.loadStopped.Load())
	if loadRan == 0 {
		loadRan = min(time.Since(start), e.cfg.TotalDuration())
	}
	return Result{Started: start, Elapsed: time.Since(start), Load: loadRan, Scheduled: e.scheduled.Load(),
		Workers:     int(e.workers.Load()),
		Interrupted: ctx.Err() != nil}
}

// runClosed follows the user schedule: it starts and stops virtual users
// as the schedule says and waits for them all to finish.
func (e *Engine) runClosed(load, inflight context.Context, out chan<- Sample) {
	var wg sync.WaitGroup
	var stops []chan struct{} // one per running user, newest last
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	seg := e.cfg.Segment
	for k := 0; ; {
		e.schedMu.Lock()
		sched := e.userSchedule()
		e.schedMu.Unlock()
		elapsed := time.Since(e.started)
		// A worker of a split test runs its share of the whole's users:
		// user j of the whole is worker j mod N's, and keeps j as its id
		// (unique across the workers; while users only grow, the ids are
		// one machine's, user by user; users stopped and started again
		// get fresh ids on each worker, as one machine's do, but not the
		// same ones).
		want := seg.Share(sched.At(elapsed))
		for len(stops) < want {
			stop := make(chan struct{})
			stops = append(stops, stop)
			wg.Add(1)
			go func(id int) {
				defer wg.Done()
				e.user(load, inflight, stop, uint32(id), out)
			}(seg.Member(k))
			k++
		}
		for len(stops) > want {
			close(stops[len(stops)-1])
			stops = stops[:len(stops)-1]
		}
		next := sched.Next(elapsed)
		if next >= sched.Duration() {
			next = sched.Duration()
		}
		timer.Reset(next - elapsed)
		select {
		case <-load.Done():
			wg.Wait()
			return
		case <-timer.C:
		case <-e.kick: // SetUsers: follow the new schedule
			timer.Stop()
		}
	}
}

// user is one virtual user: pick a task by weight, send it, record it,
// think, until stopped. A stopped user finishes its current request.
func (e *Engine) user(load, inflight context.Context, stop <-chan struct{}, id uint32, out chan<- Sample) {
	if e.cfg.Scenario != nil {
		e.scenarioUser(load, inflight, stop, id, out)
		return
	}
	e.active.Add(1)
	defer e.active.Add(-1)
	c, err := newClient(inflight, &e.cfg, e.sharedTransport(e.cfg.Segment.Local(int(id))))
	if err != nil {
		panic(fmt.Sprintf("exp: build requests: %v", err)) // Validate checked the URL and paths
	}
	defer c.close()
	rng := rand.New(rand.NewPCG(uint64(id), uint64(e.started.UnixNano())))
	pick := newPicker(e.cfg.Tasks)
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	for {
		select {
		case <-load.Done():
			return
		case <-stop:
			return
		default:
		}
		i := pick.pick(rng.Uint32())
		t0 := time.Now()
		if !t0.Before(e.end) {
			return // the deadline's timer may fire a little late
		}
		status, n, reused, err := c.do(i, t0)
		t1 := time.Now()
		s := sampleOf(i, status, n, reused, err, inflight)
		s.Start, s.Latency, s.Service, s.User = t0.Sub(e.started), t1.Sub(t0), t1.Sub(t0), id
		s.traced(c.trace(), t0, t1)
		out <- s
		if s.Class == Cancelled {
			return
		}
		if !think(wait, e.cfg.Wait.next(rng.Uint32(), t1.Sub(t0)), load, stop) {
			return
		}
	}
}

// sharedTransport is the transport user (or worker) id shares with the
// others of its group of H2Streams over HTTP/2, so that their requests go
// as concurrent streams of one connection; nil when each has its own. id
// counts this engine's own users (a worker's of a split test, from 0).
func (e *Engine) sharedTransport(id int) *http.Transport {
	if !e.cfg.HTTP2 || e.cfg.H2Streams <= 1 {
		return nil
	}
	g := id / e.cfg.H2Streams
	e.h2mu.Lock()
	defer e.h2mu.Unlock()
	for len(e.h2tr) <= g {
		e.h2tr = append(e.h2tr, nil)
	}
	if e.h2tr[g] == nil {
		e.h2tr[g] = newTransport(&e.cfg, e.cfg.H2Streams)
	}
	return e.h2tr[g]
}

// closeTransports closes the idle connections of the shared transports.
func (e *Engine) closeTransports() {
	e.h2mu.Lock()
	defer e.h2mu.Unlock()
	for _, tr := range e.h2tr {
		if tr != nil {
			tr.CloseIdleConnections()
		}
	}
}

// think waits d on timer (not at all when d ≤ 0) and reports whether the
// user goes on: false when the load ended or the user was stopped.
func think(timer *time.Timer, d time.Duration, load context.Context, stop <-chan struct{}) bool {
	if d <= 0 {
		return true
	}
	timer.Reset(d)
	select {
	case <-load.Done():
		return false
	case <-stop:
		return false
	case <-timer.C:
		return true
	}
}

// traced sets the phases and protocol of a request sent at t0 and done
// at t1 from its client's trace.
func (s *Sample) traced(tr *trace, t0, t1 time.Time) {
	s.Phases, s.Proto = tr.phases(t0, t1), tr.proto
}

// sampleOf turns a request's outcome into a Sample (timing left to the
// caller). A request that failed because the run cancelled it at its end
// (inflight done) is Cancelled: not an outcome of the server.
func sampleOf(task, status int, n int64, reused bool, err error, inflight context.Context) Sample {
	s := Sample{Endpoint: uint16(task), Status: uint16(status), Bytes: n, Reused: reused}
	switch {
	case err != nil && inflight.Err() != nil:
		s.Class, s.Status = Cancelled, 0
	case err != nil:
		s.Class = Classify(err)
	case status >= 400:
		s.Class = HTTP
	}
	return s
}
