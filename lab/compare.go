package lab

import (
	"errors"
	"path/filepath"

	"exp/compare"
	"exp/plots"
	"exp/report"
	"exp/store"
)

// CompareColumns are the runs as the compare table shows them, the
// baseline first.
func CompareColumns(runs []Stored) []report.CompareRun {
	cols := make([]report.CompareRun, len(runs))
	for i, r := range runs {
		cols[i] = report.CompareRun{Name: r.Run.Name, Summary: r.Summary, Resources: r.Resources, Verdict: r.Verdict,
			NoSamples: r.Run.Status == store.StatusImported}
	}
	return cols
}

// ReportSide is a side as the report names it.
func ReportSide(s Side) report.Side {
	out := report.Side{Name: s.Name, Group: s.Group != nil}
	for _, r := range s.Runs {
		out.Runs = append(out.Runs, r.Run.Name)
		out.NoSamples = out.NoSamples || r.Run.Status == store.StatusImported
	}
	return out
}

// Comparison assembles what exp compare shows of base against others:
// every run as a column, the changes with their intervals (noise: a
// calibration, or nil), and the gates checked for each other side.
func Comparison(base Side, others []Side, noise *compare.Noise, gates []compare.Gate) report.Comparison {
	all := append([]Stored{}, base.Runs...)
	c := report.Comparison{Base: ReportSide(base), Noise: noise, Changes: Compare(base, others, noise)}
	for i, o := range others {
		all = append(all, o.Runs...)
		c.Others = append(c.Others, ReportSide(o))
		if len(gates) > 0 {
			c.Gates = append(c.Gates, compare.Check(gates, o.Name, c.Changes[i]))
		}
	}
	c.Runs = CompareColumns(all)
	return c
}

// singleSides makes each run a side of its own.
func singleSides(runs []Stored) []Side {
	out := make([]Side, len(runs))
	for i, r := range runs {
		out[i] = Side{Name: r.Run.Name, Runs: []Stored{r}}
	}
	return out
}

// SideRuns are the runs of the sides in order, for the charts.
func SideRuns(sides []Side) []Stored {
	var out []Stored
	for _, s := range sides {
		out = append(out, s.Runs...)
	}
	return out
}

// WriteComparePlots writes the charts of a comparison into dir: each side
// in its colour (a group's runs faint and its median bold over time), and
// changes.png, every change on its interval.
func WriteComparePlots(sides []Side, c report.Comparison, dir string) (written, skipped []string, err error) {
	var series []plots.RunSeries
	for i, s := range sides {
		var rs []plots.RunSeries
		for _, r := range s.Runs {
			x := r.Series(i)
			x.Faint = s.Group != nil && len(s.Runs) > 1
			rs = append(rs, x)
		}
		series = append(series, rs...)
		if s.Group != nil && len(s.Runs) > 1 {
			series = append(series, plots.MedianSeries(s.Name+" (median)", i, rs))
		}
	}
	if written, skipped, err = plots.WriteAll(series, dir); err != nil {
		return written, skipped, err
	}
	var rows []plots.ChangeRow
	for i, cs := range c.Changes {
		for _, ch := range cs {
			rows = append(rows, plots.ChangeRow{Label: c.Others[i].Name + " " + string(ch.Figure), Pct: ch.Pct,
				Lo: ch.Lo, Hi: ch.Hi, Color: i + 1, Real: ch.Judgement == compare.Real})
		}
	}
	path := filepath.Join(dir, "changes.png")
	switch err := plots.Changes(rows, path); {
	case errors.Is(err, plots.ErrNoData):
		skipped = append(skipped, "changes.png: "+err.Error())
	case err != nil:
		return written, skipped, err
	default:
		written = append(written, path)
	}
	return written, skipped, nil
}
