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
// ladder of each endpoint and the per-second history. It keeps each
// sample's latency (4 bytes) twice, once by endpoint and once by second,
// as the analysis of a run does once.
type Accumulator struct {
	byEndpoint [][]uint32 // µs
	bySecond   []second
}

type second struct {
	lat      []uint32 // µs
	failures int64
	bytes    int64
	sumUS    uint64
}

// NewAccumulator is ready for the samples of a run with that many
// endpoints.
func NewAccumulator(endpoints int) *Accumulator {
	return &Accumulator{byEndpoint: make([][]uint32, endpoints)}
}

// Add counts one sample.
func (a *Accumulator) Add(s load.Sample) {
	us := units.Micros(s.Latency)
	ep := int(s.Endpoint)
	for ep >= len(a.byEndpoint) {
		a.byEndpoint = append(a.byEndpoint, nil)
	}
	a.byEndpoint[ep] = append(a.byEndpoint[ep], us)
	t := max(int(s.Start/time.Second), 0)
	for t >= len(a.bySecond) {
		a.bySecond = append(a.bySecond, second{})
	}
	sec := &a.bySecond[t]
	sec.lat = append(sec.lat, us)
	sec.sumUS += uint64(us)
	sec.bytes += s.Bytes
	if s.Failed() {
		sec.failures++
	}
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
// requests that started in it (Requests/s, Failures/s) and their exact
// percentiles; the Total columns run over every second up to it, the
// median within the 3 significant digits of an HDR histogram. users gives
// each second's active users, as the run's Seconds hold them.
func (a *Accumulator) History(start time.Time, secs []analysis.Second) []HistoryRow {
	n := max(len(a.bySecond), len(secs))
	out := make([]HistoryRow, n)
	cum := hdrhistogram.New(1, int64(time.Hour/time.Microsecond), 3)
	var req, fails, bytes int64
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
			r.RPS, r.FailPerSec, r.Pct = float64(len(s.lat)), float64(s.failures), ladderOf(s.lat)
			for _, v := range s.lat {
				cum.RecordValue(int64(max(v, 1)))
			}
			if len(s.lat) > 0 {
				lo, hi = min(lo, s.lat[0]), max(hi, s.lat[len(s.lat)-1])
			}
			req, fails, bytes, sumUS = req+int64(len(s.lat)), fails+s.failures, bytes+s.bytes, sumUS+s.sumUS
		}
		r.TotalRequests, r.TotalFailures = req, fails
		if req > 0 {
			r.TotalMedian = float64(cum.ValueAtQuantile(50)) / 1000
			r.TotalAvg = float64(sumUS) / float64(req) / 1000
			r.TotalMin, r.TotalMax = float64(lo)/1000, float64(hi)/1000
			r.TotalAvgSize = float64(bytes) / float64(req)
		}
		out[t] = r
	}
	return out
}
