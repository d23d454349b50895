package lab

import (
	"context"
	"encoding/json"
	"exp/analysis"
	"exp/input"
	"exp/target"
	"exp/verdict"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"exp/plots"
	"exp/report"
	"exp/store"
	"exp/units"
)

// PlanReport is a stored plan's report as written: the plan, the report's
// contents and the files it went to.
type PlanReport struct {
	Plan   store.Plan
	Report report.PlanReport
	Files  []string // report.md and report.html
}

// Breaches counts the thresholds of th that a cell of the report failed.
func (r PlanReport) Breaches() int {
	n := 0
	for _, c := range r.Report.Cells {
		for _, t := range c.Thresholds {
			if !t.Passed {
				n++
			}
		}
	}
	return n
}

// WritePlanReport rebuilds a stored plan's report into dir: report.md,
// report.html and the charts, each cell's runs checked against th.
func WritePlanReport(ctx context.Context, db *store.DB, name, dir string, th []analysis.Threshold) (PlanReport, error) {
	p, err := db.FindPlan(ctx, name)
	if err != nil {
		return PlanReport{}, err
	}
	out := PlanReport{Plan: p}
	cells, err := db.PlanCells(ctx, p.ID)
	if err != nil {
		return out, err
	}
	var ids []int64
	for _, c := range cells {
		if c.RunID != 0 {
			ids = append(ids, c.RunID)
		}
	}
	runs, err := LoadAll(ctx, db, ids)
	if err != nil {
		return out, err
	}
	byID := map[int64]Stored{}
	for _, l := range runs {
		byID[l.Run.ID] = l
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return out, input.Errorf("out", "%w", err)
	}
	// A cell run as a group of repeats is compared as that group.
	sides := map[int64]Side{}
	for _, id := range ids {
		g, err := db.GroupOfRun(ctx, id)
		if err != nil {
			return out, err
		}
		if g != "" {
			if sides[id], err = LoadSide(ctx, db, g); err != nil {
				return out, err
			}
		}
	}
	b := planBuilder{p: p, cells: cells, runs: byID, sides: sides, dir: dir, th: th}
	if out.Report, err = b.build(); err != nil {
		return out, err
	}
	for _, f := range []struct {
		file  string
		write func(io.Writer, report.PlanReport) error
	}{{"report.md", report.Markdown}, {"report.html", report.HTML}} {
		path := filepath.Join(dir, f.file)
		if err := writeFile(path, func(w io.Writer) error { return f.write(w, out.Report) }); err != nil {
			return out, err
		}
		out.Files = append(out.Files, path)
	}
	return out, nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// planBuilder turns a stored plan and its loaded runs into a report.
type planBuilder struct {
	p     store.Plan
	cells []store.PlanCell
	runs  map[int64]Stored
	sides map[int64]Side // by linked run: the group it is the median repeat of
	dir   string
	th    []analysis.Threshold
}

func (b planBuilder) run(c store.PlanCell) (Stored, bool) {
	l, ok := b.runs[c.RunID]
	return l, ok && c.RunID != 0
}

func (b planBuilder) build() (report.PlanReport, error) {
	p := b.p
	settings, err := b.settings()
	if err != nil {
		return report.PlanReport{}, err
	}
	rep := report.PlanReport{Name: p.Name, Status: p.Status, Started: p.StartedAt, Ended: p.EndedAt,
		Settings: settings, Notes: b.notes()}
	byVariant := map[string][]verdict.Cell{}
	for _, v := range planVariants(p) {
		var prev *verdict.Cell
		for _, lv := range p.Levels {
			pc := b.cell(v, lv)
			if pc.Run != "" {
				pc.Observation = report.ObserveCell(prev, pc.Cell)
				byVariant[v] = append(byVariant[v], pc.Cell)
				prev = &pc.Cell
			}
			rep.Cells = append(rep.Cells, pc)
		}
		if len(planVariants(p)) > 1 || len(p.Levels) > 1 {
			rep.Variants = append(rep.Variants, report.VariantNote{Variant: variantTitle(v), Text: report.ObserveVariant(byVariant[v])})
		}
	}
	for _, lv := range p.Levels {
		level, err := b.level(lv, rep.Cells)
		if err != nil {
			return rep, err
		}
		rep.Levels = append(rep.Levels, level)
	}
	charts, err := b.acrossLevels()
	rep.Charts = charts
	return rep, err
}

// planVariants are the variants a stored plan's cells ran: "" alone for
// an external target.
func planVariants(p store.Plan) []string {
	if len(p.Variants) == 0 {
		return []string{""}
	}
	return p.Variants
}

func variantTitle(v string) string {
	if v == "" {
		return "The target"
	}
	return v
}

// cell gives the report's block of one (variant, level).
func (b planBuilder) cell(variant string, lv store.PlanLevel) report.PlanCell {
	pc := report.PlanCell{Spawn: lv.SpawnRate}
	pc.Variant, pc.Users = variant, lv.Users
	for _, c := range b.cells {
		if c.Variant != variant || c.Users != lv.Users {
			continue
		}
		l, ok := b.run(c)
		if !ok {
			return pc
		}
		pc.Run, pc.Cell = c.RunName, cellFigures(variant, lv.Users, l)
		pc.Plateau, pc.Evidence = l.Verdict.Plateau.String(), l.Verdict.Evidence
		for _, t := range b.th {
			pc.Thresholds = append(pc.Thresholds, t.Check(l.Summary))
		}
	}
	return pc
}

// cellFigures are the figures of a stored run that the report and its
// observations use.
func cellFigures(variant string, users int, l Stored) verdict.Cell {
	t := l.Summary.Total
	c := verdict.Cell{Variant: variant, Users: users, Status: l.Run.Status, RPS: t.RPS, SuccessRPS: t.SuccessRPS, Avg: t.Avg,
		P95: t.P95, Requests: t.Requests, Failures: t.Failures, HasTarget: l.Resources.HasTarget,
		CPUMean: l.Resources.TargetCPUMean, CPUMax: l.Resources.TargetCPUMax, RSSMax: l.Resources.TargetRSSMax,
		Endpoints: l.Summary.Endpoints, Verdict: l.Verdict.Kind}
	if steady := verdict.SteadySeconds(l.Run.Config.Model, l.Summary); len(steady) > 0 {
		var ok int64
		for _, s := range steady {
			ok += s.Successes // throughput: successful responses, by completion
		}
		c.SteadyRPS = float64(ok) / float64(len(steady))
	}
	if len(l.Summary.Failures) > 0 {
		c.TopClass = l.Summary.Failures[0].Class
	}
	return c
}

// level compares the variants' runs at one level: observation, the
// compare table and its charts in dir/users-N/.
func (b planBuilder) level(lv store.PlanLevel, cells []report.PlanCell) (report.PlanLevel, error) {
	out := report.PlanLevel{Users: lv.Users, Spawn: lv.SpawnRate}
	var figs []verdict.Cell
	for _, c := range cells {
		if c.Users == lv.Users && c.Run != "" {
			figs = append(figs, c.Cell)
		}
	}
	out.Observation = report.ObserveLevel(figs)
	var runs []Stored
	var colors []int
	for i, v := range planVariants(b.p) {
		for _, c := range b.cells {
			if l, ok := b.run(c); ok && c.Variant == v && c.Users == lv.Users {
				runs, colors = append(runs, l), append(colors, i)
			}
		}
	}
	if len(runs) == 0 {
		return out, nil
	}
	if len(runs) > 1 {
		sides := singleSides(runs)
		for i, r := range runs {
			if g, ok := b.sides[r.Run.ID]; ok {
				sides[i] = g
			}
		}
		var err error
		if out.Compare, err = compareText(sides); err != nil {
			return out, err
		}
	}
	series := make([]plots.RunSeries, len(runs))
	for i, l := range runs {
		series[i] = l.Series(colors[i])
	}
	sub := fmt.Sprintf("users-%d", lv.Users)
	written, _, err := plots.WriteAll(series, filepath.Join(b.dir, sub))
	if err != nil {
		return out, err
	}
	out.Charts, err = charts(b.dir, written)
	return out, err
}

// compareText is `exp compare` of the sides, the first the baseline.
func compareText(sides []Side) (string, error) {
	var sb strings.Builder
	err := report.Compare(&sb, Comparison(sides[0], sides[1:], nil, nil))
	return sb.String(), err
}

// settings are the configuration and machine lines of the report.
func (b planBuilder) settings() ([][2]string, error) {
	p := b.p
	var cfg planConfig
	if err := json.Unmarshal(p.Config, &cfg); err != nil {
		return nil, fmt.Errorf("plan %s: config: %w", p.Name, err)
	}
	var levels []string
	for _, l := range p.Levels {
		levels = append(levels, fmt.Sprintf("%d users (spawn %s/s)", l.Users, units.Exact(l.SpawnRate)))
	}
	out := [][2]string{{"variants", strings.Join(p.Variants, ", ")}, {"levels", strings.Join(levels, ", ")},
		{"duration of each run", p.Duration.String()}, {"task mix", cfg.Tasks}, {"think time", cfg.Wait},
		{"request timeout", cfg.Timeout}, {"client keep-alive", fmt.Sprint(cfg.KeepAlive)}}
	if cfg.Repeat > 1 {
		out = append(out, [2]string{"repeats", fmt.Sprintf("%d runs a cell, a group each (the cell shows its repeat of median successful throughput; the comparisons take the groups)", cfg.Repeat)})
	}
	switch {
	case p.TargetURL != "":
		tgt := p.TargetURL
		if cfg.TargetCmd != "" {
			tgt += ", started by " + cfg.TargetCmd
		}
		if cfg.TargetPID != 0 {
			tgt += fmt.Sprintf(", pid %d monitored", cfg.TargetPID)
		}
		out[0] = [2]string{"target", tgt}
	case cfg.Target != nil:
		out = append(out, [2]string{"built-in target", builtinSettings(*cfg.Target)})
	default:
		out = append(out, [2]string{"built-in target", ""})
	}
	if len(cfg.Thresholds) > 0 {
		out = append(out, [2]string{"thresholds (every run)", strings.Join(cfg.Thresholds, ", ")})
	}
	for _, c := range b.cells {
		if l, ok := b.run(c); ok {
			h := l.Run.Host
			out = append(out, [2]string{"machine", fmt.Sprintf("%s, %s/%s, %d logical CPUs, %s, exp %s",
				h.Name, h.OS, h.Arch, h.Cores, h.GoVersion, h.ToolVersion)})
			break
		}
	}
	return out, nil
}

// builtinSettings is the built-in target's shared settings as the report
// prints them: by their stored names in alphabetical order, those the JSON
// omits when zero only when set (as plans stored before they were typed
// print: from the JSON object, sorted).
func builtinSettings(p target.Params) string {
	kv := []string{"cpu_work " + strconv.Itoa(p.CPUWork)}
	if p.HTTP2 {
		kv = append(kv, "http2 true")
	}
	kv = append(kv, "idle_timeout_s "+units.Exact(p.IdleTimeoutS), "keepalive "+strconv.FormatBool(p.KeepAlive))
	if p.PoolSize != 0 {
		kv = append(kv, "pool_size "+strconv.Itoa(p.PoolSize))
	}
	if p.Queue != 0 {
		kv = append(kv, "queue "+strconv.Itoa(p.Queue))
	}
	if p.StallEveryS != 0 {
		kv = append(kv, "stall_every_s "+units.Exact(p.StallEveryS))
	}
	if p.StallForS != 0 {
		kv = append(kv, "stall_for_s "+units.Exact(p.StallForS))
	}
	if p.TLS {
		kv = append(kv, "tls true")
	}
	return strings.Join(kv, ", ")
}

// notes warn when the plan did not run to its end.
func (b planBuilder) notes() []string {
	ran := 0
	for _, c := range b.cells {
		if _, ok := b.run(c); ok {
			ran++
		}
	}
	switch b.p.Status {
	case store.PlanAborted:
		return []string{fmt.Sprintf("The plan was interrupted: %d of %d runs exist; the last one stopped early (aborted). The report covers what ran.", ran, len(b.cells))}
	case store.PlanRunning:
		return []string{fmt.Sprintf("The plan is still running, or its process died: %d of %d runs exist so far.", ran, len(b.cells))}
	case store.PlanFailed:
		return []string{fmt.Sprintf("Some runs of the plan failed: %d of %d runs exist.", ran, len(b.cells))}
	}
	return nil
}
