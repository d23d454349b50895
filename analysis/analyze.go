package analysis

import (
	"cmp"
	"exp/load"
	"exp/units"
	"slices"
	"time"
)

// Analyzer computes a run's Summary from its samples: exact percentiles by
// endpoint, for the whole run and for each second. Feed it with Add (it is
// a Recorder, but is normally fed from the store, so a summary can always
// be rebuilt from what was stored) and call Summary.
//
// What it counts (the README's definitions): latency statistics are over
// the requests that got a response (Sample.Responded); the latency floor
// over the successful ones; failures are counted by class beside them, each
// class with its mean latency where it has one; dropped requests have no
// latency. Throughput is completed responses per second, by completion
// time, within the load window (SetLoadWindow): responses of the drain
// after it are counted but not in the rate.
//
// Its memory does not grow with the run's length: whole-run percentiles
// come from exact counts per distinct latency (latencyCounts), and a
// second's latencies are kept only until no more of its samples can come.
// Samples arrive about in order of completion (as the engine sends them and
// the store returns them), and a request started in second s ends before
// s+1+timeout: once a sample ending closeLag after that is seen, second s
// is closed, its percentiles computed and its latencies released.
type Analyzer struct {
	cfg       load.RunConfig
	window    time.Duration // responses completed by then count in the rates
	byTask    []taskAcc
	bySecond  []secondAcc
	open      int // bySecond[open:] may still receive samples
	closeLag  time.Duration
	spare     []uint32 // the latencies of the last closed second, for reuse
	failures  map[failKey]*failAcc
	lateness  latencyCounts // open model: intended -> actual send of each sent request
	phases    phaseAcc
	maxEnd    time.Duration
	hasSample bool
}

type taskAcc struct {
	counts    latencyCounts // latencies of responses
	succ      latencyCounts // latencies of successes, for the floor
	requests  int64
	failures  int64
	responses int64
	successes int64
	dropped   int64
	cancelled int64
	inWindow  int64  // responses completed within the load window
	succInWin int64  // successes completed within it
	sum       uint64 // µs, over responses
	bytes     int64  // over responses
}

// secondAcc is one second: by start, its requests, failures and the
// latencies of its responses while open (their percentiles once closed);
// by completion, the responses and successes that ended in it.
type secondAcc struct {
	lat           []uint32
	requests      int64
	failures      int64
	dropped       int64
	responses     int64
	successes     int64
	p50, p95, p99 uint32
}

type failKey struct {
	task  uint16
	class load.ErrorClass
	code  uint16
}

type failAcc struct {
	n   int64
	sum uint64 // µs
}

// NewAnalyzer returns an analyzer for a run of cfg, its load window the
// run's planned length.
func NewAnalyzer(cfg load.RunConfig) *Analyzer {
	// The timeout bounds how long after its second a sample can end; the
	// margin covers the client's deadline slack and the few milliseconds by
	// which the order of arrival can differ from the order of completion.
	return &Analyzer{cfg: cfg, window: cfg.TotalDuration(), byTask: make([]taskAcc, len(cfg.Tasks)),
		failures: map[failKey]*failAcc{}, closeLag: max(cfg.Timeout, 0) + 2*time.Second}
}

// SetStages replaces the closed model's stages (the users changed while
// the run went), before Summary: the seconds' users come from them.
func (a *Analyzer) SetStages(st []load.Stage) { a.cfg.Stages = st }

// SetRateStages replaces the open model's schedule (the rate changed while
// the run went), before Summary: the seconds' offered rates come from it.
func (a *Analyzer) SetRateStages(st []load.RateStage) { a.cfg.RateStages, a.cfg.Rate = st, 0 }

// SetLoadWindow sets how long the load ran (an interrupted run's is
// shorter than planned), before any Add: only responses completed within
// it count in the rates.
func (a *Analyzer) SetLoadWindow(d time.Duration) {
	if d > 0 {
		a.window = d
	}
}

// second gives the accumulator of second i, growing the slice.
func (a *Analyzer) second(i int) *secondAcc {
	for len(a.bySecond) <= i {
		a.bySecond = append(a.bySecond, secondAcc{})
	}
	return &a.bySecond[i]
}

// Add accounts one sample.
func (a *Analyzer) Add(s load.Sample) {
	if int(s.Endpoint) >= len(a.byTask) {
		a.byTask = append(a.byTask, make([]taskAcc, int(s.Endpoint)+1-len(a.byTask))...)
	}
	us := units.Micros(s.Latency)
	t := &a.byTask[s.Endpoint]
	t.requests++
	sec := int(max(s.Start, 0) / time.Second)
	b := a.second(sec)
	b.requests++
	end := s.Start + s.Latency
	if s.Responded() {
		t.counts.add(us)
		t.sum += uint64(us)
		t.bytes += s.Bytes
		t.responses++
		if sec >= a.open {
			if b.lat == nil {
				b.lat, a.spare = a.spare[:0], nil
			}
			b.lat = append(b.lat, us)
		} // else: a sample later than the timeout allows; counted, not in percentiles
		done := a.second(int(max(end, 0) / time.Second))
		done.responses++
		if end <= a.window {
			t.inWindow++
		}
		if s.Class == load.OK {
			t.succ.add(us)
			t.successes++
			done.successes++
			if end <= a.window {
				t.succInWin++
			}
		}
	}
	if s.Failed() {
		a.second(sec).failures++
		a.countFailure(t, s, us)
	}
	if a.cfg.Model == load.Open && s.Class != load.Dropped {
		// In whole microseconds of each, as the store keeps them, so a
		// summary fed live equals one rebuilt from the store.
		a.lateness.add(us - min(us, units.Micros(s.Service)))
	}
	a.phases.add(s, us)
	if end > a.maxEnd {
		a.maxEnd = end
		a.closeSeconds()
	}
	a.hasSample = true
}

// countFailure counts a failed sample by endpoint and class.
func (a *Analyzer) countFailure(t *taskAcc, s load.Sample, us uint32) {
	t.failures++
	switch s.Class {
	case load.Dropped:
		t.dropped++
		a.second(int(max(s.Start, 0)/time.Second)).dropped++
	case load.Cancelled:
		t.cancelled++
	}
	k := failKey{task: s.Endpoint, class: s.Class}
	if s.Class == load.HTTP {
		k.code = s.Status
	}
	f := a.failures[k]
	if f == nil {
		f = &failAcc{}
		a.failures[k] = f
	}
	f.n++
	if s.Class != load.Dropped {
		f.sum += uint64(us)
	}
}

// closeSeconds closes the seconds that no sample can reach any more.
func (a *Analyzer) closeSeconds() {
	for a.open < len(a.bySecond) && time.Duration(a.open+1)*time.Second+a.closeLag <= a.maxEnd {
		b := &a.bySecond[a.open]
		b.p50, b.p95, b.p99 = secondPercentiles(b.lat)
		if cap(b.lat) > cap(a.spare) {
			a.spare = b.lat
		}
		b.lat = nil
		a.open++
	}
}

// secondPercentiles sorts lat and returns its p50, p95 and p99.
func secondPercentiles(lat []uint32) (p50, p95, p99 uint32) {
	slices.Sort(lat)
	return Percentile(lat, 50), Percentile(lat, 95), Percentile(lat, 99)
}

// Flush does nothing: the analyzer keeps everything until Summary.
func (a *Analyzer) Flush() error { return nil }

// Close does nothing; call Summary.
func (a *Analyzer) Close() error { return nil }

var summaryPercentiles = []float64{50, 90, 95, 99, 99.9}

// Summary returns the statistics of what was added. elapsed is how long
// the load ran, the denominator of the rates (its load window, see
// SetLoadWindow); 0 means "from the samples": until the last one ended,
// at most the load window.
func (a *Analyzer) Summary(elapsed time.Duration) Summary {
	if elapsed <= 0 {
		elapsed = min(a.maxEnd, a.window)
	}
	sum := Summary{Duration: elapsed}
	secs := max(elapsed.Seconds(), 1e-9)
	all := make([]*latencyCounts, 0, len(a.byTask))
	succ := make([]*latencyCounts, 0, len(a.byTask))
	var total taskAcc
	for i := range a.byTask {
		t := &a.byTask[i]
		st := statsOf([]*latencyCounts{&t.counts}, []*latencyCounts{&t.succ}, t, secs)
		st.Endpoint = i
		if i < len(a.cfg.Tasks) {
			st.Method, st.Name = a.cfg.Tasks[i].Method, a.cfg.Tasks[i].Path
		}
		sum.Endpoints = append(sum.Endpoints, st)
		all, succ = append(all, &t.counts), append(succ, &t.succ)
		total.add(t)
	}
	agg := statsOf(all, succ, &total, secs)
	agg.Endpoint, agg.Name = -1, "Aggregated"
	sum.Total = agg
	sum.Seconds = a.seconds()
	sum.Failures = a.failureCounts()
	sum.Phases = a.phases.stats()
	if a.lateness.n > 0 {
		_, hi, ps := countedStats([]*latencyCounts{&a.lateness}, []float64{50, 99})
		sum.Lateness = Lateness{P50: us(ps[0]), P99: us(ps[1]), Max: us(hi), Requests: a.lateness.n}
	}
	return sum
}

// add sums the counters of o into t (not the latency counts).
func (t *taskAcc) add(o *taskAcc) {
	t.requests += o.requests
	t.failures += o.failures
	t.responses += o.responses
	t.successes += o.successes
	t.dropped += o.dropped
	t.cancelled += o.cancelled
	t.inWindow += o.inWindow
	t.succInWin += o.succInWin
	t.sum += o.sum
	t.bytes += o.bytes
}

// FloorPercentile is the percentile of successful latencies taken as the
// latency floor, never below the second fastest request: as low as a
// request that did not wait, yet one outlier cannot set it (and a fast
// failure is not a success at all).
const FloorPercentile = 0.1

// statsOf gives the figures of the union of hs (responses) and succ
// (successes), with the counters of t.
func statsOf(hs, succ []*latencyCounts, t *taskAcc, secs float64) Stats {
	st := Stats{Requests: t.requests, Failures: t.failures, Responses: t.responses, Successes: t.successes,
		Dropped: t.dropped, Cancelled: t.cancelled}
	st.RPS, st.SuccessRPS = float64(t.inWindow)/secs, float64(t.succInWin)/secs
	st.FailPerSec = float64(t.failures) / secs
	if t.responses > 0 {
		st.Avg = micros(float64(t.sum) / float64(t.responses))
		st.AvgBytes = float64(t.bytes) / float64(t.responses)
		lo, hi, ps := countedStats(hs, summaryPercentiles)
		st.Min, st.Max = us(lo), us(hi)
		st.P50, st.P90, st.P95, st.P99, st.P999 = us(ps[0]), us(ps[1]), us(ps[2]), us(ps[3]), us(ps[4])
	}
	if t.successes > 0 {
		floorP := min(max(FloorPercentile, 100*2/float64(t.successes)), 100)
		_, _, ps := countedStats(succ, []float64{floorP, 50})
		st.Floor, st.SuccessP50 = us(ps[0]), us(ps[1])
	}
	return st
}

func (a *Analyzer) seconds() []Second {
	out := make([]Second, len(a.bySecond))
	sched := a.cfg.Schedule()
	// An imported run has no spawn rate: its users per second are unknown.
	known := a.cfg.Model == load.Open || a.cfg.SpawnRate > 0
	for i := range a.bySecond {
		b := &a.bySecond[i]
		p50, p95, p99 := b.p50, b.p95, b.p99
		if i >= a.open {
			p50, p95, p99 = secondPercentiles(b.lat)
		}
		mid := time.Duration(i)*time.Second + 500*time.Millisecond
		s := Second{T: i, Requests: b.requests, Failures: b.failures, Dropped: b.dropped, Responses: b.responses,
			Successes: b.successes, P50: us(p50), P95: us(p95), P99: us(p99)}
		switch {
		case !known:
		case a.cfg.Model == load.Open:
			s.TargetRate = sched.Load(mid)
		default:
			s.ActiveUsers = int(sched.Load(mid))
		}
		out[i] = s
	}
	return out
}

func (a *Analyzer) failureCounts() []FailureCount {
	out := make([]FailureCount, 0, len(a.failures))
	for k, f := range a.failures {
		fc := FailureCount{Endpoint: int(k.task), Class: k.class.Name(k.code), Count: f.n}
		if k.class != load.Dropped {
			fc.Latency = micros(float64(f.sum) / float64(f.n))
		}
		if int(k.task) < len(a.cfg.Tasks) {
			fc.Method, fc.Name = a.cfg.Tasks[k.task].Method, a.cfg.Tasks[k.task].Path
		}
		out = append(out, fc)
	}
	slices.SortFunc(out, func(x, y FailureCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Endpoint, y.Endpoint), cmp.Compare(x.Class, y.Class))
	})
	return out
}

func us(v uint32) time.Duration      { return time.Duration(v) * time.Microsecond }
func micros(v float64) time.Duration { return time.Duration(v * float64(time.Microsecond)) }
