package verdict

import (
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"strings"
)

// Kind is a bottleneck verdict; its value is the verdict as printed.
type Kind string

// Bottleneck verdicts.
const (
	GeneratorBound   Kind = "generator-bound"
	ConnectionBound  Kind = "connection-bound"
	CPUBound         Kind = "cpu-bound"
	ConcurrencyBound Kind = "concurrency-bound"
	NotSaturated     Kind = "not saturated"
	// Saturated: throughput was flat but the target's CPU was not
	// monitored, so cpu-bound cannot be told from concurrency-bound.
	Saturated Kind = "saturated"
	// TargetStopped: the target process exited mid-run; what followed
	// were the errors of a dead server, not its limits.
	TargetStopped Kind = "target stopped answering"
)

// Thresholds of the verdict rules (see the package doc).
const (
	GeneratorShare = 0.80 // generator mean CPU over the CPU it can use
	CPUShare       = 0.85 // target peak CPU over the CPU it can use
	MachineShare   = 0.95 // machine CPU above which the target shares a full machine
	ConnFailShare  = 0.01 // port-exhaustion, refused and reset over requests
	RejectShare    = 0.01 // http-503 over requests: the server turns work away
)

// VerdictInput is what the verdict is decided from: one run's analysis,
// resources and setting, as plain values.
type VerdictInput struct {
	Model     load.Model       // Closed or Open
	Summary   analysis.Summary // Total, Endpoints, Seconds, Failures, Duration
	Resources analysis.Resources
	// TargetLimit is the CPU the target can use, in % of one core: 100 per
	// core, but 100 for a server that handles one request at a time.
	TargetLimit float64
	// GeneratorLimit is the CPU the load generator can use (100 per core).
	GeneratorLimit float64
	// Concurrency is how many requests the server handles at once; 0 when
	// unbounded or unknown.
	Concurrency int
	Warnings    []analysis.Warning // stored with the run; decided from by code
}

// Verdict is the bottleneck of a run and the numbers that decided it.
type Verdict struct {
	Kind     Kind
	Evidence []string
	Plateau  Plateau
}

// Diagnose decides a run's bottleneck. The rules, first match wins:
// target stopped answering (its process exited mid-run), connection-bound
// (before generator-bound: failed connections return at once, so a
// generator with no think time spins on them), generator-bound, not
// saturated, then (throughput flat)
// cpu-bound, concurrency-bound, or saturated when the target's CPU is
// unknown.
func Diagnose(in VerdictInput) Verdict {
	p := FindPlateau(in.Model, in.Summary)
	v := Verdict{Plateau: p}
	ev := func(format string, a ...any) { v.Evidence = append(v.Evidence, fmt.Sprintf(format, a...)) }
	res, total := in.Resources, in.Summary.Total
	if w, ok := analysis.FindWarning(in.Warnings, analysis.TargetStopped); ok {
		v.Kind = TargetStopped
		ev("warning stored with the run: %s", w.Text)
		if n, classes := connectionFailures(in.Summary.Failures); n > 0 {
			ev("%d of %d requests failed to connect or were cut: %s", n, total.Requests, classes)
		}
		ev("the figures measure a server that was gone, not its limits: run it again")
		return v
	}
	if n, classes := connectionFailures(in.Summary.Failures); total.Requests > 0 &&
		float64(n) >= ConnFailShare*float64(total.Requests) {
		v.Kind = ConnectionBound
		ev("%d of %d requests (%.1f%%) failed to connect or were cut: %s", n, total.Requests,
			100*float64(n)/float64(total.Requests), classes)
		ev("peak TIME_WAIT %d, peak connections to the target %d", res.PeakTimeWait, res.PeakEstablished)
		if generatorBusy(in) {
			// Failing connections return at once: users without think
			// time then spin, which is why the generator's CPU was high.
			ev("generator CPU mean %.0f%% of one core: failed requests return at once, so users spin", res.GeneratorCPUMean)
		}
		return v
	}
	if w, warned := analysis.FindWarning(in.Warnings, analysis.GeneratorSaturated); warned || generatorBusy(in) {
		v.Kind = GeneratorBound
		ev("generator CPU mean %.0f%%, max %.0f%% of one core; it can use %.0f%% (%.0f%% counts as its limit)",
			res.GeneratorCPUMean, res.GeneratorCPUMax, in.GeneratorLimit, GeneratorShare*100)
		if warned {
			ev("warning stored with the run: %s", w.Text)
		}
		ev("the figures may be the load generator's limits, not the server's")
		return v
	}
	if !p.Flat {
		v.Kind = NotSaturated
		growthEvidence(&v, p)
		return v
	}
	flatEvidence(&v, p)
	switch {
	case !res.HasTarget:
		v.Kind = Saturated
		ev("the target's CPU was not monitored: cannot tell cpu-bound from concurrency-bound")
	case cpuBusy(in):
		v.Kind = CPUBound
		ev("target CPU max %.0f%%, mean %.0f%% of one core; it can use %.0f%%", res.TargetCPUMax,
			res.TargetCPUMean, in.TargetLimit)
		if res.SystemCPUMax >= MachineShare*100 {
			ev("the machine's CPU peaked at %.0f%%", res.SystemCPUMax)
		}
	default:
		v.Kind = ConcurrencyBound
		ev("target CPU max %.0f%% of one core, far below the %.0f%% it can use", res.TargetCPUMax, in.TargetLimit)
		concurrencyEvidence(&v, in)
	}
	return v
}

func generatorBusy(in VerdictInput) bool {
	return in.GeneratorLimit > 0 && in.Resources.Readings > 0 &&
		in.Resources.GeneratorCPUMean >= GeneratorShare*in.GeneratorLimit
}

func cpuBusy(in VerdictInput) bool {
	r := in.Resources
	if in.TargetLimit <= 0 {
		return false
	}
	if r.TargetCPUMax >= CPUShare*in.TargetLimit {
		return true
	}
	// On a full machine the target cannot reach its own limit.
	return r.SystemCPUMax >= MachineShare*100 && r.TargetCPUMax >= 0.5*in.TargetLimit
}

// connectionFailures counts the failures that mean connections, not
// requests, ran out, and names their classes.
func connectionFailures(fs []analysis.FailureCount) (int64, string) {
	by := map[string]int64{}
	var order []string
	var n int64
	for _, f := range fs {
		switch f.Class {
		case load.PortExhaustion.String(), load.Refused.String(), load.Reset.String():
			if by[f.Class] == 0 {
				order = append(order, f.Class)
			}
			by[f.Class] += f.Count
			n += f.Count
		}
	}
	parts := make([]string, len(order))
	for i, c := range order {
		parts[i] = fmt.Sprintf("%s %d", c, by[c])
	}
	return n, strings.Join(parts, ", ")
}

func rejected(fs []analysis.FailureCount) int64 {
	var n int64
	for _, f := range fs {
		if f.Class == "http-503" {
			n += f.Count
		}
	}
	return n
}

func growthEvidence(v *Verdict, p Plateau) {
	u := p.LoadUnit()
	switch {
	case len(p.Levels) == 0:
		v.Evidence = append(v.Evidence, "no whole second of load: nothing to judge")
		return
	case len(p.Levels) > 1:
		lo := p.Levels[0]
		v.Evidence = append(v.Evidence, fmt.Sprintf("throughput %.1f req/s at %s %s, %.1f req/s at %s %s: it follows the load",
			lo.RPS, units.Number(lo.Load), u, p.TopRPS, units.Number(p.TopLoad), u))
	default:
		v.Evidence = append(v.Evidence, fmt.Sprintf("throughput %.1f req/s at %s %s (one load level)",
			p.TopRPS, units.Number(p.TopLoad), u))
	}
	v.Evidence = append(v.Evidence, fmt.Sprintf("median latency %s above its floor (+%s): requests do not queue",
		units.Latency(p.Excess), units.Pct(100*p.Inflation)))
}

func flatEvidence(v *Verdict, p Plateau) {
	u := p.LoadUnit()
	switch {
	case p.Slowed:
		per := "user"
		if p.Open {
			per = "offered request"
		}
		v.Evidence = append(v.Evidence, fmt.Sprintf("throughput %.1f req/s at %s %s and %.1f req/s at %s %s: per %s it fell to %.0f%% of what it was at lower load",
			p.KneeRPS, units.Number(p.KneeLoad), u, p.TopRPS, units.Number(p.TopLoad), u, per, 100*p.Efficiency))
	case !p.KneeAtMost:
		v.Evidence = append(v.Evidence, fmt.Sprintf("throughput %.1f req/s at %s %s and %.1f req/s at %s %s: flat",
			p.KneeRPS, units.Number(p.KneeLoad), u, p.TopRPS, units.Number(p.TopLoad), u))
	}
	if p.LatencyGrowth > 1+QueueInflation && len(p.Levels) > 1 {
		lo, top := p.Levels[0], p.Levels[len(p.Levels)-1]
		v.Evidence = append(v.Evidence, fmt.Sprintf("p50 latency %s at %s %s, %s at %s %s (×%.1f): it grows with the load",
			units.Latency(lo.P50), units.Number(lo.Load), u, units.Latency(top.P50), units.Number(top.Load), u, p.LatencyGrowth))
	}
	if p.Inflation >= QueueInflation && p.Excess >= QueueMinExcess {
		v.Evidence = append(v.Evidence, fmt.Sprintf("median latency %s above its floor (+%s): requests queue",
			units.Latency(p.Excess), units.Pct(100*p.Inflation)))
	}
}

// concurrencyEvidence gives Little's law: requests in flight = throughput
// × mean latency, against what the server handles at once.
func concurrencyEvidence(v *Verdict, in VerdictInput) {
	t := in.Summary.Total
	inflight := t.RPS * t.Avg.Seconds()
	line := fmt.Sprintf("Little's law: in flight ≈ %.1f req/s × %s mean latency = %.1f requests",
		t.RPS, units.Latency(t.Avg), inflight)
	if in.Concurrency > 0 {
		line += fmt.Sprintf("; the server handles %d at once, so about %.0f wait", in.Concurrency,
			max(inflight-float64(in.Concurrency), 0))
	}
	v.Evidence = append(v.Evidence, line)
	if n := rejected(in.Summary.Failures); t.Requests > 0 && float64(n) >= RejectShare*float64(t.Requests) {
		v.Evidence = append(v.Evidence, fmt.Sprintf("%d requests (%.1f%%) answered 503: its queue was full",
			n, 100*float64(n)/float64(t.Requests)))
	}
}
