package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"exp/analysis"
	"exp/compare"
	"exp/units"
	"exp/verdict"
)

// CompareRun is one column of a comparison: what was stored of a run and
// its verdict.
type CompareRun struct {
	Name      string
	Summary   analysis.Summary
	Resources analysis.Resources
	Verdict   verdict.Verdict
	NoSamples bool // imported: figures without samples, so no latency intervals
}

// Side is one side of a comparison: a run, or a group of repeats.
type Side struct {
	Name      string
	Group     bool
	Runs      []string // its runs' names
	NoSamples bool     // a run of it is imported: figures without samples
}

// Comparison is what exp compare shows: every run of every side as a
// column (the baseline side's first), the changes of each other side
// against the baseline side (Changes[i] is Others[i]'s, from
// compare.Compare), the calibration used (nil: none) and the gates
// checked (Gates[i] is Others[i]'s; none when no gate was asked).
type Comparison struct {
	Runs    []CompareRun
	Base    Side
	Others  []Side
	Changes [][]compare.Change
	Noise   *compare.Noise
	Gates   [][]compare.GateResult
}

// GateFailed reports whether any gate failed.
func (c Comparison) GateFailed() bool {
	for _, gs := range c.Gates {
		for _, g := range gs {
			if g.Failed {
				return true
			}
		}
	}
	return false
}

// Compare prints runs side by side, the first the reference of the
// percent cells: the figures, the per-endpoint figures, whether each
// change of a side against the baseline side is real, the gates, and each
// run's bottleneck verdict.
func Compare(w io.Writer, c Comparison) error {
	ew := &ErrWriter{W: w}
	w = ew
	runs := c.Runs
	fmt.Fprintf(w, "Comparison against %s (each cell after it: the change in percent)\n\n", runs[0].Name)
	table(w, "", runs, overallRows)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Per endpoint:")
	table(w, "  ", runs, endpointRows(runs))
	fmt.Fprintln(w)
	if phaseShifts(w, runs) {
		fmt.Fprintln(w)
	}
	if err := Changes(w, c); err != nil {
		return err
	}
	if len(c.Gates) > 0 {
		fmt.Fprintln(w)
		gates(w, c)
	}
	fmt.Fprintln(w)
	for _, r := range runs {
		if err := Verdict(w, "Verdict for "+r.Name, r.Verdict); err != nil {
			return err
		}
	}
	return ew.Err
}

// row is a line of the comparison table: its label and how to read the
// figure of a run.
type row struct {
	label  string
	value  func(CompareRun) (float64, bool) // false: the run has no such figure
	format func(float64) string
	points bool // change in percentage points (a rate), not in percent
}

func msCell(v float64) string { return units.Ms(units.FromMillis(v)) }

func stat(f func(analysis.Stats) float64) func(CompareRun) (float64, bool) {
	return func(r CompareRun) (float64, bool) { return f(r.Summary.Total), r.Summary.Total.Requests > 0 }
}

func target(f func(analysis.Resources) float64) func(CompareRun) (float64, bool) {
	return func(r CompareRun) (float64, bool) { return f(r.Resources), r.Resources.HasTarget }
}

var (
	intCell = func(v float64) string { return fmt.Sprintf("%.0f", v) }
	rpsCell = func(v float64) string { return fmt.Sprintf("%.1f", v) }
	pctCell = func(v float64) string { return fmt.Sprintf("%.1f%%", v) }
)

var overallRows = []row{
	{"requests", stat(func(s analysis.Stats) float64 { return float64(s.Requests) }), intCell, false},
	{"RPS mean (req/s)", stat(func(s analysis.Stats) float64 { return s.RPS }), rpsCell, false},
	{"successful RPS (req/s)", stat(func(s analysis.Stats) float64 { return s.SuccessRPS }), rpsCell, false},
	{"RPS plateau (req/s)", func(r CompareRun) (float64, bool) {
		return r.Verdict.Plateau.PeakRPS, len(r.Verdict.Plateau.Levels) > 0
	}, rpsCell, false},
	{"avg (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.Avg) }), msCell, false},
	{"p50 (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.P50) }), msCell, false},
	{"p95 (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.P95) }), msCell, false},
	{"p99 (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.P99) }), msCell, false},
	{"p99.9 (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.P999) }), msCell, false},
	{"max (ms)", stat(func(s analysis.Stats) float64 { return units.Millis(s.Max) }), msCell, false},
	{"failure rate", stat(func(s analysis.Stats) float64 { return 100 * s.FailRate() }),
		func(v float64) string { return fmt.Sprintf("%.2f%%", v) }, true},
	{"target CPU mean", target(func(r analysis.Resources) float64 { return r.TargetCPUMean }), pctCell, false},
	{"target CPU max", target(func(r analysis.Resources) float64 { return r.TargetCPUMax }), pctCell, false},
	{"target max RSS", target(func(r analysis.Resources) float64 { return float64(r.TargetRSSMax) }),
		func(v float64) string { return MB(uint64(v)) }, false},
	{"generator CPU max", func(r CompareRun) (float64, bool) {
		return r.Resources.GeneratorCPUMax, r.Resources.Readings > 0
	}, pctCell, false},
}

// endpointRows gives a p95 and an RPS row for each endpoint of any run,
// matched by method and path.
func endpointRows(runs []CompareRun) []row {
	var rows []row
	seen := map[string]bool{}
	for _, r := range runs {
		for _, e := range r.Summary.Endpoints {
			name := strings.TrimSpace(e.Method + " " + e.Name)
			if seen[name] {
				continue
			}
			seen[name] = true
			find := func(f func(analysis.Stats) float64) func(CompareRun) (float64, bool) {
				return func(r CompareRun) (float64, bool) {
					for _, x := range r.Summary.Endpoints {
						if x.Method == e.Method && x.Name == e.Name && x.Requests > 0 {
							return f(x), true
						}
					}
					return 0, false
				}
			}
			rows = append(rows,
				row{name + " p95 (ms)", find(func(s analysis.Stats) float64 { return units.Millis(s.P95) }), msCell, false},
				row{name + " RPS (req/s)", find(func(s analysis.Stats) float64 { return s.RPS }), rpsCell, false})
		}
	}
	return rows
}

const colPad = 3 // spaces between columns

// table prints rows with a column per run, right-aligned.
func table(w io.Writer, indent string, runs []CompareRun, rows []row) {
	labelW := len("generator CPU max")
	for _, r := range rows {
		labelW = max(labelW, len(r.label))
	}
	// Right-aligned columns pad every cell on the left, the labels too:
	// build the table, then take that padding off the label column.
	var buf strings.Builder
	defer func() {
		for _, line := range strings.SplitAfter(buf.String(), "\n") {
			io.WriteString(w, strings.TrimPrefix(line, strings.Repeat(" ", colPad)))
		}
	}()
	tw := tabwriter.NewWriter(&buf, 0, 0, colPad, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s%-*s\t", indent, labelW, "")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s\t", r.Name)
	}
	fmt.Fprintln(tw)
	for _, rw := range rows {
		fmt.Fprintf(tw, "%s%-*s\t", indent, labelW, rw.label)
		base, baseOK := rw.value(runs[0])
		for i, r := range runs {
			v, ok := rw.value(r)
			fmt.Fprintf(tw, "%s\t", cell(rw, v, ok, base, baseOK && i > 0))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func cell(rw row, v float64, ok bool, base float64, delta bool) string {
	if !ok {
		return "-"
	}
	s := rw.format(v)
	if !delta {
		return s
	}
	switch {
	case rw.points:
		return s + fmt.Sprintf(" (%+.2f pt)", v-base)
	case base == 0 && v == 0:
		return s + " (=)"
	case base == 0:
		return s + " (new)"
	}
	return s + " (" + units.SignedPct((v-base)/base*100) + ")"
}

// Changes prints whether each change against the baseline side is real:
// the figure on both sides, the change, its 95% interval, where the
// interval's noise came from, and the judgement.
func Changes(w io.Writer, c Comparison) error {
	ew := &ErrWriter{W: w}
	w = ew
	fmt.Fprintf(w, "Is it real? Change against %s with its 95%% confidence interval: real when the\n", sideLabel(c.Base))
	fmt.Fprintln(w, "interval excludes 0 and the run-to-run noise was measured (repeats, or a calibration):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  side\tfigure\t%s\tthis side\tchange\t95%% CI\tnoise from\t\n", c.Base.Name)
	singles, groups := false, c.Base.Group
	for i, cs := range c.Changes {
		groups = groups || c.Others[i].Group
		for j, ch := range cs {
			name := ""
			if j == 0 {
				name = c.Others[i].Name
			}
			singles = singles || ch.Source == compare.WithinRun
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, ch.Figure.Label(), figure(ch, ch.Base),
				figure(ch, ch.Value), pctOrDash(ch.Pct), ci(ch), source(ch, c.Noise), judgementOf(ch, c.Base, c.Others[i]))
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "  (latency over every answered request of each run; throughput: successful responses per second over the steady seconds at each run's top load)")
	if groups {
		fmt.Fprintln(w, "  (a group's figure is the geometric mean of its runs'; its runs are the unit of the interval)")
	}
	if singles {
		fmt.Fprintln(w, "  One run a side: the run-to-run noise is unknown, and the interval covers only the")
		fmt.Fprintln(w, "  variation within each run (a block bootstrap over its seconds), so a change beyond it")
		fmt.Fprintln(w, "  is undecided. Repeat the runs (--repeat 3) or calibrate (exp calibrate) to tell.")
	}
	return ew.Err
}

func sideLabel(s Side) string {
	if s.Group {
		if len(s.Runs) == 1 {
			return fmt.Sprintf("group %s (1 run)", s.Name)
		}
		return fmt.Sprintf("group %s (%d runs)", s.Name, len(s.Runs))
	}
	return s.Name
}

func pctOrDash(p float64) string {
	if math.IsNaN(p) {
		return "-"
	}
	return units.SignedPct(p)
}

// source says where a change's interval got its noise.
func source(c compare.Change, n *compare.Noise) string {
	switch c.Source {
	case compare.BetweenRuns:
		s := fmt.Sprintf("%d+%d runs", c.Runs[0], c.Runs[1])
		if n != nil {
			s += fmt.Sprintf(", calibration %s", n.Group)
		}
		return s + fmt.Sprintf(" (df %d)", c.DF)
	case compare.Calibrated:
		return fmt.Sprintf("calibration %s (%d runs)", n.Group, n.Runs)
	case compare.WithinRun:
		return fmt.Sprintf("within-run only (%d s blocks)", c.Block)
	}
	return "-"
}

// noSamples stands for a latency change that needs every request of an
// imported run.
const noSamples = "n/a: imported run has no samples"

func judgementOf(c compare.Change, base, other Side) string {
	if c.Figure.Unit() == "ms" && (base.NoSamples || other.NoSamples) {
		return noSamples
	}
	return Judgement(c)
}

// Judgement is a change's judgement in words, with its direction.
func Judgement(c compare.Change) string {
	switch c.Judgement {
	case compare.Real:
		if c.Worse() {
			return "real: worse"
		}
		return "real: better"
	case compare.Undecided:
		return "undecided: beyond within-run noise only"
	case compare.TooLittleData:
		return tooLittle(c)
	}
	return c.Judgement.String()
}

func tooLittle(c compare.Change) string {
	if c.Figure == compare.Throughput {
		return fmt.Sprintf("too little data (%d steady s a run at least)", compare.MinSeconds)
	}
	return fmt.Sprintf("too little data (%d answered requests a run at least)", compare.MinRequests[c.Figure])
}

// gates prints each gate's result and the overall one.
func gates(w io.Writer, c Comparison) {
	fmt.Fprintln(w, "Gates (fail when the whole interval lies beyond the tolerance, the worse way):")
	for i, gs := range c.Gates {
		for _, g := range gs {
			fmt.Fprintf(w, "  %s %s: %s\n", c.Others[i].Name, g.Gate, g.Why)
		}
	}
	if c.GateFailed() {
		fmt.Fprintln(w, "Gate: FAILED")
	} else {
		fmt.Fprintln(w, "Gate: passed")
	}
}

func figure(c compare.Change, v float64) string {
	if v == 0 && math.IsNaN(c.Pct) {
		return "-"
	}
	if c.Figure.Unit() == "ms" {
		return msCell(v) + " ms"
	}
	return fmt.Sprintf("%.1f %s", v, c.Figure.Unit())
}

func ci(c compare.Change) string {
	if !c.Known() {
		return "-"
	}
	return fmt.Sprintf("[%s, %s]", units.SignedPct(c.Lo), units.SignedPct(c.Hi))
}

// Verdict prints a run's bottleneck verdict under title, with the plateau
// and the evidence that decided it.
func Verdict(w io.Writer, title string, v verdict.Verdict) error {
	ew := &ErrWriter{W: w}
	w = ew
	fmt.Fprintf(w, "%s: %s\n", title, v.Kind)
	fmt.Fprintf(w, "  %s\n", v.Plateau)
	for _, e := range v.Evidence {
		fmt.Fprintf(w, "  - %s\n", e)
	}
	return ew.Err
}
