package lab

import (
	"exp/compare"
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
