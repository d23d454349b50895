package verdict

import (
	"fmt"

	"exp/analysis"
	"exp/load"
	"exp/units"
)

// The rules about CPU: the generator's, the target's and the machine's,
// and the open model's own in-flight cap.

// together: the target and the generator used a good share of the
// machine's CPU between them.
func together(res analysis.Resources) bool {
	return res.TargetMachMedian+res.GeneratorMachMean >= TogetherShare*res.SystemCPUMedian
}

// window names the readings the CPU figures are over, when not the whole
// run's.
func window(in VerdictInput) string {
	if in.CPUWindow == "" {
		return ""
	}
	return " (" + in.CPUWindow + ")"
}

// generatorBound: the generator's CPU was at its limit (a stored
// GeneratorSaturated warning, or its mean CPU): the figures are exp's.
func generatorBound(in VerdictInput, v *Verdict) bool {
	w, warned := analysis.FindWarning(in.Warnings, analysis.GeneratorSaturated)
	if !warned && !generatorBusy(in) {
		return false
	}
	res := in.Resources
	v.Kind = GeneratorBound
	v.add("generator CPU mean %.0f%%, max %.0f%% of one core; it can use %.0f%% (%.0f%% counts as its limit)",
		res.GeneratorCPUMean, res.GeneratorCPUMax, in.GeneratorLimit, GeneratorShare*100)
	if warned {
		v.add("warning stored with the run: %s", w.Text)
	}
	v.add("the figures may be the load generator's limits, not the server's")
	return true
}

// inflightCapped: an open run dropped requests because its own in-flight
// slots were full while the server answered at its latency floor: by
// Little's law the rate × latency asked for more slots than the run had,
// so the cap, not the server, limited it.
func inflightCapped(in VerdictInput, v *Verdict) bool {
	t, p := in.Summary.Total, v.Plateau
	if in.Model != load.Open || in.MaxInflight <= 0 || t.Requests == 0 ||
		float64(t.Dropped) < OpenFailShare*float64(t.Requests) ||
		(p.Inflation >= QueueInflation && p.Excess >= QueueMinExcess) {
		return false
	}
	answered := float64(t.Responses) / max(in.Summary.Duration.Seconds(), 1e-9)
	inflight := answered * t.Avg.Seconds()
	if inflight < InflightFull*float64(in.MaxInflight) {
		return false // the slots were not all taken: the drops came from elsewhere
	}
	v.Kind = GeneratorBound
	v.add("%d of %d requests (%.1f%%) were dropped: all %d in-flight slots were busy, while the median latency stayed near its floor (+%s): the server kept its pace",
		t.Dropped, t.Requests, 100*float64(t.Dropped)/float64(t.Requests), in.MaxInflight, units.Pct(100*p.Inflation))
	v.add("Little's law: in flight ≈ %s answers/s × %s mean latency = %.1f requests, the %d slots full: the in-flight cap limited the run, not the server; raise it (--max-inflight) above offered rate × latency",
		units.Rate(answered), units.Latency(t.Avg), inflight, in.MaxInflight)
	if p.Behind {
		v.add("achieved %s successful req/s of %s offered (%.0f%%)", units.Rate(p.Achieved), units.Rate(p.Offered), 100*p.Achieved/p.Offered)
	}
	return true
}

// machineBound: the whole machine's CPU was full and neither the target
// nor the generator used most of it: the two compete for one machine.
func machineBound(in VerdictInput, v *Verdict) bool {
	res := in.Resources
	if !res.HasTarget || res.SystemCPUMedian < MachineShare*100 || cpuBusy(in) || !together(res) ||
		res.TargetMachMedian >= ExplainShare*res.SystemCPUMedian || res.GeneratorMachMean >= ExplainShare*res.SystemCPUMedian {
		return false
	}
	v.Kind = MachineBound
	v.add("the machine's CPU median %.0f%% (max %.0f%%): the target used %.0f%% of the machine, the generator %.0f%%%s",
		res.SystemCPUMedian, res.SystemCPUMax, res.TargetMachMedian, res.GeneratorMachMean, window(in))
	v.add("the generator and the server compete for the machine: pin them to separate cores (taskset, start /affinity) or run the generator on another machine")
	if v.Plateau.Flat {
		// What the load showed stays in the evidence: an open model behind
		// its rate, dropping, or latency growing is still so.
		flatEvidence(v, v.Plateau)
	}
	return true
}

// wholeCores is the whole number of cores the target's CPU held at, when
// it held at one below what it can use while the machine had half a core
// idle or more (with none idle the server was held by the machine, not by
// its own design); 0 otherwise.
func wholeCores(in VerdictInput) int {
	r := in.Resources
	if r.TargetReadings < 3 || r.TargetCPUMedian < 100-WholeCoreSlack {
		return 0
	}
	if idle := (100 - r.SystemCPUMedian) / 100 * in.TargetLimit; r.SystemCPUMedian > 0 && idle < WholeCoreIdle {
		return 0
	}
	k := int(r.TargetCPUMedian/100 + 0.5)
	c := float64(k) * 100
	if r.TargetCPUMedian < c-WholeCoreSlack || r.TargetCPUMedian > c+WholeCoreSlack ||
		r.TargetCPUMax > c+1.5*WholeCoreSlack || c >= in.TargetLimit {
		return 0
	}
	return k
}

func coresText(k int) string {
	if k == 1 {
		return "one core"
	}
	return fmt.Sprintf("%d cores", k)
}

func generatorBusy(in VerdictInput) bool {
	return in.GeneratorLimit > 0 && in.Resources.Readings > 0 &&
		in.Resources.GeneratorCPUMean >= GeneratorShare*in.GeneratorLimit
}

// cpuBusy: the target's CPU stayed at what it can use: its median reading
// (half the run or more), not a single peak.
func cpuBusy(in VerdictInput) bool {
	r := in.Resources
	if in.TargetLimit <= 0 || r.TargetReadings == 0 {
		return false
	}
	// (On a full machine the target cannot reach its own limit: that is
	// machine-bound, decided before.)
	return r.TargetCPUMedian >= CPUShare*in.TargetLimit
}
