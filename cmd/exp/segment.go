package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"exp/dist"
	"exp/input"
	"exp/lab"
)

// runWorker runs this worker's share and prints its summary, as exp run
// prints a run's.
func runWorker(cmd *cobra.Command, w dist.Worker, spec lab.RunSpec) error {
	if err := lab.Preflight(spec.Target); err != nil {
		return err
	}
	if err := w.Check(spec); err != nil {
		return badInput(err)
	}
	w.Events = lab.Console(cmd.ErrOrStderr(), cmd.ErrOrStderr())
	fmt.Fprintf(cmd.ErrOrStderr(), "worker %s: ready in %s, waiting for the others (up to %v)\n", w.Segment, w.Dir, w.ReadyTimeout)
	out, db, err := dist.RunWorker(cmd.Context(), w, spec)
	var in *input.Error
	switch {
	case errors.As(err, &in):
		return badInput(err)
	case db == nil && cmd.Context().Err() != nil:
		fmt.Fprintf(cmd.ErrOrStderr(), "exp: worker %s: %v\n", w.Segment, err)
		return silentExit{code: exitAborted} // interrupted before any load
	case db == nil:
		return withCode(exitFailure, fmt.Errorf("worker %s: %w", w.Segment, err))
	}
	defer db.Close()
	err = printOutcome(cmd, db, out, err)
	var silent silentExit
	if err != nil && !errors.As(err, &silent) {
		return withCode(exitFailure, fmt.Errorf("worker %s: %w", w.Segment, err))
	}
	return err
}
