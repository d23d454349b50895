package experiment

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Analyzer computes a run's Summary from its samples: exact percentiles by
// endpoint, for the whole run and for each second. Feed it with Add (it is
// a Recorder, but is normally fed from the store, so a summary can always
// be rebuilt from what was stored) and call Summary.
//
// It keeps one 4-byte latency per sample twice (by endpoint and by second):
// 8 bytes a sample while a summary is computed, nothing during a run.
type Analyzer struct {
	cfg       RunConfig
	byTask    []taskAcc
	bySecond  []secondAcc
	failures  map[failKey]int64
	maxEnd    time.Duration
	hasSample bool
}

type taskAcc struct {
	lat      []uint32 // µs
	failures int64
	sum      uint64 // µs
	bytes    int64
}

type secondAcc struct {
	lat      []uint32
	failures int64
}

type failKey struct {
	task  uint16
	class ErrorClass
	code  uint16
}

// NewAnalyzer returns an analyzer for a run of cfg.
func NewAnalyzer(cfg RunConfig) *Analyzer {
	return &Analyzer{cfg: cfg, byTask: make([]taskAcc, len(cfg.Tasks)), failures: map[failKey]int64{}}
}

// Add accounts one sample.
func (a *Analyzer) Add(s Sample) {
	if int(s.Endpoint) >= len(a.byTask) {
		a.byTask = append(a.byTask, make([]taskAcc, int(s.Endpoint)+1-len(a.byTask))...)
	}
	us := toMicros(s.Latency)
	t := &a.byTask[s.Endpoint]
	t.lat = append(t.lat, us)
	t.sum += uint64(us)
	t.bytes += s.Bytes
	sec := int(max(s.Start, 0) / time.Second)
	for len(a.bySecond) <= sec {
		a.bySecond = append(a.bySecond, secondAcc{})
	}
	a.bySecond[sec].lat = append(a.bySecond[sec].lat, us)
	if s.Failed() {
		t.failures++
		a.bySecond[sec].failures++
		k := failKey{task: s.Endpoint, class: s.Class}
		if s.Class == HTTP {
			k.code = s.Status
		}
		a.failures[k]++
	}
	a.maxEnd = max(a.maxEnd, s.Start+s.Latency)
	a.hasSample = true
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
	parts := make([][]uint32, 0, len(a.byTask))
	total := Stats{Endpoint: -1, Name: "Aggregated", Min: time.Duration(math.MaxInt64)}
	var totalSum uint64
	var totalBytes int64
	for i := range a.byTask {
		t := &a.byTask[i]
		slices.Sort(t.lat)
		st := statsOf(t.lat, t.sum, t.failures, t.bytes, secs)
		st.Endpoint = i
		if i < len(a.cfg.Tasks) {
			st.Method, st.Name = a.cfg.Tasks[i].Method, a.cfg.Tasks[i].Path
		}
		sum.Endpoints = append(sum.Endpoints, st)
		parts = append(parts, t.lat)
		total.Requests += st.Requests
		total.Failures += st.Failures
		totalSum += t.sum
		totalBytes += t.bytes
		if st.Requests > 0 {
			total.Min = min(total.Min, st.Min)
			total.Max = max(total.Max, st.Max)
		}
	}
	if total.Requests == 0 {
		total.Min = 0
	} else {
		total.Avg = micros(float64(totalSum) / float64(total.Requests))
		total.AvgBytes = float64(totalBytes) / float64(total.Requests)
	}
	total.RPS, total.FailPerSec = float64(total.Requests)/secs, float64(total.Failures)/secs
	ps := mergedPercentiles(parts, summaryPercentiles)
	total.P50, total.P90, total.P95, total.P99, total.P999 = us(ps[0]), us(ps[1]), us(ps[2]), us(ps[3]), us(ps[4])
	sum.Total = total
	sum.Seconds = a.seconds()
	sum.Failures = a.failureCounts()
	return sum
}

func statsOf(sorted []uint32, sumUS uint64, failures, bytes int64, secs float64) Stats {
	st := Stats{Requests: int64(len(sorted)), Failures: failures}
	st.RPS, st.FailPerSec = float64(st.Requests)/secs, float64(failures)/secs
	if len(sorted) == 0 {
		return st
	}
	st.Avg = micros(float64(sumUS) / float64(len(sorted)))
	st.AvgBytes = float64(bytes) / float64(len(sorted))
	st.Min, st.Max = us(sorted[0]), us(sorted[len(sorted)-1])
	st.P50, st.P90 = us(Percentile(sorted, 50)), us(Percentile(sorted, 90))
	st.P95, st.P99 = us(Percentile(sorted, 95)), us(Percentile(sorted, 99))
	st.P999 = us(Percentile(sorted, 99.9))
	return st
}

func (a *Analyzer) seconds() []Second {
	out := make([]Second, len(a.bySecond))
	users, rates := a.cfg.Model != Open, a.cfg.Model == Open
	us0, rs := a.cfg.Schedule(), a.cfg.RateSchedule()
	for i := range a.bySecond {
		b := &a.bySecond[i]
		slices.Sort(b.lat)
		mid := time.Duration(i)*time.Second + 500*time.Millisecond
		s := Second{T: i, Requests: int64(len(b.lat)), Failures: b.failures,
			P50: us(Percentile(b.lat, 50)), P95: us(Percentile(b.lat, 95)), P99: us(Percentile(b.lat, 99))}
		if users && us0.SpawnRate > 0 {
			s.ActiveUsers = us0.At(mid)
		}
		if rates {
			s.TargetRate = rs.RateAt(mid)
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
