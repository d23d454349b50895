package monitor

import (
	"fmt"
	"runtime"
	"time"

	"exp/units"
)

// Saturation thresholds, as Locust's own CPU warning uses.
const (
	SaturationShare  = 0.90             // of the CPU the generator can use
	SaturationWindow = 10 * time.Second // sustained this long
)

// Saturation watches the generator's rows and warns once when the generator
// has used over SaturationShare of the CPU it can use for SaturationWindow
// in a row: past that, measured latencies and rates may be limits of the
// load generator, not of the server. Pure logic over Usage.T; no clock.
type Saturation struct {
	limit   float64       // CPUPct above which a reading counts as saturated
	lastT   time.Duration // T of the previous generator reading
	since   time.Duration // start of the current saturated streak
	inRun   bool          // a streak is going on
	warning string        // set once fired
}

// NewSaturation watches a generator that can use cpus cores. Pass 0 for
// runtime.GOMAXPROCS(0): the cores this Go process can actually run on
// (it follows CPU affinity and cgroup limits, where gopsutil cannot tell).
func NewSaturation(cpus int) *Saturation {
	if cpus <= 0 {
		cpus = runtime.GOMAXPROCS(0)
	}
	return &Saturation{limit: SaturationShare * float64(cpus) * 100}
}

// Add takes one Usage; rows of other scopes than the generator are ignored.
// It returns the warning the one time the detector fires, "" otherwise.
// A reading covers the interval since the previous one, so a streak starts
// at the previous reading's T (the run start for the first reading).
func (d *Saturation) Add(u Usage) string {
	if u.Scope != ScopeGenerator {
		return ""
	}
	prev := d.lastT
	d.lastT = u.T
	if u.CPUPct <= d.limit {
		d.inRun = false
		return ""
	}
	if !d.inRun {
		d.inRun, d.since = true, prev
	}
	if d.warning != "" || u.T-d.since < SaturationWindow {
		return ""
	}
	d.warning = fmt.Sprintf("generator CPU above %.0f%% for %s: figures may be limited by the load generator, not the server",
		SaturationShare*100, units.Seconds(u.T-d.since))
	return d.warning
}

// Warning is the warning if the detector has fired, "" otherwise: for the
// run's summary.
func (d *Saturation) Warning() string { return d.warning }
