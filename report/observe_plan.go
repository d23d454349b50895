package report

import (
	"exp/analysis"
	"exp/units"
	"exp/verdict"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ObserveVariant writes how one variant behaved across the load levels
// of a plan: how throughput followed the users from level to level, where
// it stopped, what latency did meanwhile, where failures began and which
// endpoint made the tail. cells may come in any order.
func ObserveVariant(cells []verdict.Cell) string {
	cs := withRequests(cells)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Users < cs[j].Users })
	switch len(cs) {
	case 0:
		return "No request completed at any level."
	case 1:
		c := cs[0]
		return fmt.Sprintf("One level only (%d users): %s req/s at full load, p95 %s.",
			c.Users, units.Rate(c.Throughput()), units.Latency(c.P95))
	}
	var parts []string
	groups := groupSteps(cs)
	// The verdict of the first level counts only when the next level
	// confirms it: throughput did not follow the users.
	already := false
	if first := groups[0][0]; limited(cs[0].Verdict) && (first.Kind == verdict.Plateaued || first.Kind == verdict.Fell) {
		parts = append(parts, fmt.Sprintf("already at its limit at %d users (%s, %s req/s)", cs[0].Users,
			cs[0].Verdict, units.Rate(cs[0].Throughput())))
		already = true
	}
	for _, g := range groups {
		parts = append(parts, stepGroupText(g, !already))
	}
	out := []string{capitalize(strings.Join(parts, "; ")) + "."}
	if s := failureOnset(cs); s != "" {
		out = append(out, s)
	}
	if s := tailAcross(cs); s != "" {
		out = append(out, s)
	}
	top := cs[len(cs)-1]
	if top.HasTarget {
		out = append(out, fmt.Sprintf("At %d users the target's CPU peaked at %s of a core, its memory at %s.",
			top.Users, units.Pct(top.CPUMax), units.MB(top.RSSMax)))
	}
	return strings.Join(out, " ")
}

// verdictNote names the verdict of a cell at its limit, for a plateau.
func verdictNote(c verdict.Cell) string {
	if limited(c.Verdict) {
		return ", " + string(c.Verdict)
	}
	return ""
}

// limited reports whether a verdict says the server was at its limit.
func limited(k verdict.Kind) bool {
	return k == verdict.CPUBound || k == verdict.ConcurrencyBound || k == verdict.Saturated
}

func withRequests(cells []verdict.Cell) []verdict.Cell {
	var out []verdict.Cell
	for _, c := range cells {
		if c.Requests > 0 {
			out = append(out, c)
		}
	}
	return out
}

// groupSteps cuts the steps between consecutive levels into runs of the
// same kind.
func groupSteps(cs []verdict.Cell) [][]verdict.Step {
	var groups [][]verdict.Step
	for i := 1; i < len(cs); i++ {
		s := verdict.NewStep(cs[i-1], cs[i])
		if n := len(groups); n > 0 && groups[n-1][0].Kind == s.Kind {
			groups[n-1] = append(groups[n-1], s)
			continue
		}
		groups = append(groups, []verdict.Step{s})
	}
	return groups
}

// stepGroupText words a run of steps of one kind, from the first level
// of its first step to the last of its last; a plateau names its
// verdict unless told it was said already.
func stepGroupText(g []verdict.Step, sayVerdict bool) string {
	a, b := g[0].From, g[len(g)-1].To
	whole := verdict.NewStep(a, b)
	whole.Kind = g[0].Kind
	p95 := ""
	if r := float64(b.P95) / float64(max(a.P95, 1)); a.P95 > 0 && r >= verdict.SameLatency {
		p95 = fmt.Sprintf(" and p95 rose to %s (from %s)", units.Latency(b.P95), units.Latency(a.P95))
	}
	note := ""
	if sayVerdict {
		note = verdictNote(b)
	}
	switch whole.Kind {
	case verdict.ScaledLinearly:
		return fmt.Sprintf("throughput scaled near-linearly from %d to %d users (%s, %s to %s req/s)",
			a.Users, b.Users, stepRatio(whole), units.Rate(a.Throughput()), units.Rate(b.Throughput()))
	case verdict.ScaledSlowly:
		return fmt.Sprintf("from %d to %d users throughput grew more slowly than the load (%s, to %s req/s)%s",
			a.Users, b.Users, stepRatio(whole), units.Rate(b.Throughput()), p95)
	case verdict.Plateaued:
		if len(g) == 1 {
			return fmt.Sprintf("at %d users it plateaued at %s req/s (%s%s)%s", b.Users, units.Rate(b.Throughput()),
				stepRatio(whole), note, p95)
		}
		lo, hi := b.Throughput(), b.Throughput()
		for _, st := range g {
			lo, hi = min(lo, st.To.Throughput()), max(hi, st.To.Throughput())
		}
		level := "at " + units.Rate(lo)
		if units.Rate(hi) != units.Rate(lo) {
			level = "between " + units.Rate(lo) + " and " + units.Rate(hi)
		}
		return fmt.Sprintf("from %d to %d users it stayed %s req/s (%s at %d users%s)%s",
			g[0].To.Users, b.Users, level, units.Rate(a.Throughput()), a.Users, note, p95)
	}
	return fmt.Sprintf("at %d users throughput fell to %s req/s (%s from %d users)%s",
		b.Users, units.Rate(b.Throughput()), stepRatio(whole), a.Users, p95)
}

// failureOnset says at which level failures began, when they did.
func failureOnset(cs []verdict.Cell) string {
	for i, c := range cs {
		if c.Failures == 0 {
			continue
		}
		rate := 100 * float64(c.Failures) / float64(c.Requests)
		what := ""
		if c.TopClass != "" {
			what = ", mostly " + c.TopClass
		}
		if i == 0 {
			return fmt.Sprintf("Requests failed from the first level on (%s at %d users%s).", units.Pct(rate), c.Users, what)
		}
		return fmt.Sprintf("Failures began at %d users (%s of requests%s).", c.Users, units.Pct(rate), what)
	}
	return "No request failed at any level."
}

// tailAcross names the endpoint that made the tail at the top level, and
// says so once when it did at every level.
func tailAcross(cs []verdict.Cell) string {
	top := cs[len(cs)-1]
	name := dominant(top.Endpoints)
	if name == "" {
		return TailSentence(top.Endpoints)
	}
	every := true
	for _, c := range cs {
		every = every && dominant(c.Endpoints) == name
	}
	if every {
		return fmt.Sprintf("%s dominated the tail at every level (p95 %s at %d users).", name,
			units.Latency(p95Of(top.Endpoints, name)), top.Users)
	}
	return fmt.Sprintf("At %d users %s dominated the tail (p95 %s).", top.Users, name, units.Latency(p95Of(top.Endpoints, name)))
}

// dominant is the endpoint whose p95 is TailRatio times the next
// slowest's; "" when none is.
func dominant(eps []analysis.Stats) string {
	live := slowestFirst(eps)
	if len(live) < 2 {
		return ""
	}
	if float64(live[0].P95) >= verdict.TailRatio*float64(live[1].P95) {
		return live[0].Name
	}
	return ""
}

func p95Of(eps []analysis.Stats, name string) time.Duration {
	for _, e := range eps {
		if e.Name == name {
			return e.P95
		}
	}
	return 0
}

// ObserveLevel compares the variants at one load level: which served the
// most and how far the others were from it in throughput and p95.
func ObserveLevel(cells []verdict.Cell) string {
	cs := withRequests(cells)
	if len(cs) < 2 {
		return ""
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Throughput() > cs[j].Throughput() })
	best, users := cs[0], cs[0].Users
	n := 1 // variants that served about as much as the best
	for n < len(cs) && cs[n].Throughput() >= verdict.SameRPS*best.Throughput() {
		n++
	}
	var others []string
	for _, c := range cs[n:] {
		others = append(others, fmt.Sprintf("; %s %s req/s (%s) with p95 %s", c.Variant, units.Rate(c.Throughput()),
			signedPct(c.Throughput()/best.Throughput()-1), units.Latency(c.P95)))
	}
	var out []string
	switch {
	case n == len(cs):
		out = append(out, fmt.Sprintf("At %d users every variant served about the same throughput (%s to %s req/s).",
			users, units.Rate(cs[n-1].Throughput()), units.Rate(best.Throughput())))
	case n > 1:
		var names, rps, p95s []string
		for _, c := range cs[:n] {
			names, rps, p95s = append(names, c.Variant), append(rps, units.Rate(c.Throughput())), append(p95s, units.Latency(c.P95))
		}
		out = append(out, fmt.Sprintf("At %d users %s served about the same (%s req/s, p95 %s)%s.",
			users, and(names), and(rps), and(dedup(p95s)), strings.Join(others, "")))
	default:
		out = append(out, fmt.Sprintf("At %d users %s served the most: %s req/s with p95 %s%s.",
			users, best.Variant, units.Rate(best.Throughput()), units.Latency(best.P95), strings.Join(others, "")))
	}
	for _, c := range cs {
		if c.Failures > 0 {
			out = append(out, fmt.Sprintf("%s failed %s of its requests%s.", capitalize(c.Variant),
				units.Pct(100*float64(c.Failures)/float64(c.Requests)), classSuffix(c.TopClass)))
		}
	}
	return strings.Join(out, " ")
}

// dedup gives xs once when all are equal.
func dedup(xs []string) []string {
	for _, x := range xs {
		if x != xs[0] {
			return xs
		}
	}
	return xs[:1]
}

// and joins "a", "a and b", "a, b and c".
func and(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func classSuffix(class string) string {
	if class == "" {
		return ""
	}
	return " (" + class + ")"
}

func signedPct(f float64) string {
	p := 100 * f
	if p > -1 && p < 1 {
		return fmt.Sprintf("%+.1f%%", p)
	}
	return fmt.Sprintf("%+.0f%%", p)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
