package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"exp/analysis"
	"exp/load"
	"exp/store"
)

// livePoint is one whole second of a running run.
type livePoint struct {
	T        int     `json:"t"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Failures float64 `json:"failures_per_s"`
	Load     float64 `json:"load"`
}

type liveEvent struct {
	Status   string      `json:"status"`
	Elapsed  float64     `json:"elapsed_s"`
	Total    float64     `json:"total_s"`
	Requests int64       `json:"requests"`
	Failures int64       `json:"failures"`
	RPS      float64     `json:"rps"`
	P95      float64     `json:"p95_ms"`
	Active   int         `json:"active"`
	Point    *livePoint  `json:"point"`  // the newest whole second, when one came
	Points   []livePoint `json:"points"` // every whole second that came since the last event
}

// secAgg sums a running run's samples by the second they started in
// (requests, failures, latencies of the answered) and by the second they
// completed in (responses: the throughput, as the README defines it), and
// closes each second into a point once it is whole. A run started here
// feeds it as a load.Recorder, from the collector, sample by sample (no
// read-back: what watching costs the generator is this); a run written
// by another process is fed from the store's new samples each second.
type secAgg struct {
	cfg      load.RunConfig
	mu       sync.Mutex
	loadAt   func(time.Duration) float64 // the run's schedule as changed while it runs; nil: cfg's
	requests int64
	failures int64
	secs     map[int]*liveSec
	closed   []livePoint // whole seconds, in order
	upTo     int         // seconds before this are closed
}

type liveSec struct {
	n, fails int64
	done     int64    // responses that completed in the second
	lat      []uint32 // µs of answered requests
	users    map[uint32]bool
}

func newSecAgg(cfg load.RunConfig) *secAgg { return &secAgg{cfg: cfg, secs: map[int]*liveSec{}} }

// follow takes the running run's schedule, which its rate changes alter.
func (a *secAgg) follow(loadAt func(time.Duration) float64) {
	a.mu.Lock()
	a.loadAt = loadAt
	a.mu.Unlock()
}

// Add takes a sample (load.Recorder).
func (a *secAgg) Add(s load.Sample) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests++
	if s.Responded() {
		if end := int((s.Start + s.Latency) / time.Second); end >= a.upTo {
			a.sec(end).done++
		}
	}
	sec := int(s.Start / time.Second)
	if sec < a.upTo {
		return // a straggler of a second already shown: counted, not drawn
	}
	b := a.sec(sec)
	b.n++
	b.users[s.User] = true
	if s.Failed() {
		a.failures++
		b.fails++
	}
	if s.Responded() {
		b.lat = append(b.lat, uint32(min(s.Latency/time.Microsecond, 1<<32-1)))
	}
}

// sec gives second i's sums, new when none came yet.
func (a *secAgg) sec(i int) *liveSec {
	b := a.secs[i]
	if b == nil {
		b = &liveSec{users: map[uint32]bool{}}
		a.secs[i] = b
	}
	return b
}

func (a *secAgg) Flush() error { return nil }
func (a *secAgg) Close() error { return nil }

// since closes the seconds before upTo and gives the points from index i
// on, with the totals.
func (a *secAgg) since(i, upTo int) (pts []livePoint, requests, failures int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for ; a.upTo < upTo; a.upTo++ {
		b := a.secs[a.upTo]
		if b == nil {
			continue
		}
		slices.Sort(b.lat)
		ms := func(q float64) float64 { return float64(analysis.Percentile(b.lat, q)) / 1000 }
		p := livePoint{T: a.upTo, RPS: float64(b.done), Failures: float64(b.fails), P50: ms(50), P95: ms(95), P99: ms(99),
			Load: float64(len(b.users))}
		if a.cfg.Model == load.Open {
			at := time.Duration(a.upTo) * time.Second
			if a.loadAt != nil {
				p.Load = a.loadAt(at)
			} else {
				p.Load = a.cfg.RateSchedule().RateAt(at)
			}
		}
		delete(a.secs, a.upTo)
		a.closed = append(a.closed, p)
	}
	if i < len(a.closed) {
		pts = slices.Clone(a.closed[i:])
	}
	return pts, a.requests, a.failures
}

// live streams a running run's figures as Server-Sent Events, one a
// second, and an "end" event when it is no longer running. A store that
// cannot be read ends the stream with an "end" event saying why (the page
// then reloads the run, and shows that error if it stays).
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	fl, canFlush := w.(http.Flusher)
	if !canFlush {
		writeError(w, http.StatusInternalServerError, "", "streaming unsupported")
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	ctx := r.Context()
	s.mu.Lock()
	st := &liveState{db: s.cfg.DB, runID: run.ID, active: s.active[run.Name], agg: newSecAgg(run.Config)}
	s.mu.Unlock()
	if st.active != nil {
		st.agg = st.active.agg
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		ev, err := st.next(ctx)
		if err != nil || ev.Status != store.StatusRunning {
			end := map[string]string{"status": ev.Status}
			if err != nil {
				end["error"] = err.Error()
			}
			b, _ := json.Marshal(end)
			fmt.Fprintf(w, "event: end\ndata: %s\n\n", b)
			fl.Flush()
			return
		}
		b, _ := json.Marshal(ev)
		fmt.Fprintf(w, "data: %s\n\n", b)
		fl.Flush()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// liveState is what a live stream has sent of a run so far.
type liveState struct {
	db     *store.DB
	runID  int64
	active *activeRun // nil: written by another process, followed in the store
	agg    *secAgg
	mark   int64 // the last sample read from the store
	sent   int   // the whole seconds sent
	last   *livePoint
}

// next reads the run's state and its whole seconds not sent yet.
func (st *liveState) next(ctx context.Context) (liveEvent, error) {
	cur, err := st.db.RunByID(ctx, st.runID)
	if err != nil {
		return liveEvent{}, err
	}
	if st.active == nil {
		if st.mark, err = st.db.EachSampleAfter(ctx, st.runID, st.mark, func(x load.Sample) error { st.agg.Add(x); return nil }); err != nil {
			return liveEvent{Status: cur.Status}, err
		}
	}
	if cur.Status != store.StatusRunning {
		return liveEvent{Status: cur.Status}, nil
	}
	elapsed := time.Since(cur.StartedAt)
	// A second is whole once it is a second behind (the store's writer
	// flushes every 500 ms; the collector polls every 10 ms).
	pts, req, fails := st.agg.since(st.sent, int((elapsed-time.Second)/time.Second))
	st.sent += len(pts)
	ev := liveEvent{Status: cur.Status, Elapsed: elapsed.Seconds(), Total: cur.Config.TotalDuration().Seconds(),
		Requests: req, Failures: fails, Points: pts}
	if len(pts) > 0 {
		p := pts[len(pts)-1]
		ev.Point, st.last = &p, &p
	}
	if st.last != nil {
		ev.RPS, ev.P95, ev.Active = st.last.RPS, st.last.P95, int(st.last.Load)
	}
	if st.active != nil {
		if pr := st.active.latest(); pr.Total > 0 {
			ev.Active = pr.Active
		}
	}
	return ev, nil
}
