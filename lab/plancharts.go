package lab

import (
	"exp/analysis"
	"exp/load"
	"exp/plots"
	"exp/report"
	"exp/verdict"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

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
	for i, v := range planVariants(b.p) {
		var secs []analysis.Second
		var top analysis.Summary
		for _, lv := range b.p.Levels {
			for _, c := range b.cells {
				l, ok := b.run(c)
				if !ok || c.Variant != v || c.Users != lv.Users {
					continue
				}
				for _, s := range verdict.SteadySeconds(l.Run.Config.Model, l.Summary) {
					s.T = len(secs)
					secs = append(secs, s)
				}
				top = l.Summary
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
