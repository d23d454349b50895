package main

import (
	"context"
	"encoding/json"
	"exp/analysis"
	"exp/load"
	"exp/verdict"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"exp/plots"
	"exp/report"
	"exp/store"
)

// writePlanReport rebuilds a stored plan's report into dir: report.md,
// report.html and the charts. It prints the summary table, each threshold
// breach and where the report went, and returns the number of breaches.
func writePlanReport(ctx context.Context, db *store.DB, name, dir string, th []analysis.Threshold,
	stdout, stderr io.Writer) (int, error) {
	p, err := db.FindPlan(ctx, name)
	if err != nil {
		return 0, storeError(err)
	}
	cells, err := db.PlanCells(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, c := range cells {
		if c.RunID != 0 {
			ids = append(ids, c.RunID)
		}
	}
	runs, err := loadRuns(ctx, db, ids)
	if err != nil {
		return 0, storeError(err)
	}
	byID := map[int64]loaded{}
	for _, l := range runs {
		byID[l.run.ID] = l
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, badInput(fmt.Errorf("--out: %w", err))
	}
	b := planBuilder{p: p, cells: cells, runs: byID, dir: dir, th: th}
	rep, err := b.build()
	if err != nil {
		return 0, err
	}
	for _, f := range []struct {
		file  string
		write func(io.Writer, report.PlanReport) error
	}{{"report.md", report.Markdown}, {"report.html", report.HTML}} {
		if err := writeFile(filepath.Join(dir, f.file), func(w io.Writer) error { return f.write(w, rep) }); err != nil {
			return 0, err
		}
	}
	fmt.Fprintf(stdout, "\nPlan %s (%s):\n\n", p.Name, p.Status)
	report.SummaryTable(stdout, rep)
	breached := printBreaches(stdout, rep, th)
	fmt.Fprintf(stdout, "\nReport: %s and %s\n", filepath.Join(dir, "report.md"), filepath.Join(dir, "report.html"))
	return breached, nil
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

// printBreaches lists every threshold of every cell that failed.
func printBreaches(w io.Writer, rep report.PlanReport, th []analysis.Threshold) int {
	if len(th) == 0 {
		return 0
	}
	n, checked := 0, 0
	fmt.Fprintln(w, "\nThresholds (every cell):")
	for _, c := range rep.Cells {
		for _, r := range c.Thresholds {
			checked++
			if !r.Passed {
				n++
				fmt.Fprintf(w, "  FAILED %-24s %s at %d users (run %s): measured %s\n", r.Text, c.Variant, c.Users,
					c.Run, report.ThresholdMeasured(r))
			}
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "  all %d checks passed\n", checked)
	}
	return n
}

// planBuilder turns a stored plan and its loaded runs into a report.
type planBuilder struct {
	p     store.Plan
	cells []store.PlanCell
	runs  map[int64]loaded
	dir   string
	th    []analysis.Threshold
}

func (b planBuilder) run(c store.PlanCell) (loaded, bool) {
	l, ok := b.runs[c.RunID]
	return l, ok && c.RunID != 0
}

func (b planBuilder) build() (report.PlanReport, error) {
	p := b.p
	rep := report.PlanReport{Name: p.Name, Status: p.Status, Started: p.StartedAt, Ended: p.EndedAt,
		Settings: b.settings(), Notes: b.notes()}
	byVariant := map[string][]verdict.Cell{}
	for _, v := range cellVariants(p) {
		var prev *verdict.Cell
		for _, lv := range p.Levels {
			pc := b.cell(v, lv)
			if pc.Run != "" {
				pc.Observation = verdict.ObserveCell(prev, pc.Cell)
				byVariant[v] = append(byVariant[v], pc.Cell)
				prev = &pc.Cell
			}
			rep.Cells = append(rep.Cells, pc)
		}
		if len(cellVariants(p)) > 1 || len(p.Levels) > 1 {
			rep.Variants = append(rep.Variants, report.VariantNote{Variant: variantTitle(v), Text: verdict.ObserveVariant(byVariant[v])})
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

func variantTitle(v string) string {
	if v == "-" {
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
		pc.Plateau, pc.Evidence = l.verdict.Plateau.String(), l.verdict.Evidence
		for _, t := range b.th {
			pc.Thresholds = append(pc.Thresholds, t.Check(l.sum))
		}
	}
	return pc
}

// cellFigures are the figures of a stored run that the report and its
// observations use.
func cellFigures(variant string, users int, l loaded) verdict.Cell {
	t := l.sum.Total
	c := verdict.Cell{Variant: variant, Users: users, Status: l.run.Status, RPS: t.RPS, Avg: t.Avg,
		P95: t.P95, Requests: t.Requests, Failures: t.Failures, HasTarget: l.res.HasTarget,
		CPUMean: l.res.TargetCPUMean, CPUMax: l.res.TargetCPUMax, RSSMax: l.res.TargetRSSMax,
		Endpoints: l.sum.Endpoints, Verdict: l.verdict.Kind}
	if steady := verdict.SteadySeconds(l.run.Config.Model, l.sum); len(steady) > 0 {
		var req int64
		for _, s := range steady {
			req += s.Requests
		}
		c.SteadyRPS = float64(req) / float64(len(steady))
	}
	if len(l.sum.Failures) > 0 {
		c.TopClass = l.sum.Failures[0].Class
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
	out.Observation = verdict.ObserveLevel(figs)
	var runs []loaded
	var colors []int
	for i, v := range cellVariants(b.p) {
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
		out.Compare = compareText(runs)
	}
	series := make([]plots.RunSeries, len(runs))
	for i, l := range runs {
		series[i] = l.series(colors[i])
	}
	sub := fmt.Sprintf("users-%d", lv.Users)
	written, _, err := plots.WriteAll(series, filepath.Join(b.dir, sub))
	if err != nil {
		return out, err
	}
	out.Charts, err = charts(b.dir, written)
	return out, err
}

// compareText is `exp compare` of the runs, the first the baseline.
func compareText(runs []loaded) string {
	cols := make([]report.CompareRun, len(runs))
	samples := make([]verdict.RunSample, len(runs))
	for i, r := range runs {
		cols[i] = report.CompareRun{Name: r.run.Name, Summary: r.sum, Resources: r.res, Verdict: r.verdict}
		samples[i] = verdict.NewRunSample(r.run.Config.Model, r.lat, r.sum)
	}
	changes := make([][]verdict.Change, len(runs)-1)
	for i := range changes {
		changes[i] = verdict.Compare(samples[0], samples[i+1])
	}
	var sb strings.Builder
	report.Compare(&sb, cols, changes)
	return sb.String()
}

// charts reads back the PNGs written, for the HTML, named relative to
// the report.
func charts(dir string, paths []string) ([]report.Chart, error) {
	var out []report.Chart
	for _, path := range paths {
		png, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read chart %s: %w", path, err)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			rel = path
		}
		title := strings.TrimSuffix(filepath.Base(path), ".png")
		out = append(out, report.Chart{Title: title, File: filepath.ToSlash(rel), PNG: png})
	}
	return out, nil
}

// acrossLevels draws each variant's throughput and latency against the
// users of the plan: the steady seconds of its runs, level after level,
// as if one run had climbed the levels.
func (b planBuilder) acrossLevels() ([]report.Chart, error) {
	var series []plots.RunSeries
	for i, v := range cellVariants(b.p) {
		var secs []analysis.Second
		var top analysis.Summary
		for _, lv := range b.p.Levels {
			for _, c := range b.cells {
				l, ok := b.run(c)
				if !ok || c.Variant != v || c.Users != lv.Users {
					continue
				}
				for _, s := range verdict.SteadySeconds(l.run.Config.Model, l.sum) {
					s.T = len(secs)
					secs = append(secs, s)
				}
				top = l.sum
			}
		}
		if len(secs) == 0 {
			continue
		}
		sum := analysis.Summary{Seconds: secs, Duration: time.Duration(len(secs)) * time.Second, Endpoints: top.Endpoints}
		series = append(series, plots.RunSeries{Name: variantTitle(v), Color: i, Seconds: secs,
			Plateau: verdict.FindPlateau(load.Closed, sum)})
	}
	if len(series) == 0 || len(b.p.Levels) < 2 {
		return nil, nil
	}
	var paths []string
	for _, c := range []struct {
		file string
		draw func([]plots.RunSeries, string) error
	}{{"plateau.png", plots.Plateau}, {"latency.png", plots.Latency}} {
		if c.file == "latency.png" && len(b.p.Levels) < 3 {
			continue // by load only from three levels; over time means nothing here
		}
		path := filepath.Join(b.dir, c.file)
		if err := c.draw(series, path); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return charts(b.dir, paths)
}

// settings are the configuration and machine lines of the report.
func (b planBuilder) settings() [][2]string {
	p := b.p
	var cfg planConfig
	json.Unmarshal(p.Config, &cfg)
	var levels []string
	for _, l := range p.Levels {
		levels = append(levels, fmt.Sprintf("%d users (spawn %g/s)", l.Users, l.SpawnRate))
	}
	out := [][2]string{{"variants", strings.Join(p.Variants, ", ")}, {"levels", strings.Join(levels, ", ")},
		{"duration of each run", p.Duration.String()}, {"task mix", cfg.Tasks}, {"think time", cfg.Wait},
		{"request timeout", cfg.Timeout}, {"client keep-alive", fmt.Sprint(cfg.KeepAlive)}}
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
	default:
		keys := make([]string, 0, len(cfg.Target))
		for k := range cfg.Target {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			v := cfg.Target[k]
			if f, ok := v.(float64); ok {
				v = strconv.FormatFloat(f, 'f', -1, 64)
			}
			kv = append(kv, fmt.Sprintf("%s %v", k, v))
		}
		out = append(out, [2]string{"built-in target", strings.Join(kv, ", ")})
	}
	if len(cfg.Thresholds) > 0 {
		out = append(out, [2]string{"thresholds (every run)", strings.Join(cfg.Thresholds, ", ")})
	}
	for _, c := range b.cells {
		if l, ok := b.run(c); ok {
			h := l.run.Host
			out = append(out, [2]string{"machine", fmt.Sprintf("%s, %s/%s, %d logical CPUs, %s, exp %s",
				h.Name, h.OS, h.Arch, h.Cores, h.GoVersion, h.ToolVersion)})
			break
		}
	}
	return out
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
