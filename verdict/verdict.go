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
	// Rejecting: the server answered a large share of requests with 503
	// or 429: overloaded, it turned work away. Failures are never
	// throughput.
	Rejecting Kind = "overloaded: rejecting"
	// MachineBound: the machine's CPU was full and neither the target nor
	// the generator alone explains it: they competed for one machine.
	MachineBound Kind = "machine-bound"
	// Incomplete: the store lost samples of the run; the seconds that miss
	// them look like a server that answered less, so no bottleneck is
	// judged from them.
	Incomplete Kind = "incomplete: samples lost"
)

// Thresholds of the verdict rules (see the package doc).
const (
	GeneratorShare = 0.80 // generator mean CPU over the CPU it can use
	CPUShare       = 0.85 // target median CPU over the CPU it can use: sustained, not a peak
	MachineShare   = 0.85 // machine CPU above which the target shares a full machine
	ConnFailShare  = 0.01 // port-exhaustion, refused and reset over requests
	// ConnPhaseShare: connect and TLS handshakes over latency from which
	// a run whose connections are mostly new (reuse under MaxReuse) is
	// connection-bound: its time goes to opening connections.
	ConnPhaseShare = 0.25
	MaxReuse       = 0.50
	RejectShare    = 0.01 // http-503 over requests: the server turns work away
	// RejectingShare: 503 and 429 answers over requests from which the
	// server counts as overloaded and rejecting.
	RejectingShare = 0.10
	// WholeCoreSlack: a target whose median CPU lies this close to a whole
	// number of cores (in % of one core), and whose peak not much above,
	// held at that many cores.
	WholeCoreSlack = 10.0
	// ExplainShare: a process explains a full machine when it used this
	// share of the machine's CPU.
	ExplainShare = 0.70
	// WholeCoreIdle: the machine CPU (in % of one core) left idle that a
	// server held at whole cores had and did not take.
	WholeCoreIdle = 50.0
	// TogetherShare: the target and the generator compete for a full
	// machine when together they used this share of its CPU; below it,
	// other processes loaded the machine.
	TogetherShare = 0.40
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
	// MaxInflight is the open model's cap on requests in flight (its
	// slots); 0 for the closed model.
	MaxInflight int
	// CPUWindow says which readings Resources holds when they are not the
	// whole run's ("over the steady seconds 7-9"): a bottleneck is
	// decided on the load it was found at. "" for the whole run.
	CPUWindow string
}

// Verdict is the bottleneck of a run and the numbers that decided it.
type Verdict struct {
	Kind     Kind
	Evidence []string
	Plateau  Plateau
}

// Diagnose decides a run's bottleneck. The rules, first match wins:
// target stopped answering (its process exited mid-run); incomplete (the
// store lost samples, so the figures miss whole stretches); connection-bound
// and overloaded: rejecting (before generator-bound: failed connections
// and fast rejections return at once, so a generator with no think time
// spins on them); generator-bound (an open run's own in-flight cap, then
// the generator's CPU); machine-bound (the machine's CPU full,
// neither process explaining it); not saturated; then, with throughput
// flat: cpu-bound (sustained at the CPU the target can use, or held at a
// whole number of cores on a machine with more), concurrency-bound, or
// saturated when the target's CPU is unknown.
func Diagnose(in VerdictInput) Verdict {
	v := diagnose(in)
	if res := in.Resources; v.Kind != MachineBound && res.HasTarget && res.SystemCPUMedian >= MachineShare*100 &&
		!together(res) {
		v.add("the machine's CPU median %.0f%% (max %.0f%%), of which the target used %.0f%% and the generator %.0f%%: other processes loaded it, and the figures may show it%s",
			res.SystemCPUMedian, res.SystemCPUMax, res.TargetMachMedian, res.GeneratorMachMean, window(in))
	}
	return v
}

func diagnose(in VerdictInput) Verdict {
	v := Verdict{Plateau: FindPlateau(in.Model, in.Summary)}
	for _, rule := range []func(VerdictInput, *Verdict) bool{
		targetStopped, incomplete, connectionBound, rejecting, inflightCapped, generatorBound, machineBound, notSaturated,
	} {
		if rule(in, &v) {
			return v
		}
	}
	flatEvidence(&v, v.Plateau)
	res := in.Resources
	switch {
	case !res.HasTarget:
		v.Kind = Saturated
		v.add("the target's CPU was not monitored: cannot tell cpu-bound from concurrency-bound")
	case cpuBusy(in):
		v.Kind = CPUBound
		v.add("target CPU median %.0f%%, max %.0f%% of one core; it can use %.0f%%%s", res.TargetCPUMedian,
			res.TargetCPUMax, in.TargetLimit, window(in))
		if res.SystemCPUMedian >= MachineShare*100 {
			v.add("the machine's CPU median %.0f%% (max %.0f%%)", res.SystemCPUMedian, res.SystemCPUMax)
		}
	case wholeCores(in) > 0:
		k := wholeCores(in)
		v.Kind = CPUBound
		v.add("cpu-bound: %s, the most this server used: target CPU median %.0f%%, max %.0f%% of one core, while the machine has %.0f%s",
			coresText(k), res.TargetCPUMedian, res.TargetCPUMax, in.TargetLimit/100, window(in))
		v.add("a single-threaded server, or one under a global lock (Python's GIL), cannot use more: run more processes or threads")
	default:
		v.Kind = ConcurrencyBound
		v.add("target CPU median %.0f%%, max %.0f%% of one core: the median far below the %.0f%% it can use%s", res.TargetCPUMedian,
			res.TargetCPUMax, in.TargetLimit, window(in))
		concurrencyEvidence(&v, in)
	}
	return v
}

// add appends a line of evidence.
func (v *Verdict) add(format string, a ...any) {
	v.Evidence = append(v.Evidence, fmt.Sprintf(format, a...))
}

func targetStopped(in VerdictInput, v *Verdict) bool {
	w, ok := analysis.FindWarning(in.Warnings, analysis.TargetStopped)
	if !ok {
		return false
	}
	v.Kind = TargetStopped
	v.add("warning stored with the run: %s", w.Text)
	if n, classes := connectionFailures(in.Summary.Failures); n > 0 {
		v.add("%d of %d requests failed to connect or were cut: %s", n, in.Summary.Total.Requests, classes)
	}
	v.add("the figures measure a server that was gone, not its limits: run it again")
	return true
}

// incomplete: samples the store lost are missing from the seconds they
// ran in, which would read as a server that answered less (an open run
// "achieving" half its offered rate): judge nothing from them.
func incomplete(in VerdictInput, v *Verdict) bool {
	w, ok := analysis.FindWarning(in.Warnings, analysis.SamplesLost)
	if !ok {
		return false
	}
	v.Kind = Incomplete
	v.add("warning stored with the run: %s", w.Text)
	v.add("the seconds that lost samples look like a server that answered less: no bottleneck is judged from partial figures; run it again with room to store")
	return true
}

func connectionBound(in VerdictInput, v *Verdict) bool {
	total, res, ph := in.Summary.Total, in.Resources, in.Summary.Phases
	n, classes := connectionFailures(in.Summary.Failures)
	failing := total.Requests > 0 && float64(n) >= ConnFailShare*float64(total.Requests)
	if !failing && !handshakeBound(ph) {
		return false
	}
	v.Kind = ConnectionBound
	if failing {
		v.add("%d of %d requests (%.1f%%) failed to connect or were cut: %s", n, total.Requests,
			100*float64(n)/float64(total.Requests), classes)
	}
	if ph.Known() {
		v.add("connect %.1f%% and TLS %.1f%% of latency (mean %s and %s ms a request); %d connections opened for %d requests sent, reuse rate %.1f%%",
			100*ph.Phases[connectPhase].Share, 100*ph.Phases[tlsPhase].Share, units.Ms(ph.Phases[connectPhase].Mean),
			units.Ms(ph.Phases[tlsPhase].Mean), ph.NewConns, ph.Sent, 100*ph.ReuseRate())
	}
	v.add("peak TIME_WAIT %d, peak connections to the target %d", res.PeakTimeWait, res.PeakEstablished)
	if generatorBusy(in) {
		// Failing connections return at once: users without think
		// time then spin, which is why the generator's CPU was high.
		v.add("generator CPU mean %.0f%% of one core: failed requests return at once, so users spin", res.GeneratorCPUMean)
	}
	return true
}

// Indexes of the phases the verdict reads, in load.PhaseNames.
const (
	connectPhase = 1
	tlsPhase     = 2
)

// handshakeBound: the run's latency went to opening connections (connect
// and TLS handshakes reach ConnPhaseShare of it) and most requests opened
// one (reuse under MaxReuse).
func handshakeBound(ph analysis.PhaseStats) bool {
	return ph.Known() && ph.Sent > 0 && ph.ReuseRate() < MaxReuse &&
		ph.Phases[connectPhase].Share+ph.Phases[tlsPhase].Share >= ConnPhaseShare
}

// rejecting: a server that answers most of its load with 503 or 429 is
// overloaded, whatever its rate of answers.
func rejecting(in VerdictInput, v *Verdict) bool {
	t := in.Summary.Total
	n := rejected(in.Summary.Failures)
	if t.Requests == 0 || float64(n) < RejectingShare*float64(t.Requests) {
		return false
	}
	v.Kind = Rejecting
	v.add("%d of %d requests (%.1f%%) were answered 503 or 429: the server turned work away", n, t.Requests,
		100*float64(n)/float64(t.Requests))
	v.add("successful throughput %s req/s of %s answers/s: rejections are not throughput", units.Rate(t.SuccessRPS), units.Rate(t.RPS))
	if in.Concurrency > 0 {
		v.add("the server handles %d at once; the rest queue, then are refused", in.Concurrency)
	}
	return true
}

func notSaturated(_ VerdictInput, v *Verdict) bool {
	if v.Plateau.Flat {
		return false
	}
	v.Kind = NotSaturated
	growthEvidence(v, v.Plateau)
	return true
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

// rejected counts the answers that turn work away: 503 and 429.
func rejected(fs []analysis.FailureCount) int64 {
	var n int64
	for _, f := range fs {
		if f.Class == load.HTTP.Name(503) || f.Class == load.HTTP.Name(429) {
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
		v.Evidence = append(v.Evidence, fmt.Sprintf("successful throughput %s req/s at %s %s, %s req/s at %s %s: it follows the load",
			units.Rate(lo.RPS), units.Number(lo.Load), u, units.Rate(p.TopRPS), units.Number(p.TopLoad), u))
	default:
		v.Evidence = append(v.Evidence, fmt.Sprintf("successful throughput %s req/s at %s %s (one load level)",
			units.Rate(p.TopRPS), units.Number(p.TopLoad), u))
	}
	v.Evidence = append(v.Evidence, fmt.Sprintf("median latency %s above its floor (+%s): requests do not queue",
		units.Latency(p.Excess), units.Pct(100*p.Inflation)))
}

func flatEvidence(v *Verdict, p Plateau) {
	u := p.LoadUnit()
	openEvidence(v, p)
	switch {
	case p.Collapsed:
		v.add("successful throughput peaked at %s req/s at %s %s, then fell to %s req/s at %s %s: it collapsed under more load",
			units.Rate(p.PeakLevel.RPS), units.Number(p.PeakLevel.Load), u, units.Rate(p.CollapseRPS), units.Number(p.CollapseLoad), u)
	case p.Slowed:
		per := "user"
		if p.Open {
			per = "offered request"
		}
		v.Evidence = append(v.Evidence, fmt.Sprintf("successful throughput %s req/s at %s %s and %s req/s at %s %s: per %s it fell to %.0f%% of what it was at lower load",
			units.Rate(p.KneeRPS), units.Number(p.KneeLoad), u, units.Rate(p.TopRPS), units.Number(p.TopLoad), u, per, 100*p.Efficiency))
	case !p.KneeAtMost:
		v.Evidence = append(v.Evidence, fmt.Sprintf("successful throughput %s req/s at %s %s and %s req/s at %s %s: flat",
			units.Rate(p.KneeRPS), units.Number(p.KneeLoad), u, units.Rate(p.TopRPS), units.Number(p.TopLoad), u))
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

// openEvidence says why an open-model run counts as saturated.
func openEvidence(v *Verdict, p Plateau) {
	if !p.Open {
		return
	}
	if p.Behind {
		v.add("achieved %s successful req/s of %s offered (%.0f%%): the server did not keep up with the arrival rate",
			units.Rate(p.Achieved), units.Rate(p.Offered), 100*p.Achieved/p.Offered)
	}
	if p.Failing {
		v.add("%.1f%% of the requests were dropped or failed (over %.0f%%)", 100*p.FailShare, 100*OpenFailShare)
	}
	if p.Rising {
		v.add("p50 latency rose from %s to %s over the seconds of one constant rate: requests queue",
			units.Latency(p.RiseFrom), units.Latency(p.RiseTo))
	}
}

// concurrencyEvidence gives Little's law: requests in flight = throughput
// × mean latency, against what the server handles at once.
func concurrencyEvidence(v *Verdict, in VerdictInput) {
	t := in.Summary.Total
	inflight := t.RPS * t.Avg.Seconds()
	line := fmt.Sprintf("Little's law: in flight ≈ %s req/s × %s mean latency = %.1f requests",
		units.Rate(t.RPS), units.Latency(t.Avg), inflight)
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
