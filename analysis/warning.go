package analysis

// WarningCode says what a run's warning is about; programs (the verdict,
// the web UI) decide from it, never from the text. The codes are stored
// (run_warnings.code), so their values are part of the store's interface.
type WarningCode string

const (
	// GeneratorSaturated: the generator's CPU stayed at its limit; the
	// figures may be the generator's, not the server's.
	GeneratorSaturated WarningCode = "generator-saturated"
	// TargetStopped: the target process exited before the run ended.
	TargetStopped WarningCode = "target-stopped"
	// SchedulerLate: the open-model scheduler fell behind its intended
	// send times.
	SchedulerLate WarningCode = "scheduler-late"
	// SamplesLost: the store could not write some samples; the figures
	// miss them and the run is incomplete.
	SamplesLost WarningCode = "samples-lost"
	// ResourcesLost: the store could not write some resource readings
	// (CPU, memory, connections); the resource figures miss them. The
	// request figures are whole: the run is not incomplete for it.
	ResourcesLost WarningCode = "resources-lost"
	// OtherWarning: anything else (and warnings of files older than the
	// codes that matched none of them).
	OtherWarning WarningCode = "other"
)

// Warning is something a run's figures should be read with: a code, and
// the text printed for people.
type Warning struct {
	Code WarningCode `json:"code"`
	Text string      `json:"text"`
}

// FindWarning returns the first warning of ws with the code.
func FindWarning(ws []Warning, code WarningCode) (Warning, bool) {
	for _, w := range ws {
		if w.Code == code {
			return w, true
		}
	}
	return Warning{}, false
}
