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
// whatever the server does. A pool of MaxInflight workers sends them; when
// all are busy the request is recorded as Dropped instead of being sent
// late, so a slow server cannot slow the arrivals (no coordinated
// omission).
func (e *Engine) runOpen(sched RateSchedule, load, inflight context.Context, out chan<- Sample) {
	n := e.cfg.MaxInflight
	jobs := make(chan job, n)
	var tr *http.Transport // shared by net/http clients
	if usesNetHTTP(&e.cfg) {
		tr = newTransport(&e.cfg, n)
		defer tr.CloseIdleConnections()
	}
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		c, err := newClient(inflight, &e.cfg, tr)
		if err != nil {
			panic(fmt.Sprintf("exp: build requests: %v", err)) // Validate checked the URL and paths
		}
		wg.Add(1)
		go func(id uint32) {
			defer wg.Done()
			e.worker(c, inflight, id, jobs, out)
		}(uint32(w))
	}
	e.schedule(sched, load, jobs, out)
	close(jobs)
	wg.Wait()
}

// schedule walks the intended send times and hands each to a worker.
func (e *Engine) schedule(sched RateSchedule, load context.Context, jobs chan<- job, out chan<- Sample) {
	rng := rand.New(rand.NewPCG(1, uint64(e.started.UnixNano())))
	pick := newPicker(e.cfg.Tasks)
	poisson := e.cfg.Arrivals == Poisson
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	h := 0.0
	if poisson {
		h = rng.ExpFloat64()
	}
	for {
		at, ok := sched.TimeOf(h)
		if !ok {
			return
		}
		if wait := at - time.Since(e.started); wait > 0 {
			timer.Reset(wait)
			select {
			case <-load.Done():
				return
			case <-timer.C:
			}
		} else if lag := -wait; lag > time.Duration(e.maxLag.Load()) {
			e.maxLag.Store(int64(lag))
		}
		if load.Err() != nil {
			return
		}
		j := job{intended: at, task: pick.pick(rng.Uint32())}
		e.scheduled.Add(1)
		if e.active.Load() >= int64(e.cfg.MaxInflight) {
			out <- Sample{Start: at, Endpoint: uint16(j.task), Class: Dropped}
		} else {
			e.active.Add(1)
			jobs <- j
		}
		if poisson {
			h += rng.ExpFloat64()
		} else {
			h++
		}
	}
}

// worker sends the jobs it is handed; latency counts from the intended
// time, service time from the actual send.
func (e *Engine) worker(c client, inflight context.Context, id uint32, jobs <-chan job, out chan<- Sample) {
	defer c.close()
	for j := range jobs {
		t0 := time.Now()
		status, n, reused, err := c.do(j.task, t0)
		t1 := time.Now()
		e.active.Add(-1)
		s := sampleOf(j.task, status, n, reused, err, inflight)
		s.Start, s.User = j.intended, id
		s.Latency, s.Service = t1.Sub(e.started)-j.intended, t1.Sub(t0)
		out <- s
	}
}
