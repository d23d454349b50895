package compare

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"exp/input"
	"exp/units"
)

// Gate fails a comparison when a figure got worse than a tolerance with
// confidence: p95:+5% fails when the whole interval of the p95's change
// lies above +5%; throughput:-3% when it lies below −3%.
type Gate struct {
	Figure Figure
	TolPct float64 // how far the figure may move the bad way, ≥ 0
}

func (g Gate) String() string {
	sign := "+"
	if !g.Figure.HigherIsWorse() {
		sign = "-"
	}
	return fmt.Sprintf("%s:%s%s%%", g.Figure, sign, units.Exact(g.TolPct))
}

var figureNames = map[string]Figure{
	"p50": P50, "median": P50, "p95": P95, "p99": P99,
	"throughput": Throughput, "rps": Throughput,
}

// ParseGates reads each of specs with ParseGate.
func ParseGates(specs []string) ([]Gate, error) {
	var gates []Gate
	for _, s := range specs {
		g, err := ParseGate(s)
		if err != nil {
			return nil, err
		}
		gates = append(gates, g)
	}
	return gates, nil
}

// ParseGate reads FIGURE:TOLERANCE, such as p95:+5% or throughput:-3%.
// The sign, when given, must be the figure's bad way.
func ParseGate(s string) (Gate, error) {
	g, err := parseGate(s)
	return g, input.Wrap("gate", err)
}

func parseGate(s string) (Gate, error) {
	name, tol, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Gate{}, fmt.Errorf("%q: want FIGURE:TOLERANCE such as p95:+5%% or throughput:-3%%", s)
	}
	f, ok := figureNames[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Gate{}, fmt.Errorf("%q: unknown figure %q (p50, p95, p99, throughput)", s, name)
	}
	tol = strings.TrimSpace(tol)
	if !strings.HasSuffix(tol, "%") {
		return Gate{}, fmt.Errorf("%q: tolerance %q must be a percentage such as +5%%", s, tol)
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(tol, "%"), 64)
	if err != nil || v != v || v > 1e6 || v < -1e6 {
		return Gate{}, fmt.Errorf("%q: tolerance %q is not a number", s, tol)
	}
	signed := strings.HasPrefix(tol, "+") || strings.HasPrefix(tol, "-")
	if signed && v != 0 && (v > 0) != f.HigherIsWorse() {
		way := "up (+)"
		if !f.HigherIsWorse() {
			way = "down (-)"
		}
		return Gate{}, fmt.Errorf("%q: %s gets worse going %s; the tolerance says how far it may", s, f, way)
	}
	if v < 0 {
		v = -v
	}
	return Gate{Figure: f, TolPct: v}, nil
}

// GateResult is a gate checked against one candidate's changes.
type GateResult struct {
	Gate      Gate
	Candidate string
	Change    Change
	Failed    bool
	Why       string
}

// ErrGateFailed is returned (wrapped) by a caller when a gate failed.
var ErrGateFailed = errors.New("a gated figure got worse beyond its tolerance")

// Check checks each gate against changes (one candidate's, from Compare).
func Check(gates []Gate, candidate string, changes []Change) []GateResult {
	out := make([]GateResult, 0, len(gates))
	for _, g := range gates {
		r := GateResult{Gate: g, Candidate: candidate}
		for _, c := range changes {
			if c.Figure == g.Figure {
				r.Change = c
			}
		}
		r.Failed, r.Why = verdictOf(g, r.Change)
		out = append(out, r)
	}
	return out
}

func verdictOf(g Gate, c Change) (bool, string) {
	switch c.Judgement {
	case TooLittleData:
		return false, "passes: too little data to tell"
	case Undecided:
		return false, "passes: run-to-run noise unknown with one run a side (repeat the runs or calibrate)"
	}
	beyond := c.Lo > g.TolPct
	if !g.Figure.HigherIsWorse() {
		beyond = c.Hi < -g.TolPct
	}
	if beyond {
		return true, fmt.Sprintf("FAILS: %s changed %+.1f%%, 95%% CI [%+.1f%%, %+.1f%%], beyond %s", c.Figure, c.Pct, c.Lo, c.Hi, g)
	}
	return false, fmt.Sprintf("passes: %s changed %+.1f%%, 95%% CI [%+.1f%%, %+.1f%%], not all beyond %s", c.Figure, c.Pct, c.Lo, c.Hi, g)
}
