package locust

import (
	"exp/analysis"
	"exp/load"
	"exp/units"
	"math"
	"slices"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Accumulator computes, in one pass over a run's samples, the percentile
// ladder of each endpoint and the per-second history, with the README's
// definitions: latencies (and sizes) are those of the requests that got a
// response; a dropped, refused or cancelled request counts as a request
// and a failure, never as a latency; Requests/s is the responses that
// completed in the second. It keeps each answered request's latency (4
// bytes) twice, once by endpoint and once by second, as the analysis of a
// run does once.
type Accumulator struct {
	byEndpoint [][]uint32 // µs, of answered requests
	bySecond   []second
}

type second struct {
	lat       []uint32 // µs, of the answered requests started in the second
	requests  int64    // started in it
	failures  int64    // of them, failed
	responses int64    // completed in it
	bytes     int64    // of the answered
	sumUS     uint64
}

// NewAccumulator is ready for the samples of a run with that many
// endpoints.
func NewAccumulator(endpoints int) *Accumulator {
	return &Accumulator{byEndpoint: make([][]uint32, endpoints)}
}

// Add counts one sample.
func (a *Accumulator) Add(s load.Sample) {
	ep := int(s.Endpoint)
	for ep >= len(a.byEndpoint) {
		a.byEndpoint = append(a.byEndpoint, nil)
	}
	sec := a.second(int(s.Start / time.Second))
	sec.requests++
	if s.Failed() {
		sec.failures++
	}
	if !s.Responded() {
		return
	}
	us := units.Micros(s.Latency)
	a.byEndpoint[ep] = append(a.byEndpoint[ep], us)
	sec.lat = append(sec.lat, us)
	sec.sumUS += uint64(us)
	sec.bytes += s.Bytes
	a.second(int((s.Start+s.Latency)/time.Second)).responses++
}

// second gives the accumulator of second t (0 for a negative one).
func (a *Accumulator) second(t int) *second {
	t = max(t, 0)
	for t >= len(a.bySecond) {
		a.bySecond = append(a.bySecond, second{})
	}
	return &a.bySecond[t]
}

func ladderOf(sorted []uint32) Ladder {
	if len(sorted) == 0 {
		return NoLadder()
	}
	var l Ladder
	for i, p := range Percentiles {
		l[i] = float64(analysis.Percentile(sorted, p)) / 1000
	}
	return l
}

// Ladders gives the exact (nearest-rank) percentile ladder of each
// endpoint that had requests, and of all of them (-1).
func (a *Accumulator) Ladders() map[int]Ladder {
	out := map[int]Ladder{}
	var all []uint32
	for i, lat := range a.byEndpoint {
		slices.Sort(lat)
		if len(lat) > 0 {
			out[i] = ladderOf(lat)
		}
		all = append(all, lat...)
	}
	slices.Sort(all)
	out[-1] = ladderOf(all)
	return out
}

// History gives one Aggregated row per second of the run, as Locust's
// history lists them, with exp's meaning of the window figures: the row
// of second t (Timestamp start+t+1, when the second ended) has the
// responses that completed in it (Requests/s, throughput), the failures of
// the requests that started in it (Failures/s) and the exact percentiles
// of their answered ones; the Total columns run over every second up to
// it (counts of every request, latencies of the answered), the median
// within the 3 significant digits of an HDR histogram. users gives each
// second's active users, as the run's Seconds hold them.
func (a *Accumulator) History(start time.Time, secs []analysis.Second) []HistoryRow {
	n := max(len(a.bySecond), len(secs))
	out := make([]HistoryRow, n)
	cum := hdrhistogram.New(1, int64(time.Hour/time.Microsecond), 3)
	var req, fails, answered, bytes int64
	var sumUS uint64
	lo, hi := uint32(math.MaxUint32), uint32(0)
	for t := range out {
		r := HistoryRow{Timestamp: start.Unix() + int64(t) + 1, Name: Aggregated, Pct: NoLadder()}
		if t < len(secs) {
			r.UserCount = secs[t].ActiveUsers
		}
		if t < len(a.bySecond) {
			s := &a.bySecond[t]
			slices.Sort(s.lat)
			r.RPS, r.FailPerSec, r.Pct = float64(s.responses), float64(s.failures), ladderOf(s.lat)
			for _, v := range s.lat {
				cum.RecordValue(int64(max(v, 1)))
			}
			if len(s.lat) > 0 {
				lo, hi = min(lo, s.lat[0]), max(hi, s.lat[len(s.lat)-1])
			}
			req, fails, answered = req+s.requests, fails+s.failures, answered+int64(len(s.lat))
			bytes, sumUS = bytes+s.bytes, sumUS+s.sumUS
		}
		r.TotalRequests, r.TotalFailures = req, fails
		if answered > 0 {
			r.TotalMedian = float64(cum.ValueAtQuantile(50)) / 1000
			r.TotalAvg = float64(sumUS) / float64(answered) / 1000
			r.TotalMin, r.TotalMax = float64(lo)/1000, float64(hi)/1000
			r.TotalAvgSize = float64(bytes) / float64(answered)
		}
		out[t] = r
	}
	return out
}
