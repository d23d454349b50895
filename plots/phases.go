package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"exp/load"
	"exp/units"
)

// phaseColors colour the phases, in the order of load.PhaseNames: tones
// apart from the runs' palette, since a run's colour outlines its bar.
var phaseColors = [load.PhaseCount]color.RGBA{
	{0xB3, 0xB3, 0xB3, 0xff}, // dns: grey
	{0xFC, 0x8D, 0x62, 0xff}, // connect: salmon
	{0x8D, 0xA0, 0xCB, 0xff}, // tls: lavender
	{0x66, 0xC2, 0xA5, 0xff}, // wait: teal
	{0xE5, 0xC4, 0x94, 0xff}, // read: sand
}

// phaseBars gives, for each phase, its mean in milliseconds run by run
// (the height of its segment in each run's bar), and the names of the
// runs that have phases.
func phaseBars(runs []RunSeries) (names []string, vals [load.PhaseCount][]float64, outline []color.Color) {
	for _, r := range runs {
		if !r.Phases.Known() {
			continue
		}
		names = append(names, r.Name)
		outline = append(outline, Color(r.Color))
		for i, ph := range r.Phases.Phases {
			vals[i] = append(vals[i], units.Millis(ph.Mean))
		}
	}
	return names, vals, outline
}

// Phases draws where each run's time went: one bar per run, stacked from
// the mean DNS, connect, TLS, wait and read time of its answered requests
// (together its mean service time), outlined in the run's colour.
func Phases(runs []RunSeries, path string) error {
	names, vals, outline := phaseBars(runs)
	if len(names) == 0 {
		return noData("phases", "no run has phases (runs stored before exp measured them)")
	}
	p := newPlot("Where the time went: mean per answered request, by phase", "run", "time (ms)")
	w := min(vg.Points(80), vg.Points(440/float64(len(names))))
	var below *plotter.BarChart
	for i := range load.PhaseCount {
		bars, err := plotter.NewBarChart(plotter.Values(vals[i]), w)
		if err != nil {
			return fmt.Errorf("phase %s: %w", load.PhaseNames[i], err)
		}
		bars.Color, bars.LineStyle.Width = phaseColors[i], 0
		if below != nil {
			bars.StackOn(below)
		}
		p.Add(bars)
		p.Legend.Add(load.PhaseNames[i], bars)
		below = bars
	}
	// Each run's outline, in its colour, over its stack.
	for j, c := range outline {
		var total float64
		for i := range load.PhaseCount {
			total += vals[i][j]
		}
		frame, err := plotter.NewBarChart(plotter.Values{total}, w)
		if err != nil {
			return fmt.Errorf("phases of run %s: %w", names[j], err)
		}
		frame.XMin, frame.Color = float64(j), color.Transparent
		frame.LineStyle.Color, frame.LineStyle.Width = c, vg.Points(2.5)
		p.Add(frame)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Legend.Top = true
	headroom(p, 0.3)
	return save(p, path)
}
