package runflags

import (
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"exp/dist"
	"exp/input"
	"exp/load"
)

// Worker is exp run's flags of one worker of a split test.
type Worker struct {
	segment              string
	segments             int
	results              string
	readyTimeout, margin time.Duration
}

// Bind defines the flags on fs.
func (w *Worker) Bind(fs *pflag.FlagSet) {
	fs.StringVar(&w.segment, "segment", "", "run worker I's share of a test split across N workers: I/N, I from 0 (needs --results)")
	fs.IntVar(&w.segments, "segments", 0, "run one of N workers' shares, I from $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job's)")
	fs.StringVar(&w.results, "results", "", "with --segment(s): the results directory every worker shares (ready/I, worker-I.db)")
	fs.DurationVar(&w.readyTimeout, "ready-timeout", dist.DefaultReadyTimeout, "with --segment(s): how long to wait for every worker; then all exit non-zero, nothing run")
	fs.DurationVar(&w.margin, "start-margin", dist.DefaultMargin, "with --segment(s): the common start is this long after the last worker became ready")
}

// Spec gives the worker's settings, false when the run is not split.
func (w *Worker) Spec(fl *pflag.FlagSet, version string) (dist.Worker, bool, error) {
	if !fl.Changed("segment") && !fl.Changed("segments") {
		if fl.Changed("results") {
			return dist.Worker{}, false, input.Errorf("results", "goes with --segment or --segments")
		}
		return dist.Worker{}, false, nil
	}
	out := dist.Worker{Dir: w.results, ReadyTimeout: w.readyTimeout, Margin: w.margin, Version: version}
	var err error
	switch {
	case fl.Changed("segment") && fl.Changed("segments"):
		return out, true, input.Errorf("segment", "I/N and --segments N cannot be used together")
	case fl.Changed("segment"):
		out.Segment, err = load.ParseSegment(w.segment)
	default:
		idx := os.Getenv("JOB_COMPLETION_INDEX")
		i, perr := strconv.Atoi(idx)
		if perr != nil {
			return out, true, input.Errorf("segments", "needs the worker's index in $JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job), got %q; or give --segment I/N", idx)
		}
		out.Segment = load.Segment{Index: i, Count: w.segments}
		err = out.Segment.Validate()
	}
	if err == nil && w.results == "" {
		err = input.Errorf("results", "is needed with --segment(s): the directory every worker shares")
	}
	return out, true, err
}
