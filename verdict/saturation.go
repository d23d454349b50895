package verdict

import (
	"time"

	"exp/analysis"
	"exp/load"
)

// Past the plateau: a collapse after the peak, and the open model's
// saturation (behind the offered rate, failing, latency rising).

// findCollapse marks a run whose throughput fell past its peak: the knee
// is then the peak's, and the collapse where throughput first fell under
// FallShare of it.
func (p *Plateau) findCollapse() {
	if len(p.Levels) < 2 {
		return
	}
	peak := p.Levels[0]
	for _, l := range p.Levels {
		if l.RPS > peak.RPS && (l.Seconds >= 2 || len(p.Levels) == 1) {
			peak = l
		}
	}
	top := p.Levels[len(p.Levels)-1]
	if top.Load <= peak.Load || top.RPS >= FallShare*peak.RPS {
		return
	}
	p.Flat, p.Collapsed, p.PeakLevel, p.Slowed = true, true, peak, false
	knee := peak
	for _, l := range p.Levels {
		if l.RPS >= KneeShare*peak.RPS {
			knee = l
			break
		}
	}
	p.KneeLoad, p.KneeRPS, p.KneeAtMost = knee.Load, knee.RPS, false
	for _, l := range p.Levels {
		if l.Load > peak.Load && l.RPS < FallShare*peak.RPS {
			p.CollapseLoad, p.CollapseRPS = l.Load, l.RPS
			break
		}
	}
}

// openSaturation judges an open-model run: it is saturated when it
// achieved less than it was offered, when it dropped or failed more than
// OpenFailShare of its requests, or when latency rose over the seconds of
// one constant rate.
func (p *Plateau) openSaturation(s analysis.Summary, full []analysis.Second) {
	steady := SteadySeconds(load.Open, s)
	var offered, achieved float64
	for _, sec := range steady {
		offered += sec.TargetRate
		achieved += float64(sec.Successes)
	}
	if n := float64(len(steady)); n > 0 {
		p.Offered, p.Achieved = offered/n, achieved/n
	}
	if t := s.Total; t.Requests > 0 {
		p.FailShare = float64(t.Failures) / float64(t.Requests)
	}
	p.Behind = p.Offered > 0 && p.Achieved < (1-OfferedGap)*p.Offered
	p.Failing = p.FailShare > OpenFailShare
	if oneRate(steady) {
		// A ramp's latency may grow with its rate; only at one rate does
		// growing latency mean the queue grows.
		p.RiseFrom, p.RiseTo, p.Rising = latencyRise(steady)
	}
	if p.Behind || p.Failing || p.Rising {
		if !p.Flat {
			p.KneeLoad, p.KneeRPS, p.KneeAtMost = p.TopLoad, p.TopRPS, true
		}
		p.Flat = true
	}
}

// oneRate reports whether the seconds were offered one constant rate.
func oneRate(secs []analysis.Second) bool {
	for _, s := range secs {
		if s.TargetRate != secs[0].TargetRate {
			return false
		}
	}
	return len(secs) > 0
}

// latencyRise compares the median p50 of the first and the last third of
// seconds at one rate: rising when the last is QueueInflation above the
// first and QueueMinExcess more.
func latencyRise(steady []analysis.Second) (from, to time.Duration, rising bool) {
	if len(steady) < 3 {
		return 0, 0, false
	}
	third := len(steady) / 3
	from = medianOf(steady[:third], func(s analysis.Second) time.Duration { return s.P50 })
	to = medianOf(steady[len(steady)-third:], func(s analysis.Second) time.Duration { return s.P50 })
	return from, to, float64(to) >= (1+QueueInflation)*float64(from) && to-from >= QueueMinExcess
}
