package plots

import (
	"exp/units"
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart sizes. At vgimg's 96 dots per inch a chart is 864×528 pixels, a
// two-panel one 864×720.
const (
	Width       = 9 * vg.Inch
	Height      = 5.5 * vg.Inch
	PanelHeight = 7.5 * vg.Inch
	DPI         = vgimg.DefaultDPI
)

// Line dashes by percentile: p50 solid, p95 dashed, p99 dotted.
var (
	solid  []vg.Length
	dashed = []vg.Length{vg.Points(7), vg.Points(3)}
	dotted = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	// pctDashes follows latencyPercentiles.
	pctDashes = [][]vg.Length{solid, dashed, dotted}
)

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text, p.Y.Label.Text = x, y
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), vg.Points(-4)
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// plainTicks are gonum's default ticks labelled without trailing zeros:
// 25, not 25.00.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = units.Number(t.Value)
		}
	}
	return ticks
}

// line adds xy as a line of colour c; the legend gets name unless empty.
func line(p *plot.Plot, xy plotter.XYs, c color.Color, dashes []vg.Length, name string) error {
	return lineWidth(p, xy, c, dashes, name, vg.Points(1.6))
}

func lineWidth(p *plot.Plot, xy plotter.XYs, c color.Color, dashes []vg.Length, name string, width vg.Length) error {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	l.Color, l.Width, l.Dashes = c, width, dashes
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// headroom raises the y axis so the top-left legend does not hide data:
// by a share of the range on a linear axis, by a factor on a log one.
func headroom(p *plot.Plot, share float64) {
	if math.IsInf(p.Y.Min, 0) || math.IsInf(p.Y.Max, 0) {
		return // nothing drawn on this panel
	}
	if _, log := p.Y.Scale.(plot.LogScale); log {
		p.Y.Max *= math.Pow(p.Y.Max/p.Y.Min, share)
		return
	}
	p.Y.Min = min(p.Y.Min, 0)
	p.Y.Max += (p.Y.Max - p.Y.Min) * share
}

// logY puts the y axis on a log scale with readable ticks.
func logY(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
}

// logTicks labels 1, 2 and 5 times the powers of ten within the range, or
// falls back to plain ticks when that gives fewer than two labels (a
// narrow range, such as 200 to 260 ms).
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	labelled := 0
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := base * m
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = units.Number(v)
				labelled++
			}
			ticks = append(ticks, t)
		}
	}
	if labelled < 2 {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// save writes p as a PNG of Width × Height.
func save(p *plot.Plot, path string) error {
	if err := p.Save(Width, Height, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// saveStacked writes two plots one above the other, their x axes aligned,
// as a PNG of Width × PanelHeight.
func saveStacked(top, bottom *plot.Plot, path string) error {
	img := vgimg.New(Width, PanelHeight)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(4),
		PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	plots := [][]*plot.Plot{{top}, {bottom}}
	canvases := plot.Align(plots, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// loadLabel names the load axis for these runs.
func loadLabel(runs []RunSeries) string {
	open, closed := false, false
	for _, r := range runs {
		open = open || r.Open
		closed = closed || !r.Open
	}
	switch {
	case open && closed:
		return "load (active users, or offered req/s)"
	case open:
		return "offered rate (req/s)"
	}
	return "active users"
}

// sameX gives plots one x range, so stacked panels line up in time.
func sameX(ps ...*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		lo, hi = min(lo, p.X.Min), max(hi, p.X.Max)
	}
	for _, p := range ps {
		p.X.Min, p.X.Max = lo, hi
	}
}
