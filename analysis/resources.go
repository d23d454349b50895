package analysis

import (
	"exp/monitor"
	"slices"
	"time"
)

// Resources sums up a run's resource samples for the summary and compare.
type Resources struct {
	HasTarget        bool
	TargetCPUMean    float64 // % of one core
	TargetCPUMax     float64
	TargetMachineMax float64 // % of the whole machine
	TargetMachMean   float64
	TargetRSSMax     uint64
	GeneratorCPUMean float64
	GeneratorCPUMax  float64
	GeneratorRSSMax  uint64
	SystemCPUMax     float64 // % of the whole machine
	PeakTimeWait     int     // the machine's TIME_WAIT count at its highest
	PeakEstablished  int     // connections to the target's port at their highest
	Readings         int     // readings per scope (the generator's)
	// Medians over the readings, which a sustained limit needs (a single
	// peak does not make a bottleneck).
	TargetCPUMedian   float64 // % of one core
	TargetMachMedian  float64 // % of the whole machine
	SystemCPUMedian   float64 // % of the whole machine
	GeneratorMachMean float64 // % of the whole machine
	TargetReadings    int
}

// SummarizeResources reduces the resources rows of a run.
func SummarizeResources(us []monitor.Usage) Resources {
	var r Resources
	var tSum, tMach, gSum, gMach float64
	var tN, gN int
	var tCPU, tMachs, sys []float64
	for _, u := range us {
		r.PeakTimeWait = max(r.PeakTimeWait, u.SysTimeWait)
		switch u.Scope {
		case monitor.ScopeTarget:
			r.HasTarget = true
			tSum += u.CPUPct
			tMach += u.MachinePct
			tN++
			tCPU, tMachs = append(tCPU, u.CPUPct), append(tMachs, u.MachinePct)
			r.TargetCPUMax = max(r.TargetCPUMax, u.CPUPct)
			r.TargetMachineMax = max(r.TargetMachineMax, u.MachinePct)
			r.TargetRSSMax = max(r.TargetRSSMax, u.RSS)
			r.PeakEstablished = max(r.PeakEstablished, u.TCPEstablished)
		case monitor.ScopeGenerator:
			gSum += u.CPUPct
			gMach += u.MachinePct
			gN++
			r.GeneratorCPUMax = max(r.GeneratorCPUMax, u.CPUPct)
			r.GeneratorRSSMax = max(r.GeneratorRSSMax, u.RSS)
		case monitor.ScopeSystem:
			r.SystemCPUMax = max(r.SystemCPUMax, u.MachinePct)
			sys = append(sys, u.MachinePct)
		}
	}
	if tN > 0 {
		r.TargetCPUMean, r.TargetMachMean = tSum/float64(tN), tMach/float64(tN)
	}
	if gN > 0 {
		r.GeneratorCPUMean, r.GeneratorMachMean = gSum/float64(gN), gMach/float64(gN)
	}
	r.Readings, r.TargetReadings = gN, tN
	r.TargetCPUMedian, r.TargetMachMedian, r.SystemCPUMedian = median(tCPU), median(tMachs), median(sys)
	return r
}

// ResourcesWithin reduces the readings whose interval has its middle
// within [from, to) of the run: the resources of the seconds a verdict
// decides on. A reading covers the interval before it, so one taken at
// 5.003 s is of second 4. Peaks of connections, TIME_WAIT and memory stay
// the whole run's, since one moment of them is what matters.
func ResourcesWithin(us []monitor.Usage, from, to time.Duration) Resources {
	half := readingInterval(us) / 2
	var in []monitor.Usage
	for _, u := range us {
		if mid := u.T - half; mid >= from && mid < to {
			in = append(in, u)
		}
	}
	r, all := SummarizeResources(in), SummarizeResources(us)
	r.PeakTimeWait, r.PeakEstablished = all.PeakTimeWait, all.PeakEstablished
	r.TargetRSSMax, r.GeneratorRSSMax = all.TargetRSSMax, all.GeneratorRSSMax
	return r
}

// readingInterval is the median time between the generator's readings
// (always taken), one second when there are too few to tell.
func readingInterval(us []monitor.Usage) time.Duration {
	var last time.Duration
	var gaps []float64
	for _, u := range us {
		if u.Scope != monitor.ScopeGenerator {
			continue
		}
		if last > 0 {
			gaps = append(gaps, float64(u.T-last))
		}
		last = u.T
	}
	if len(gaps) == 0 {
		return time.Second
	}
	return time.Duration(median(gaps))
}

// median of xs (sorted in place); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
