package report

import (
	"exp/analysis"
	"exp/units"
	"exp/verdict"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"
)

// PlanReport is everything the report of a plan shows, as plain values:
// cmd/exp reads it from the store, report writes it as markdown (Markdown)
// or as one self-contained HTML file (HTML).
type PlanReport struct {
	Name     string
	Status   string // the plan's: running, completed, aborted, failed
	Started  time.Time
	Ended    time.Time
	Settings [][2]string // configuration and machine, label and value
	Cells    []PlanCell  // in the order of Variants, then of users
	Variants []VariantNote
	Levels   []PlanLevel
	Charts   []Chart // across levels: throughput and latency against users per variant
	Notes    []string
}

// PlanCell is one (variant, level) of a plan and what its run measured.
type PlanCell struct {
	verdict.Cell
	Spawn       float64
	Run         string // run name; "" when the cell never ran
	Plateau     string
	Evidence    []string // of the bottleneck verdict
	Observation string
	Thresholds  []analysis.ThresholdResult
}

// VariantNote is the observation of one variant across the levels.
type VariantNote struct {
	Variant, Text string
}

// PlanLevel is the comparison of the variants at one load level.
type PlanLevel struct {
	Users       int
	Spawn       float64
	Observation string
	Compare     string // the text of Compare for the level's runs; "" with one run
	Charts      []Chart
}

// Chart is a PNG of the report: its file, relative to the report, and
// its bytes for the HTML's data: URI.
type Chart struct {
	Title string
	File  string
	PNG   []byte
}

// Ran reports whether the cell's run measured anything.
func (c PlanCell) Ran() bool { return c.Run != "" && c.Requests > 0 }

// planFigures formats the figures of the summary table and the cell blocks;
// the same strings go to markdown and HTML, so both say the same.
type planFigures struct{}

func (planFigures) MS(d time.Duration) string { return units.Ms(d) }
func (planFigures) RPS(v float64) string      { return fmt.Sprintf("%.1f", v) }
func (planFigures) Pct(v float64) string      { return fmt.Sprintf("%.1f%%", v) }
func (planFigures) MB(b uint64) string        { return MB(b) }
func (planFigures) FailRate(c PlanCell) string {
	if c.Requests == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(c.Failures)/float64(c.Requests))
}

// Variant shows a cell's variant, "-" for an external target.
func (planFigures) Variant(v string) string { return variantText(v) }

func variantText(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
func (planFigures) Spawn(v float64) string { return units.Exact(v) + "/s" }
func (planFigures) Time(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
func (planFigures) Measured(r analysis.ThresholdResult) string { return ThresholdMeasured(r) }
func (planFigures) Mark(r analysis.ThresholdResult) string {
	if r.Passed {
		return "passed"
	}
	return "FAILED"
}

// ThresholdMeasured formats what a threshold measured, in its unit.
func ThresholdMeasured(r analysis.ThresholdResult) string {
	switch {
	case r.Missing:
		return "nothing (no such endpoint in the run)"
	case r.Metric == "fail_rate":
		return fmt.Sprintf("%.2f%%", 100*r.Measured)
	case r.Metric == "rps" || r.Metric == "success_rps" || r.Metric == "requests" || r.Metric == "failures":
		return fmt.Sprintf("%.1f", r.Measured)
	}
	return units.Latency(units.FromMillis(r.Measured))
}

var funcs = template.FuncMap{
	"f":        func() planFigures { return planFigures{} },
	"join":     strings.Join,
	"sentence": sentence,
	"cell":     func(s string) string { return strings.ReplaceAll(s, "|", `\|`) },
}

// sentence capitalizes s and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// Markdown writes the report as markdown; charts are linked by file.
func Markdown(w io.Writer, r PlanReport) error {
	return markdownTmpl.Execute(w, r)
}

var markdownTmpl = template.Must(template.New("md").Funcs(funcs).Parse(`# Plan {{.Name}}

Status **{{.Status}}**, started {{f.Time .Started}}, ended {{f.Time .Ended}}.
{{range .Notes}}
> {{.}}
{{end}}
## Configuration

| setting | value |
| --- | --- |
{{range .Settings}}| {{index . 0}} | {{cell (index . 1)}} |
{{end}}
## Summary

RPS is the mean over the whole run, ramp included, as Locust reports it;
"at full load" is the successful responses per second over the seconds after all users had started.
CPU is in % of one core.

{{template "summary" .}}
## Observations
{{range .Variants}}
**{{.Variant}}.** {{.Text}}
{{end}}{{range .Levels}}{{if .Observation}}
**{{.Users}} users.** {{.Observation}}
{{end}}{{end}}
{{- if .Charts}}
## Across levels
{{range .Charts}}
![{{.Title}}]({{.File}})
{{end}}{{end}}
## Each variant at each level
{{range .Cells}}
### {{f.Variant .Variant}} at {{.Users}} users (spawn {{f.Spawn .Spawn}})
{{if .Run}}
Run ` + "`{{.Run}}`" + ` ({{.Status}}).

- Average Response Time: {{f.MS .Avg}} ms
- P95: {{f.MS .P95}} ms
- RPS: {{f.RPS .RPS}} ({{f.RPS .SteadyRPS}} successful at full load)
- Failures: {{.Failures}} of {{.Requests}} ({{f.FailRate .}})
{{- if .HasTarget}}
- Target CPU: mean {{f.Pct .CPUMean}}, max {{f.Pct .CPUMax}} of one core
- Target memory: max RSS {{f.MB .RSSMax}}
{{- else}}
- Target CPU and memory: not monitored
{{- end}}
- Bottleneck: **{{.Verdict}}**. {{sentence .Plateau}}
{{- range .Evidence}}
  - {{.}}
{{- end}}
{{- range .Thresholds}}
- Threshold ` + "`{{.Text}}`" + `: {{f.Mark .}}, measured {{f.Measured .}}
{{- end}}

{{.Observation}}
{{else}}
Not run: the plan stopped before this cell.
{{end}}{{end}}
## Variants compared at each level
{{range .Levels}}
### {{.Users}} users (spawn {{f.Spawn .Spawn}})
{{if .Observation}}
{{.Observation}}
{{end}}{{if .Compare}}
` + "```" + `
{{.Compare}}` + "```" + `
{{end}}{{range .Charts}}
![{{.Title}}]({{.File}})
{{end}}{{end}}`))

func init() {
	template.Must(markdownTmpl.New("summary").Parse(`| variant | users | run | requests | RPS | successful RPS at full load | avg (ms) | p95 (ms) | failures | target CPU mean / max | target max RSS | verdict |
| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
{{range .Cells}}{{if .Run}}| {{f.Variant .Variant}} | {{.Users}} | {{.Run}} | {{.Requests}} | {{f.RPS .RPS}} | {{f.RPS .SteadyRPS}} | {{f.MS .Avg}} | {{f.MS .P95}} | {{.Failures}} ({{f.FailRate .}}) | {{if .HasTarget}}{{f.Pct .CPUMean}} / {{f.Pct .CPUMax}}{{else}}-{{end}} | {{if .HasTarget}}{{f.MB .RSSMax}}{{else}}-{{end}} | {{.Verdict}} |
{{else}}| {{f.Variant .Variant}} | {{.Users}} | - | - | - | - | - | - | - | - | - | not run |
{{end}}{{end}}`))
}

// SummaryTable writes the report's summary table (markdown) alone, for
// the terminal.
func SummaryTable(w io.Writer, r PlanReport) error {
	return markdownTmpl.ExecuteTemplate(w, "summary", r)
}

// Thresholds prints each threshold of a run as passed or FAILED with what
// it measured, and returns how many failed; nothing without thresholds.
func Thresholds(w io.Writer, results []analysis.ThresholdResult) (int, error) {
	if len(results) == 0 {
		return 0, nil
	}
	ew := &ErrWriter{W: w}
	failed := 0
	fmt.Fprintln(ew, "\nThresholds:")
	for _, r := range results {
		mark := "passed"
		if !r.Passed {
			mark, failed = "FAILED", failed+1
		}
		fmt.Fprintf(ew, "  %-6s %-24s measured %s\n", mark, r.Text, ThresholdMeasured(r))
	}
	return failed, ew.Err
}

// Breaches lists every threshold of every cell of a plan that failed, or
// says that all passed; it returns the number that failed.
func Breaches(w io.Writer, rep PlanReport) (int, error) {
	ew := &ErrWriter{W: w}
	n, checked := 0, 0
	for _, c := range rep.Cells {
		checked += len(c.Thresholds)
	}
	if checked == 0 {
		return 0, nil
	}
	fmt.Fprintln(ew, "\nThresholds (every cell):")
	for _, c := range rep.Cells {
		for _, r := range c.Thresholds {
			if !r.Passed {
				n++
				fmt.Fprintf(ew, "  FAILED %-24s %s at %d users (run %s): measured %s\n", r.Text, variantText(c.Variant), c.Users,
					c.Run, ThresholdMeasured(r))
			}
		}
	}
	if n == 0 {
		fmt.Fprintf(ew, "  all %d checks passed\n", checked)
	}
	return n, ew.Err
}
