package analysis

import "exp/monitor"

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
}

// SummarizeResources reduces the resources rows of a run.
func SummarizeResources(us []monitor.Usage) Resources {
	var r Resources
	var tSum, tMach, gSum float64
	var tN, gN int
	for _, u := range us {
		r.PeakTimeWait = max(r.PeakTimeWait, u.SysTimeWait)
		switch u.Scope {
		case monitor.ScopeTarget:
			r.HasTarget = true
			tSum += u.CPUPct
			tMach += u.MachinePct
			tN++
			r.TargetCPUMax = max(r.TargetCPUMax, u.CPUPct)
			r.TargetMachineMax = max(r.TargetMachineMax, u.MachinePct)
			r.TargetRSSMax = max(r.TargetRSSMax, u.RSS)
			r.PeakEstablished = max(r.PeakEstablished, u.TCPEstablished)
		case monitor.ScopeGenerator:
			gSum += u.CPUPct
			gN++
			r.GeneratorCPUMax = max(r.GeneratorCPUMax, u.CPUPct)
			r.GeneratorRSSMax = max(r.GeneratorRSSMax, u.RSS)
		case monitor.ScopeSystem:
			r.SystemCPUMax = max(r.SystemCPUMax, u.MachinePct)
		}
	}
	if tN > 0 {
		r.TargetCPUMean, r.TargetMachMean = tSum/float64(tN), tMach/float64(tN)
	}
	if gN > 0 {
		r.GeneratorCPUMean = gSum / float64(gN)
	}
	r.Readings = gN
	return r
}
