package analysis

import (
	"cmp"
	"exp/load"
	"math"
	"slices"
	"time"
)

// Analyzer computes a run's Summary from its samples: exact percentiles by
// endpoint, for the whole run and for each second. Feed it with Add (it is
// a Recorder, but is normally fed from the store, so a summary can always
// be rebuilt from what was stored) and call Summary.
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
	byTask    []taskAcc
	bySecond  []secondAcc
	open      int // bySecond[open:] may still receive samples
	closeLag  time.Duration
	spare     []uint32 // the latencies of the last closed second, for reuse
	failures  map[failKey]int64
	maxEnd    time.Duration
	hasSample bool
}

type taskAcc struct {
	counts   latencyCounts
	failures int64
	sum      uint64 // µs
	bytes    int64
}

// secondAcc is one second: its latencies while open, their percentiles
// once closed.
type secondAcc struct {
	lat           []uint32
	requests      int64
	failures      int64
	p50, p95, p99 uint32
}

type failKey struct {
	task  uint16
	class load.ErrorClass
	code  uint16
}

// NewAnalyzer returns an analyzer for a run of cfg.
func NewAnalyzer(cfg load.RunConfig) *Analyzer {
	// The timeout bounds how long after its second a sample can end; the
	// margin covers the client's deadline slack and the few milliseconds by
	// which the order of arrival can differ from the order of completion.
	return &Analyzer{cfg: cfg, byTask: make([]taskAcc, len(cfg.Tasks)), failures: map[failKey]int64{},
		closeLag: max(cfg.Timeout, 0) + 2*time.Second}
}

// Add accounts one sample.
func (a *Analyzer) Add(s load.Sample) {
	if int(s.Endpoint) >= len(a.byTask) {
		a.byTask = append(a.byTask, make([]taskAcc, int(s.Endpoint)+1-len(a.byTask))...)
	}
	us := toMicros(s.Latency)
	t := &a.byTask[s.Endpoint]
	t.counts.add(us)
	t.sum += uint64(us)
	t.bytes += s.Bytes
	sec := int(max(s.Start, 0) / time.Second)
	for len(a.bySecond) <= sec {
		a.bySecond = append(a.bySecond, secondAcc{})
	}
	b := &a.bySecond[sec]
	b.requests++
	if sec >= a.open {
		if b.lat == nil {
			b.lat, a.spare = a.spare[:0], nil
		}
		b.lat = append(b.lat, us)
	} // else: a sample later than the timeout allows; counted, not in percentiles
	if s.Failed() {
		t.failures++
		b.failures++
		k := failKey{task: s.Endpoint, class: s.Class}
		if s.Class == load.HTTP {
			k.code = s.Status
		}
		a.failures[k]++
	}
	if end := s.Start + s.Latency; end > a.maxEnd {
		a.maxEnd = end
		a.closeSeconds()
	}
	a.hasSample = true
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

func toMicros(d time.Duration) uint32 {
	us := d.Microseconds()
	return uint32(min(max(us, 0), math.MaxUint32))
}

var summaryPercentiles = []float64{50, 90, 95, 99, 99.9}

// Summary returns the statistics of what was added. elapsed is the run's
// length for rates; 0 means "from the samples" (first start to last end).
func (a *Analyzer) Summary(elapsed time.Duration) Summary {
	if elapsed <= 0 {
		elapsed = a.maxEnd
	}
	sum := Summary{Duration: elapsed}
	secs := max(elapsed.Seconds(), 1e-9)
	all := make([]*latencyCounts, 0, len(a.byTask))
	total := Stats{Endpoint: -1, Name: "Aggregated"}
	var totalSum uint64
	var totalBytes int64
	for i := range a.byTask {
		t := &a.byTask[i]
		st := statsOf([]*latencyCounts{&t.counts}, t.sum, t.failures, t.bytes, secs)
		st.Endpoint = i
		if i < len(a.cfg.Tasks) {
			st.Method, st.Name = a.cfg.Tasks[i].Method, a.cfg.Tasks[i].Path
		}
		sum.Endpoints = append(sum.Endpoints, st)
		all = append(all, &t.counts)
		totalSum += t.sum
		totalBytes += t.bytes
		total.Failures += t.failures
	}
	agg := statsOf(all, totalSum, total.Failures, totalBytes, secs)
	agg.Endpoint, agg.Name = total.Endpoint, total.Name
	sum.Total = agg
	sum.Seconds = a.seconds()
	sum.Failures = a.failureCounts()
	return sum
}

// statsOf gives the figures of the union of hs.
func statsOf(hs []*latencyCounts, sumUS uint64, failures, bytes int64, secs float64) Stats {
	var n int64
	for _, h := range hs {
		n += h.n
	}
	st := Stats{Requests: n, Failures: failures}
	st.RPS, st.FailPerSec = float64(st.Requests)/secs, float64(failures)/secs
	if n == 0 {
		return st
	}
	st.Avg = micros(float64(sumUS) / float64(n))
	st.AvgBytes = float64(bytes) / float64(n)
	lo, hi, ps := countedStats(hs, summaryPercentiles)
	st.Min, st.Max = us(lo), us(hi)
	st.P50, st.P90, st.P95, st.P99, st.P999 = us(ps[0]), us(ps[1]), us(ps[2]), us(ps[3]), us(ps[4])
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
		s := Second{T: i, Requests: b.requests, Failures: b.failures, P50: us(p50), P95: us(p95), P99: us(p99)}
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
	for k, n := range a.failures {
		fc := FailureCount{Endpoint: int(k.task), Class: k.class.Name(k.code), Count: n}
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
