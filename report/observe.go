package report

import (
	"exp/analysis"
	"exp/units"
	"exp/verdict"
	"fmt"
	"math"
	"sort"
	"strings"
)

// ratio prints "×4.8 for ×5 users".
func stepRatio(s verdict.Step) string {
	return fmt.Sprintf("×%s for ×%s users", units.Ratio(s.RPSRatio), usersRatio(s.UsersRatio))
}

// ObserveCell writes the observation of one cell: its throughput (against
// the level below, prev, when there is one), latency, failures, the
// target's CPU and memory, and which endpoint made the tail.
func ObserveCell(prev *verdict.Cell, c verdict.Cell) string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	if c.Requests == 0 {
		return fmt.Sprintf("No request completed at %d users (run %s).", c.Users, c.Status)
	}
	if c.Status != "" && c.Status != "completed" {
		add("The run is %s: its figures cover only the part that ran.", c.Status)
	}
	if prev == nil || prev.Requests == 0 {
		add("At %d users it served %s req/s at full load (%s req/s per user).", c.Users,
			units.Rate(c.Throughput()), units.Rate(c.Throughput()/float64(max(c.Users, 1))))
	} else {
		s := verdict.NewStep(*prev, c)
		add("%s", throughputSentence(s))
	}
	add("%s", latencySentence(prev, c))
	add("%s", failureSentence(c))
	if c.HasTarget {
		add("The target's CPU averaged %s of a core (peak %s) and its memory peaked at %s.",
			units.Pct(c.CPUMean), units.Pct(c.CPUMax), units.MB(c.RSSMax))
	}
	if t := TailSentence(c.Endpoints); t != "" {
		add("%s", t)
	}
	return strings.Join(out, " ")
}

func throughputSentence(s verdict.Step) string {
	a, b := s.From, s.To
	switch s.Kind {
	case verdict.ScaledLinearly:
		return fmt.Sprintf("Throughput scaled near-linearly from %d to %d users: %s to %s req/s (%s).",
			a.Users, b.Users, units.Rate(a.Throughput()), units.Rate(b.Throughput()), stepRatio(s))
	case verdict.ScaledSlowly:
		return fmt.Sprintf("Throughput grew more slowly than the load from %d to %d users: %s to %s req/s (%s).",
			a.Users, b.Users, units.Rate(a.Throughput()), units.Rate(b.Throughput()), stepRatio(s))
	case verdict.Plateaued:
		return fmt.Sprintf("Throughput plateaued: %s req/s against %s at %d users (%s).",
			units.Rate(b.Throughput()), units.Rate(a.Throughput()), a.Users, stepRatio(s))
	}
	return fmt.Sprintf("Throughput fell from %s req/s at %d users to %s req/s (%s).",
		units.Rate(a.Throughput()), a.Users, units.Rate(b.Throughput()), stepRatio(s))
}

func latencySentence(prev *verdict.Cell, c verdict.Cell) string {
	cur := fmt.Sprintf("Average response time %s; p95 %s", units.Latency(c.Avg), units.Latency(c.P95))
	if prev == nil || prev.Requests == 0 || prev.P95 <= 0 {
		return cur + "."
	}
	r := float64(c.P95) / float64(prev.P95)
	switch {
	case r >= verdict.SameLatency:
		return fmt.Sprintf("%s, up ×%s from %s at %d users.", cur, units.Ratio(r), units.Latency(prev.P95), prev.Users)
	case r <= 1/verdict.SameLatency:
		return fmt.Sprintf("%s, down from %s at %d users.", cur, units.Latency(prev.P95), prev.Users)
	}
	return fmt.Sprintf("%s, about the same as at %d users (%s).", cur, prev.Users, units.Latency(prev.P95))
}

func failureSentence(c verdict.Cell) string {
	if c.Failures == 0 {
		return "No request failed."
	}
	rate := 100 * float64(c.Failures) / float64(c.Requests)
	s := fmt.Sprintf("%d requests failed (%s)", c.Failures, units.Pct(rate))
	if c.TopClass != "" {
		s += ", mostly " + c.TopClass
	}
	return s + "."
}

// TailSentence names the endpoint that made the tail of the latency: the
// slowest by p95, said to dominate when it is TailRatio times the next.
// "" with fewer than two endpoints that had requests.
func TailSentence(eps []analysis.Stats) string {
	live := slowestFirst(eps)
	if len(live) < 2 {
		return ""
	}
	a, b := live[0], live[1]
	if b.P95 <= 0 || float64(a.P95) >= verdict.TailRatio*float64(b.P95) {
		return fmt.Sprintf("%s dominated the tail: p95 %s against %s for %s.", a.Name, units.Latency(a.P95), units.Latency(b.P95), b.Name)
	}
	if float64(a.P95) < verdict.SameLatency*float64(live[len(live)-1].P95) {
		return fmt.Sprintf("Every endpoint had about the same p95 (%s to %s).", units.Latency(live[len(live)-1].P95), units.Latency(a.P95))
	}
	return fmt.Sprintf("The slowest endpoints were %s (p95 %s) and %s (%s).", a.Name, units.Latency(a.P95), b.Name, units.Latency(b.P95))
}

// slowestFirst is the endpoints that had requests, slowest p95 first.
func slowestFirst(eps []analysis.Stats) []analysis.Stats {
	var live []analysis.Stats
	for _, e := range eps {
		if e.Requests > 0 {
			live = append(live, e)
		}
	}
	sort.SliceStable(live, func(i, j int) bool { return live[i].P95 > live[j].P95 })
	return live
}

// usersRatio gives a ratio of users, whole when it is.
func usersRatio(r float64) string {
	if r == math.Trunc(r) {
		return fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf("%.1f", r)
}
