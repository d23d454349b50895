package report

import (
	"fmt"
	"io"
	"strings"

	"exp/analysis"
	"exp/load"
	"exp/units"
)

// Phases prints where a run's time went: each phase's mean and p95 over
// the answered requests and its share of their latency, then the
// connections opened and reused and the protocols. Nothing for a run
// without phases (stored before they were measured, or imported).
func Phases(w io.Writer, s analysis.Summary) error {
	p := s.Phases
	if !p.Known() {
		return nil
	}
	ew := &ErrWriter{W: w}
	w = ew
	fmt.Fprintf(w, "Where the time went (over the %d answered requests):\n", p.Responses)
	fmt.Fprintf(w, "  %-8s %10s %10s %17s\n", "phase", "mean (ms)", "p95 (ms)", "share of latency")
	var share float64
	for _, ph := range p.Phases {
		fmt.Fprintf(w, "  %-8s %10s %10s %17s\n", ph.Name, units.Ms(ph.Mean), units.Ms(ph.P95), units.Pct(100*ph.Share))
		share += ph.Share
	}
	if rest := 1 - share; rest > 0.005 {
		// The open model's latency counts from the intended send time: the
		// rest is the generator's lateness (a busy worker's request is
		// dropped, never queued).
		fmt.Fprintf(w, "  (the other %s of latency: sent late, after its intended time, by the generator)\n", units.Pct(100*rest))
	}
	fmt.Fprintln(w, connectionsLine(p))
	return ew.Err
}

// connectionsLine says how many requests opened a connection, how many
// reused one, and over which protocol they went.
func connectionsLine(p analysis.PhaseStats) string {
	line := fmt.Sprintf("Connections: %d opened, %d requests over a kept-alive one (reuse rate %s of %d sent)",
		p.NewConns, p.Reused, units.Pct(100*p.ReuseRate()), p.Sent)
	var protos []string
	if p.HTTP1 > 0 {
		protos = append(protos, fmt.Sprintf("HTTP/1.1 %d", p.HTTP1))
	}
	if p.HTTP2 > 0 {
		protos = append(protos, fmt.Sprintf("HTTP/2 %d", p.HTTP2))
	}
	if len(protos) > 0 {
		line += "; protocol: " + strings.Join(protos, ", ")
	}
	return line
}

// phaseShifts prints each phase's share of latency run by run, so that a
// keep-alive comparison reads "connect: 0.0% → 38.2% of latency", with the
// reuse rate below. Nothing (false) when no run has phases.
func phaseShifts(w io.Writer, runs []CompareRun) bool {
	known := false
	for _, r := range runs {
		known = known || r.Summary.Phases.Known()
	}
	if !known {
		return false
	}
	fmt.Fprintln(w, "Where the time went (share of latency; mean per answered request):")
	cell := func(r CompareRun, f func(analysis.PhaseStats) string) string {
		if !r.Summary.Phases.Known() {
			return "-"
		}
		return f(r.Summary.Phases)
	}
	for i, name := range load.PhaseNames {
		var cells []string
		happened := false
		for _, r := range runs {
			happened = happened || r.Summary.Phases.Phases[i].Mean > 0
			cells = append(cells, cell(r, func(p analysis.PhaseStats) string {
				return fmt.Sprintf("%s (%s ms)", units.Pct(100*p.Phases[i].Share), units.Ms(p.Phases[i].Mean))
			}))
		}
		if !happened {
			continue // no DNS to an IP address, no TLS over http://
		}
		fmt.Fprintf(w, "  %-8s %s of latency\n", name+":", strings.Join(cells, " → "))
	}
	var reuse, opened []string
	for _, r := range runs {
		reuse = append(reuse, cell(r, func(p analysis.PhaseStats) string { return units.Pct(100 * p.ReuseRate()) }))
		opened = append(opened, cell(r, func(p analysis.PhaseStats) string { return fmt.Sprint(p.NewConns) }))
	}
	fmt.Fprintf(w, "  %-8s %s of sent requests over a kept-alive connection\n", "reuse:", strings.Join(reuse, " → "))
	fmt.Fprintf(w, "  %-8s %s connections opened\n", "opened:", strings.Join(opened, " → "))
	return true
}
