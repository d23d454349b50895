package verdict

import (
	"cmp"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"slices"
	"time"
)

// Thresholds of the plateau detection (see the package doc).
const (
	// SustainWindow is the length, in whole seconds, of the rolling mean
	// that gives the highest sustained throughput.
	SustainWindow = 3
	// KneeShare: the first load level whose throughput reaches this share
	// of the best level's has reached the plateau (the knee).
	KneeShare = 0.90
	// FlatSpan: throughput counts as flat when the load went on to at
	// least this many times the knee's without throughput following.
	FlatSpan = 1.25
	// KeepUpShare: throughput per user (or per offered request) at the
	// top load below this share of what it was at lower loads means
	// throughput no longer keeps up with the load.
	KeepUpShare = 0.80
	// QueueInflation: latency this far above its floor (as a share of the
	// floor) means requests wait for the server, not just for their work.
	QueueInflation = 0.5
	// QueueMinExcess: and at least this far in absolute terms, so the
	// jitter of sub-millisecond requests does not count as queueing.
	QueueMinExcess = time.Millisecond
	// InflightFull: requests in flight (Little's law) at this share of the
	// open model's slots count as all of them taken.
	InflightFull = 0.8
)

// Level is the throughput of a run at one load: the whole seconds that
// ran with that many active users (closed model) or at that target rate
// (open model).
type Level struct {
	Load     float64 // active users, or target requests per second
	Seconds  int     // how many whole seconds ran at this load
	RPS      float64 // mean successful responses per second over them (by completion)
	P50      time.Duration
	P95, P99 time.Duration // each the median of those seconds' figures
}

// Plateau says where a run's throughput stopped growing with its load.
type Plateau struct {
	PeakRPS  float64 // highest mean over SustainWindow steady whole seconds
	PeakAt   int     // the window's first second
	PeakLoad float64 // mean load during that window
	Levels   []Level // by load, lowest first
	TopLoad  float64 // the highest load level reached
	TopRPS   float64 // throughput at that level
	// Flat: throughput stopped growing with load. When the load levels
	// span FlatSpan, from them: load rose past the knee by FlatSpan, or
	// throughput per unit of load fell (Slowed). Otherwise from latency:
	// requests queued (Inflation or LatencyGrowth above their bounds).
	Flat     bool
	KneeLoad float64 // load where throughput stopped growing; 0 when it did not
	KneeRPS  float64 // throughput at the knee
	// Slowed: throughput still rose past KneeLoad, but it no longer kept
	// up with the load: Efficiency (throughput per unit of load at the
	// top over that below) fell under KeepUpShare.
	Slowed     bool
	Efficiency float64
	// KneeAtMost: the run had no load level below the queueing one, so
	// throughput stopped growing at or below KneeLoad.
	KneeAtMost bool
	// Inflation is how far the median latency sat above its floor (each
	// endpoint's fastest request), as a share of the floor, weighted by
	// requests; Excess is the same in time.
	Inflation float64
	Excess    time.Duration
	// LatencyGrowth is the p50 at the top load level over the p50 at the
	// lowest (1 when there is one level).
	LatencyGrowth float64
	Open          bool // the load is a target rate, not users
	// Collapsed: throughput fell past its peak (PeakLevel) to under
	// FallShare of it, first at CollapseLoad.
	Collapsed    bool
	PeakLevel    Level
	CollapseLoad float64
	CollapseRPS  float64
	// Open model: the offered rate against what was achieved over the
	// steady seconds, the share of requests dropped or failed, and why
	// the run counts as saturated (Behind, Failing, Rising), if it does.
	Offered, Achieved float64
	FailShare         float64
	Behind            bool // achieved under (1 − OfferedGap) of offered
	Failing           bool // dropped and failed over OpenFailShare of requests
	Rising            bool // latency grew over the seconds of one constant rate
	RiseFrom, RiseTo  time.Duration
}

// Thresholds of the open model's saturation and of a collapse.
const (
	// OfferedGap: achieved throughput this far under the offered rate
	// means the server did not keep up.
	OfferedGap = 0.05
	// OpenFailShare: dropped and failed requests over this share of the
	// requests mean the server did not keep up.
	OpenFailShare = 0.01
	// FallShare: throughput at the top load under this share of the peak
	// is a collapse, not a plateau.
	FallShare = 0.90
)

// LoadUnit names what Load counts.
func (p Plateau) LoadUnit() string {
	if p.Open {
		return "req/s offered"
	}
	return "users"
}

// FullSeconds returns the seconds that lie wholly inside the run (the last,
// partial second is dropped) and had load, so rates are not diluted.
func FullSeconds(model load.Model, s analysis.Summary) []analysis.Second {
	n := len(s.Seconds)
	if s.Duration > 0 {
		n = min(n, int(s.Duration/time.Second))
	} else if n > 0 {
		n--
	}
	out := make([]analysis.Second, 0, n)
	for _, sec := range s.Seconds[:n] {
		if loadOf(model, sec) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

func loadOf(model load.Model, s analysis.Second) float64 {
	if model == load.Open {
		return s.TargetRate
	}
	return float64(s.ActiveUsers)
}

// Levels groups whole seconds by load, lowest load first.
func Levels(model load.Model, secs []analysis.Second) []Level {
	by := map[float64][]analysis.Second{}
	for _, s := range secs {
		l := loadOf(model, s)
		by[l] = append(by[l], s)
	}
	out := make([]Level, 0, len(by))
	for load, ss := range by {
		var req int64
		for _, s := range ss {
			req += s.Successes
		}
		out = append(out, Level{Load: load, Seconds: len(ss), RPS: float64(req) / float64(len(ss)),
			P50: medianOf(ss, func(s analysis.Second) time.Duration { return s.P50 }),
			P95: medianOf(ss, func(s analysis.Second) time.Duration { return s.P95 }),
			P99: medianOf(ss, func(s analysis.Second) time.Duration { return s.P99 })})
	}
	slices.SortFunc(out, func(a, b Level) int { return cmp.Compare(a.Load, b.Load) })
	return out
}

func medianOf(ss []analysis.Second, f func(analysis.Second) time.Duration) time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		ds[i] = f(s)
	}
	slices.Sort(ds)
	return ds[(len(ds)-1)/2]
}

// SteadySeconds are the whole seconds at the run's highest load, without
// the first of them (spent arriving there) when enough remain; the last
// SustainWindow+2 whole seconds when the top load lasted less than that.
// Throughput is compared over them.
func SteadySeconds(model load.Model, s analysis.Summary) []analysis.Second {
	full := FullSeconds(model, s)
	if len(full) == 0 {
		return nil
	}
	top := 0.0
	for _, sec := range full {
		top = max(top, loadOf(model, sec))
	}
	var out []analysis.Second
	for _, sec := range full {
		if loadOf(model, sec) == top {
			out = append(out, sec)
		}
	}
	if len(out) > SustainWindow {
		out = out[1:]
	}
	if len(out) < SustainWindow {
		out = full[max(0, len(full)-SustainWindow-2):]
	}
	return out
}

// FindPlateau locates the highest sustained throughput of a run and the
// load at which throughput stopped growing.
func FindPlateau(model load.Model, s analysis.Summary) Plateau {
	p := Plateau{Open: model == load.Open, LatencyGrowth: 1}
	full := FullSeconds(model, s)
	p.PeakRPS, p.PeakAt, p.PeakLoad = sustainedPeak(model, full)
	p.Levels = Levels(model, full)
	p.Inflation, p.Excess = latencyInflation(s.Endpoints)
	if len(p.Levels) == 0 {
		return p
	}
	lo, top := p.Levels[0], p.Levels[len(p.Levels)-1]
	p.TopLoad, p.TopRPS = top.Load, top.RPS
	if lo.P50 > 0 {
		p.LatencyGrowth = float64(top.P50) / float64(lo.P50)
	}
	// Little's law in a closed model: users / (latency + think time) is the
	// throughput, so more users at the same latency must mean more
	// throughput. Flat throughput without latency growth there is the
	// noise of short ramp levels, not a plateau.
	// Between load levels like is compared with like, so below a
	// millisecond a growth by half of the lower level's p50 counts too: a
	// server answering in 0.25 ms whose p50 doubled when the users did,
	// throughput flat, is saturated.
	queued := (p.Inflation >= QueueInflation && p.Excess >= QueueMinExcess) ||
		(p.LatencyGrowth >= 1+QueueInflation && top.P50-lo.P50 >= min(QueueMinExcess, lo.P50/2))
	switch {
	case top.Load < FlatSpan*lo.Load:
		// One load, or loads too close to show growth: judge by latency.
		// Requests that queue mean the knee lies at or below this load.
		if queued {
			p.Flat, p.KneeLoad, p.KneeRPS, p.KneeAtMost = true, lo.Load, lo.RPS, true
		}
	case !p.Open && !queued:
	case top.Load >= FlatSpan*kneeLevel(p.Levels).Load:
		knee := kneeLevel(p.Levels)
		p.Flat, p.KneeLoad, p.KneeRPS = true, knee.Load, knee.RPS
	default:
		below, eff := efficiency(p.Levels)
		if eff < KeepUpShare {
			p.Flat, p.Slowed, p.KneeLoad, p.KneeRPS, p.Efficiency = true, true, below.Load, below.RPS, eff
		}
	}
	p.findCollapse()
	if p.Open {
		p.openSaturation(s, full)
	}
	return p
}

// efficiency compares the throughput per unit of load at the top level
// with that of all levels at most 1/FlatSpan of the top's load, pooled by
// seconds. It returns the highest of those levels and the ratio: about 1
// while throughput follows the load.
func efficiency(levels []Level) (Level, float64) {
	top := levels[len(levels)-1]
	var below Level
	var perLoad, secs float64
	for _, l := range levels {
		if l.Load*FlatSpan > top.Load {
			break
		}
		below = l
		perLoad += l.RPS / l.Load * float64(l.Seconds)
		secs += float64(l.Seconds)
	}
	if secs == 0 || perLoad == 0 {
		return top, 1
	}
	return below, (top.RPS / top.Load) / (perLoad / secs)
}

// kneeLevel is the first level whose throughput reaches KneeShare of the
// throughput at the top load, when that load held for two seconds or
// more (a steady figure, and the one the server ended at), of the best
// level's otherwise.
func kneeLevel(levels []Level) Level {
	top := levels[len(levels)-1]
	ref := top.RPS
	if top.Seconds < 2 {
		for _, l := range levels {
			ref = max(ref, l.RPS)
		}
	}
	for _, l := range levels {
		if l.RPS >= KneeShare*ref {
			return l
		}
	}
	return top
}

// sustainedPeak is the best mean of SustainWindow consecutive whole
// seconds at a steady load, its first second and the load. A second in
// which the load changed is left out: requests are counted when they
// start, and users joining a closed run each send one at once, a burst
// the server does not sustain. Without SustainWindow steady seconds in a
// row, the windows shrink to what the run has; with no steady second at
// all (a run that only ramps), every second counts.
func sustainedPeak(model load.Model, secs []analysis.Second) (rps float64, at int, load float64) {
	if len(secs) == 0 {
		return 0, 0, 0 // a run cut short before its first whole second
	}
	var runs [][]analysis.Second // stretches of consecutive seconds at one load
	for i, s := range secs {
		if i == 0 || loadOf(model, s) != loadOf(model, secs[i-1]) || s.T != secs[i-1].T+1 {
			runs = append(runs, nil) // a change: this second is not steady
			continue
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], s)
	}
	w := 0
	for _, r := range runs {
		w = max(w, min(len(r), SustainWindow))
	}
	if w == 0 {
		runs, w = [][]analysis.Second{secs}, min(len(secs), SustainWindow)
	}
	found := false
	for _, r := range runs {
		for i := 0; i+w <= len(r); i++ {
			var req int64
			var l float64
			for _, s := range r[i : i+w] {
				req += s.Successes
				l += loadOf(model, s)
			}
			if m := float64(req) / float64(w); !found || m > rps {
				rps, at, load, found = m, r[i].T, l/float64(w), true
			}
		}
	}
	return rps, at, load
}

// latencyInflation compares each endpoint's median successful latency
// with its floor (a low percentile of its successful requests, so one
// fast outlier, or a fast failure, cannot lower it):
// Σ n·(p50−floor) / Σ n·floor, and the same excess in time per request.
func latencyInflation(eps []analysis.Stats) (float64, time.Duration) {
	var excess, floor float64
	var n int64
	for _, e := range eps {
		if e.Successes == 0 {
			continue
		}
		excess += float64(e.Successes) * float64(max(e.SuccessP50-e.Floor, 0))
		floor += float64(e.Successes) * float64(e.Floor)
		n += e.Successes
	}
	if n == 0 {
		return 0, 0
	}
	perReq := time.Duration(excess / float64(n))
	if floor == 0 {
		return 0, perReq
	}
	return excess / floor, perReq
}

// String gives the plateau as one line of text.
func (p Plateau) String() string {
	if len(p.Levels) == 0 {
		return "no whole second of load to judge"
	}
	u := p.LoadUnit()
	s := fmt.Sprintf("highest sustained successful throughput %s req/s (best %d s, from second %d, at %s %s)",
		units.Rate(p.PeakRPS), SustainWindow, p.PeakAt, units.Number(p.PeakLoad), u)
	switch {
	case !p.Flat && p.TopLoad < FlatSpan*p.Levels[0].Load:
		return s + fmt.Sprintf("; no sign of a limit at %s %s", units.Number(p.TopLoad), u)
	case !p.Flat:
		return s + fmt.Sprintf("; still growing at %s %s", units.Number(p.TopLoad), u)
	case p.KneeAtMost:
		return s + fmt.Sprintf("; stopped growing at or below %s %s", units.Number(p.KneeLoad), u)
	case p.Collapsed:
		return s + fmt.Sprintf("; stopped growing at %s %s (%s req/s), then collapsed to %s req/s at %s %s",
			units.Number(p.KneeLoad), u, units.Rate(p.KneeRPS), units.Rate(p.CollapseRPS), units.Number(p.CollapseLoad), u)
	case p.Slowed:
		return s + fmt.Sprintf("; stopped keeping up with the load past %s %s (%s req/s)", units.Number(p.KneeLoad), u, units.Rate(p.KneeRPS))
	}
	return s + fmt.Sprintf("; stopped growing at %s %s (%s req/s)", units.Number(p.KneeLoad), u, units.Rate(p.KneeRPS))
}
