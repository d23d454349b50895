package main

import (
	"context"
	"errors"
	"exp/runflags"
	"exp/store"
	"fmt"

	"github.com/spf13/cobra"

	"exp/lab"
)

func newRunCmd() *cobra.Command {
	var f runflags.Flags
	var repeat int
	var printScenario bool
	var wf runflags.Worker
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run a load test against the built-in target (--variant) or any server (--url) and store it",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := f.Spec(cmd.Flags())
			if err != nil {
				return badInput(err)
			}
			if printScenario {
				y, err := lab.ScenarioYAML(spec)
				if err == nil {
					_, err = cmd.OutOrStdout().Write(y)
				}
				return err
			}
			if w, split, err := wf.Spec(cmd.Flags(), version); err != nil {
				return badInput(err)
			} else if split {
				return runWorker(cmd, w, spec)
			}
			return runRun(cmd, spec, repeat, cmd.Flags().Changed("repeat"))
		},
	}
	f.Bind(cmd.Flags())
	wf.Bind(cmd.Flags())
	cmd.Flags().BoolVar(&printScenario, "print-scenario", false, "print the scenario --scenario or --locustfile gives, as YAML, and exit without running")
	cmd.Flags().IntVar(&repeat, "repeat", 1, "run it N times, a fresh target each time, stored as the group --name (runs NAME-1 ... NAME-N) that compare takes as one side")
	return cmd
}

// runRun makes the run (or, grouped, a group of repeats runs), prints it
// and turns how it ended into an exit status.
func runRun(cmd *cobra.Command, spec lab.RunSpec, repeats int, grouped bool) error {
	l, err := openLab(cmd, spec)
	if err != nil {
		return err
	}
	db := l.DB
	defer db.Close()
	if grouped {
		rep, err := l.RunRepeats(cmd.Context(), spec, repeats, store.GroupRepeat)
		return finishRepeats(cmd, db, rep, spec, err)
	}
	out, err := l.Run(cmd.Context(), spec)
	// A run whose end the store could not take is still printed, from
	// memory, and its thresholds checked: the user sees the figures.
	if err := printOutcome(cmd, db, out, err); err != nil && !errors.Is(err, lab.ErrNotSaved) {
		return err
	}
	thErr := finishWithThresholds(cmd.OutOrStdout(), out, spec)
	if err := endError(out, err); err != nil {
		return err
	}
	return thErr
}

// endError is how a run that was printed ends, when not with its
// thresholds: its end could not be saved, its target stopped, or the store
// lost samples; each is exit status 1 with one line, and outranks a
// breached threshold, whose figures it puts in doubt.
func endError(out lab.Outcome, err error) error {
	switch {
	case errors.Is(err, lab.ErrNotSaved):
		return withCode(exitFailure, err)
	case out.TargetStopped != "":
		// Stored in full, but what it measured is a dead server.
		return withCode(exitFailure, fmt.Errorf("run %s: %s", out.Name, out.TargetStopped))
	case out.Lost > 0:
		return withCode(exitFailure, fmt.Errorf("run %s is incomplete: %d samples could not be stored", out.Name, out.Lost))
	}
	return nil
}

// printOutcome prints the run of out, if there is one, interrupted or
// not (the store outlives an interrupt), and gives err, an interrupt as
// exit status 3 with nothing more to say.
func printOutcome(cmd *cobra.Command, db *store.DB, out lab.Outcome, err error) error {
	if out.RunID == 0 {
		return err
	}
	if perr := lab.PrintOutcome(context.WithoutCancel(cmd.Context()), cmd.OutOrStdout(), db, out); perr != nil && err == nil {
		err = perr
	}
	if errors.Is(err, lab.ErrInterrupted) {
		return silentExit{code: exitAborted} // the summary said it all
	}
	return err
}

// openLab checks the spec's target, then opens the store (bad input
// leaves no file behind) and gives the lab that prints its events; the
// caller closes l.DB.
func openLab(cmd *cobra.Command, spec lab.RunSpec) (*lab.Lab, error) {
	if err := lab.Preflight(spec.Target); err != nil {
		return nil, err
	}
	db, err := openStore(cmd)
	if err != nil {
		return nil, err
	}
	return &lab.Lab{DB: db, Version: version, Events: lab.Console(cmd.ErrOrStderr(), cmd.ErrOrStderr())}, nil
}

// finishRepeats prints the summary of each run of a group, checks the
// thresholds on each, and names the group.
func finishRepeats(cmd *cobra.Command, db *store.DB, rep lab.Repeated, spec lab.RunSpec, err error) error {
	bg := context.WithoutCancel(cmd.Context())
	w := cmd.OutOrStdout()
	var thErr error
	for i, out := range rep.Outcomes {
		fmt.Fprintf(w, "\n== %s (%d of %d)\n", out.Name, i+1, len(rep.Outcomes))
		if perr := lab.PrintOutcome(bg, w, db, out); perr != nil && err == nil {
			err = perr
		}
		if e := finishWithThresholds(w, out, spec); e != nil && thErr == nil {
			thErr = e
		}
	}
	if rep.Group != "" {
		fmt.Fprintf(w, "\nGroup %s: %d runs (exp compare %s OTHER)\n", rep.Group, len(rep.Outcomes), rep.Group)
	}
	if errors.Is(err, lab.ErrInterrupted) && len(rep.Outcomes) > 0 {
		return silentExit{code: exitAborted}
	}
	if err != nil {
		return err
	}
	return thErr
}
