package plots

import (
	"errors"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"exp/verdict"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/plotter"

	"exp/monitor"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixture is two synthetic runs: "single" flattens at 20 req/s from 4
// users, "goroutine" grows with its users; both ramp 2 users a second to
// 12, then hold.
func fixture() []RunSeries {
	return []RunSeries{
		synthRun("single", 0, func(users int) (int64, time.Duration) {
			return int64(min(5*users, 20)), time.Duration(max(users*50, 200)) * time.Millisecond
		}),
		synthRun("goroutine", 1, func(users int) (int64, time.Duration) {
			return int64(5 * users), 200 * time.Millisecond
		}),
	}
}

func synthRun(name string, colour int, at func(users int) (int64, time.Duration)) RunSeries {
	var sum analysis.Summary
	var usage []monitor.Usage
	var lat []uint32
	for t := range 14 {
		users := min(2*(t+1), 12)
		rps, p50 := at(users)
		sum.Seconds = append(sum.Seconds, analysis.Second{T: t, ActiveUsers: users, Requests: rps, Responses: rps, Successes: rps,
			P50: p50, P95: p50 * 3 / 2, P99: p50 * 2})
		usage = append(usage,
			monitor.Usage{T: time.Duration(t+1) * time.Second, Scope: monitor.ScopeTarget, CPUPct: float64(rps) * 2, RSS: uint64(20+t) << 20},
			monitor.Usage{T: time.Duration(t+1) * time.Second, Scope: monitor.ScopeGenerator, CPUPct: float64(rps) / 2, RSS: 30 << 20})
		for i := range rps {
			lat = append(lat, uint32(p50.Microseconds())*uint32(50+i)/uint32(50+rps/2))
		}
	}
	sum.Duration = 14 * time.Second
	slices.Sort(lat)
	ms := time.Millisecond
	sum.Endpoints = []analysis.Stats{
		{Name: "/health", Method: "GET", Requests: 10, Min: ms / 10, P50: ms / 5, P95: ms / 2},
		{Name: "/io", Method: "GET", Requests: 10, Min: 200 * ms, P50: 210 * ms, P95: time.Duration(colour+1) * 240 * ms},
		{Name: "/cpu", Method: "POST", Requests: 10, Min: 10 * ms, P50: 12 * ms, P95: 30 * ms},
	}
	var ph analysis.PhaseStats
	for i, d := range []time.Duration{0, time.Duration(colour) * 30 * ms, 0, 200 * ms, 5 * ms} {
		ph.Phases[i] = analysis.PhaseStat{Name: load.PhaseNames[i], Mean: d, P95: 2 * d}
	}
	return RunSeries{Name: name, Color: colour, Seconds: verdict.FullSeconds(load.Closed, sum),
		Usage: usage, Spectrum: analysis.Spectrum(lat), Endpoints: sum.Endpoints,
		Plateau: verdict.FindPlateau(load.Closed, sum), Phases: ph}
}

// The data series that feed the charts, against a golden file.
func TestSeriesGolden(t *testing.T) {
	var b strings.Builder
	runs := fixture()
	for _, r := range runs {
		fmt.Fprintf(&b, "run %s: %s\n", r.Name, r.Plateau)
		dump(&b, "rpsOverTime", rpsOverTime(r))
		dump(&b, "loadOverTime", loadOverTime(r))
		dump(&b, "plateauPoints", plateauPoints(r))
		dump(&b, "levelLine", levelLine(r))
		for _, pc := range latencyPercentiles {
			dump(&b, "latencyByLoad "+pc.name, latencyByLoad(r, pc))
			dump(&b, "latencyOverTime "+pc.name, latencyOverTime(r, pc))
		}
		dump(&b, "spectrumXY", spectrumXY(r))
		dump(&b, "target CPU", usageOverTime(r, monitor.ScopeTarget, cpuPct))
		dump(&b, "generator CPU", usageOverTime(r, monitor.ScopeGenerator, cpuPct))
		dump(&b, "target RSS", usageOverTime(r, monitor.ScopeTarget, rssMB))
	}
	names, vals := endpointBars(runs)
	fmt.Fprintf(&b, "endpointBars %v %v\n", names, vals)
	runNames, phases, _ := phaseBars(runs)
	fmt.Fprintf(&b, "phaseBars %v %v\n", runNames, phases)
	golden(t, "series.golden", b.String())
}

func dump(b *strings.Builder, name string, xy plotter.XYs) {
	fmt.Fprintf(b, "  %s:", name)
	for _, p := range xy {
		fmt.Fprintf(b, " (%.4g, %.4g)", p.X, p.Y)
	}
	fmt.Fprintln(b)
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update to accept):\n%s", path, got)
	}
}

// Every chart decodes as a PNG of the expected size, is not blank, and
// shows each run in its colour.
func TestChartsArePNGs(t *testing.T) {
	runs := fixture()
	dir := t.TempDir()
	written, skipped, err := WriteAll(runs, dir)
	if err != nil || len(skipped) != 0 || len(written) != len(Charts) {
		t.Fatalf("wrote %v, skipped %v, err %v", written, skipped, err)
	}
	for _, c := range Charts {
		t.Run(c.File, func(t *testing.T) {
			img := decode(t, filepath.Join(dir, c.File))
			w, h := px(Width), px(Height)
			if c.File == "throughput.png" || c.File == "resources.png" {
				h = px(PanelHeight)
			}
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
			}
			if v := variance(img); v < 200 {
				t.Errorf("pixel variance %.0f: blank?", v)
			}
			for _, r := range runs {
				if n := count(img, r.Color); n < 30 {
					t.Errorf("run %s: %d pixels of its colour", r.Name, n)
				}
			}
		})
	}
}

func px(l interface{ Dots(float64) float64 }) int { return int(math.Round(l.Dots(DPI))) }

func decode(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// variance is the variance of the pixels' luminance (0–255).
func variance(img image.Image) float64 {
	var sum, sq, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			sum += l
			sq += l * l
			n++
		}
	}
	m := sum / n
	return sq/n - m*m
}

func count(img image.Image, colour int) int {
	want := palette[colour]
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bl>>8) == want.B {
				n++
			}
		}
	}
	return n
}

func TestNoData(t *testing.T) {
	runs := []RunSeries{{Name: "empty"}}
	dir := t.TempDir()
	for _, c := range Charts {
		if err := c.Draw(runs, filepath.Join(dir, c.File)); !errors.Is(err, ErrNoData) {
			t.Errorf("%s of an empty run: %v, want ErrNoData", c.File, err)
		}
	}
	written, skipped, err := WriteAll(runs, dir)
	if err != nil || len(written) != 0 || len(skipped) != len(Charts) {
		t.Errorf("wrote %v, skipped %v, err %v", written, skipped, err)
	}
}

func TestFmtSig(t *testing.T) {
	for _, tt := range []struct {
		v      float64
		digits int
		want   string
	}{{50000, 4, "50000"}, {0.30000000000000004, 4, "0.3"}, {99.99, 4, "99.99"}, {200.8, 3, "201"},
		{15.78, 3, "15.8"}, {0.0123456, 3, "0.0123"}, {0, 3, "0"}} {
		if got := units.Sig(tt.v, tt.digits); got != tt.want {
			t.Errorf("units.Sig(%g, %d) = %q, want %q", tt.v, tt.digits, got, tt.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		labels string
	}{
		{0.3, 3000, "0.5 1 2 5 10 20 50 100 200 500 1000 2000"},
		{150, 260, "150 200 250"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (logTicks{}).Ticks(tt.lo, tt.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if s := strings.Join(got, " "); s != tt.labels {
			t.Errorf("ticks %g–%g: %q, want %q", tt.lo, tt.hi, s, tt.labels)
		}
	}
}

func TestWriteFixtureForViewing(t *testing.T) {
	if d := os.Getenv("PLOTS_VIEW_DIR"); d != "" {
		if _, _, err := WriteAll(fixture(), d); err != nil {
			t.Fatal(err)
		}
	}
}

// The intervals chart draws the rows that have an interval, and says when
// none has.
func TestChangesChart(t *testing.T) {
	dir := t.TempDir()
	nan := math.NaN()
	rows := []ChangeRow{{Label: "after p50", Pct: 12, Lo: 8, Hi: 16, Color: 1, Real: true},
		{Label: "after p99", Pct: nan, Lo: nan, Hi: nan, Color: 1},
		{Label: "after throughput", Pct: -1, Lo: -3, Hi: 1, Color: 1}}
	path := filepath.Join(dir, "changes.png")
	if err := Changes(rows, path); err != nil {
		t.Fatal(err)
	}
	img := decode(t, path)
	if count(img, 1) == 0 {
		t.Error("changes.png has none of the candidate's colour")
	}
	if err := Changes(rows[1:2], path); !errors.Is(err, ErrNoData) {
		t.Errorf("no interval to draw: %v, want ErrNoData", err)
	}
}
