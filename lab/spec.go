package lab

import (
	"errors"
	"time"

	"exp/analysis"
	"exp/input"
	"exp/load"
	"exp/target"
)

// Target says what a run loads: the built-in target when URL is "", an
// external server otherwise.
type Target struct {
	URL     string         // an external server's base URL; "" for the built-in target
	Builtin target.Options // the built-in target, when URL is ""
	PID     int            // with URL: the server's process to monitor (0: none)
	Command string         // with URL: a command that starts the server, stopped after the run
}

// External reports whether the run loads a server of the user's.
func (t Target) External() bool { return t.URL != "" }

// Variant is the built-in target's variant, "" for an external server.
func (t Target) Variant() target.Variant {
	if t.External() {
		return ""
	}
	return t.Builtin.Variant
}

// RunSpec is one run to make. Load.URL is filled in by Run from the
// target; Load.Name "" gives the next free name (variant-users-N).
type RunSpec struct {
	Load        load.RunConfig
	Target      Target
	SampleEvery time.Duration        // resource sampling interval
	Thresholds  []analysis.Threshold // checked by the caller on the Outcome
	// StartAt is the run's time zero when set: a worker of a split test
	// starts its load at the instant all the workers agreed on. A run
	// that is ready only after it fails (ErrLateStart) rather than start
	// late; zero starts at once.
	StartAt time.Time
}

// MinSampleEvery is the shortest resource sampling interval.
const MinSampleEvery = 10 * time.Millisecond

// DefaultSampleEvery is the resource sampling interval of a run.
const DefaultSampleEvery = time.Second

// Check checks a spec before anything is started or stored; its errors are
// *input.Error naming the field.
func (s *RunSpec) Check() error {
	t := s.Target
	if s.SampleEvery < MinSampleEvery {
		return input.Errorf("sample-every", "must be at least %v, got %v", MinSampleEvery, s.SampleEvery)
	}
	if t.PID < 0 {
		return input.Errorf("target-pid", "%d is not a process ID", t.PID)
	}
	if !t.External() {
		if t.PID != 0 || t.Command != "" {
			return input.Wrap("target-pid", errors.New("and target-cmd go with an external url; the built-in target is monitored already"))
		}
		if err := t.Builtin.Validate(); err != nil {
			return err
		}
	} else if t.PID != 0 && t.Command != "" {
		return input.Errorf("target-pid", "and target-cmd cannot be used together")
	}
	cfg := s.Load
	cfg.URL = t.URL
	if !t.External() {
		cfg.URL = "http://127.0.0.1:1" // placeholder until the target is up
		if t.Builtin.TLS {
			cfg.URL = "https://127.0.0.1:1"
		}
	}
	return cfg.Validate()
}
