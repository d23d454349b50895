package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
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

// follower reads a running run's new samples from the store each second
// and sums them by the second they started in: the same figures for a run
// started here as for one `exp run` writes in a terminal.
type follower struct {
	mark     int64
	requests int64
	failures int64
	secs     map[int]*liveSec
	sent     int        // seconds before this were sent
	last     *livePoint // the newest sent: its figures stand until the next
}

type liveSec struct {
	n, fails int64
	lat      []uint32 // µs of answered requests
	users    map[uint32]bool
}

func (f *follower) add(s load.Sample) {
	f.requests++
	sec := int(s.Start / time.Second)
	b := f.secs[sec]
	if b == nil {
		b = &liveSec{users: map[uint32]bool{}}
		f.secs[sec] = b
	}
	b.n++
	b.users[s.User] = true
	if s.Failed() {
		f.failures++
		b.fails++
	}
	if s.Responded() {
		b.lat = append(b.lat, uint32(min(s.Latency/time.Microsecond, 1<<32-1)))
	}
}

// points gives the whole seconds before upTo not sent yet.
func (f *follower) points(upTo int, model load.Model, cfg load.RunConfig) []livePoint {
	var out []livePoint
	for ; f.sent < upTo; f.sent++ {
		b := f.secs[f.sent]
		if b == nil {
			continue
		}
		slices.Sort(b.lat)
		ms := func(q float64) float64 { return float64(analysis.Percentile(b.lat, q)) / 1000 }
		p := livePoint{T: f.sent, RPS: float64(b.n), Failures: float64(b.fails), P50: ms(50), P95: ms(95), P99: ms(99),
			Load: float64(len(b.users))}
		if model == load.Open {
			p.Load = cfg.Schedule().(load.RateSchedule).RateAt(time.Duration(f.sent) * time.Second)
		}
		delete(f.secs, f.sent)
		out = append(out, p)
	}
	return out
}

// live streams a running run's figures as Server-Sent Events, one a
// second, and an "end" event when it is no longer running.
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
	f := &follower{secs: map[int]*liveSec{}}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		cur, err := s.cfg.DB.RunByID(ctx, run.ID)
		if err != nil {
			return
		}
		if f.mark, err = s.cfg.DB.EachSampleAfter(ctx, run.ID, f.mark, func(x load.Sample) error { f.add(x); return nil }); err != nil {
			return
		}
		if cur.Status != store.StatusRunning {
			b, _ := json.Marshal(map[string]string{"status": cur.Status})
			fmt.Fprintf(w, "event: end\ndata: %s\n\n", b)
			fl.Flush()
			return
		}
		ev := s.event(cur, f)
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

func (s *Server) event(run store.Run, f *follower) liveEvent {
	elapsed := time.Since(run.StartedAt)
	// A second is whole once the writer's flush (every 500 ms) has passed it.
	ps := f.points(int((elapsed-time.Second)/time.Second), run.Config.Model, run.Config)
	ev := liveEvent{Status: run.Status, Elapsed: elapsed.Seconds(), Total: run.Config.TotalDuration().Seconds(),
		Requests: f.requests, Failures: f.failures, Points: ps}
	if len(ps) > 0 {
		p := ps[len(ps)-1]
		ev.Point, f.last = &p, &p
	}
	if f.last != nil {
		ev.RPS, ev.P95, ev.Active = f.last.RPS, f.last.P95, int(f.last.Load)
	}
	s.mu.Lock()
	a := s.active[run.Name]
	s.mu.Unlock()
	if a != nil {
		if pr := a.latest(); pr.Total > 0 {
			ev.Active = pr.Active
		}
	}
	return ev
}
