package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ChangeRow is one change of a comparison for the intervals chart: a
// candidate's figure, its change in percent and 95% interval.
type ChangeRow struct {
	Label       string // "after p95"
	Pct, Lo, Hi float64
	Color       int  // the candidate's palette index
	Real        bool // drawn filled
}

// Changes draws each change as a dot on its 95% interval, a line at 0:
// filled when real, hollow otherwise; rows without an interval are left
// out. It writes changes.png beside the other charts of a comparison.
func Changes(rows []ChangeRow, path string) error {
	p := newPlot("Changes against the baseline, 95% intervals (filled: real)", "change (%)", "")
	var ticks []plot.Tick
	var known []ChangeRow
	for _, r := range rows {
		if !math.IsNaN(r.Lo) && !math.IsNaN(r.Hi) && !math.IsNaN(r.Pct) {
			known = append(known, r)
		}
	}
	rows = known
	drawn := 0
	lo, hi := 0.0, 0.0
	for i, r := range rows {
		lo, hi = min(lo, r.Lo), max(hi, r.Hi)
		y := float64(len(rows) - i)
		ticks = append(ticks, plot.Tick{Value: y, Label: r.Label})
		c := Color(r.Color)
		if err := lineWidth(p, plotter.XYs{{X: r.Lo, Y: y}, {X: r.Hi, Y: y}}, c, solid, "", vg.Points(2.4)); err != nil {
			return fmt.Errorf("interval of %s: %w", r.Label, err)
		}
		dot, err := plotter.NewScatter(plotter.XYs{{X: r.Pct, Y: y}})
		if err != nil {
			return fmt.Errorf("change of %s: %w", r.Label, err)
		}
		dot.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
		if r.Real {
			dot.GlyphStyle.Shape = draw.CircleGlyph{}
		}
		p.Add(dot)
		drawn++
	}
	if drawn == 0 {
		return noData("changes", "no change has an interval")
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0.5}, {X: 0, Y: float64(len(rows)) + 0.5}})
	if err != nil {
		return err
	}
	zero.Dashes = dashed
	p.Add(zero)
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = 0.5, float64(len(rows))+0.5
	pad := 0.08 * max(hi-lo, 1)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	return save(p, path)
}
