package report

import (
	"exp/analysis"
	"exp/units"
	"exp/verdict"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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

// Compare prints runs side by side, runs[0] the baseline: the figures, the
// per-endpoint figures, whether each change is real (changes[i] is
// runs[i+1] against the baseline, from verdict.Compare) and each run's
// bottleneck verdict.
func Compare(w io.Writer, runs []CompareRun, changes [][]verdict.Change) error {
	ew := &errWriter{w: w}
	w = ew
	fmt.Fprintf(w, "Comparison against %s (each cell after it: the change in percent)\n\n", runs[0].Name)
	table(w, "", runs, overallRows)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Per endpoint:")
	table(w, "  ", runs, endpointRows(runs))
	fmt.Fprintln(w)
	if err := Changes(w, runs, changes); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, r := range runs {
		if err := Verdict(w, "Verdict for "+r.Name, r.Verdict); err != nil {
			return err
		}
	}
	return ew.err
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

// Changes prints whether each change against the baseline is real: the
// figure in both runs, the change and its 95% bootstrap interval.
func Changes(w io.Writer, runs []CompareRun, changes [][]verdict.Change) error {
	ew := &errWriter{w: w}
	w = ew
	fmt.Fprintf(w, "Is it real? Change against %s with its 95%% bootstrap confidence interval;\n", runs[0].Name)
	fmt.Fprintf(w, "real when the whole interval lies beyond ±%.0f%% (the run-to-run noise), within noise otherwise:\n",
		verdict.NoiseFloorPct)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  run\tfigure\t%s\tthis run\tchange\t95%% CI\t\n", runs[0].Name)
	for i, cs := range changes {
		for j, c := range cs {
			name := ""
			if j == 0 {
				name = runs[i+1].Name
			}
			if c.Unit == "ms" && (runs[0].NoSamples || runs[i+1].NoSamples) {
				fmt.Fprintf(tw, "  %s\t%s\t-\t-\t-\t-\t%s\n", name, c.Metric, noSamples)
				continue
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, c.Metric, figure(c, c.Base),
				figure(c, c.Value), units.SignedPct(c.Pct), ci(c), judgement(c))
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "  (latency over every answered request of each run; throughput: successful responses per second over the steady seconds at each run's top load)")
	return ew.err
}

// noSamples stands for a latency change that needs every request of an
// imported run.
const noSamples = "n/a: imported run has no samples"

func figure(c verdict.Change, v float64) string {
	if c.Unit == "ms" {
		return msCell(v) + " ms"
	}
	return fmt.Sprintf("%.1f %s", v, c.Unit)
}

func ci(c verdict.Change) string {
	if !c.Known() {
		return "-"
	}
	return fmt.Sprintf("[%s, %s]", units.SignedPct(c.Lo), units.SignedPct(c.Hi))
}

func judgement(c verdict.Change) string {
	switch {
	case !c.Known():
		return fmt.Sprintf("too little data (%d and %d)", c.N[0], c.N[1])
	case c.Real():
		return "real"
	}
	return "within noise"
}

// Verdict prints a run's bottleneck verdict under title, with the plateau
// and the evidence that decided it.
func Verdict(w io.Writer, title string, v verdict.Verdict) error {
	ew := &errWriter{w: w}
	w = ew
	fmt.Fprintf(w, "%s: %s\n", title, v.Kind)
	fmt.Fprintf(w, "  %s\n", v.Plateau)
	for _, e := range v.Evidence {
		fmt.Fprintf(w, "  - %s\n", e)
	}
	return ew.err
}
