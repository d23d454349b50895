package main

import (
	"errors"
	"exp/runflags"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"exp/lab"
)

// Exit statuses, documented in the README.
const (
	exitOK        = 0
	exitFailure   = 1 // a run failed or could not complete
	exitBadInput  = 2 // bad flags, arguments, names or files; nothing stored
	exitAborted   = 3 // interrupted (Ctrl-C / SIGTERM); the run is kept as aborted
	exitThreshold = 4 // the run completed but a --threshold was breached
	exitGate      = 5 // compare: a --gate failed (a figure got worse beyond its tolerance, with confidence)
)

// exitError carries an exit status through cobra to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks err as the user's input at fault: exit status 2.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: exitBadInput, err: err}
}

// parentRun is the RunE of a command that only holds subcommands: help
// without arguments, bad input (exit 2) for an unknown subcommand, which
// cobra would otherwise answer with help and exit 0.
func parentRun(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	return badInput(fmt.Errorf("unknown command %q for %q: see %s --help", args[0], cmd.CommandPath(), cmd.CommandPath()))
}

// withCode gives err an exit status.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// errSilent ends a command with its status when the message was already
// printed (the summary of an aborted run, say).
var errSilent = errors.New("silent")

type silentExit struct{ code int }

func (s silentExit) Error() string { return errSilent.Error() }
func (s silentExit) Is(t error) bool {
	return t == errSilent
}

// exitCode maps an error to the exit status by its kind: a status set
// here, then the libraries' kinds (bad input, bad names and files, an
// interrupt), then cobra's usage errors.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var s silentExit
	if errors.As(err, &s) {
		return s.code
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	switch {
	case lab.IsBadInput(err):
		return exitBadInput
	case errors.Is(err, lab.ErrInterrupted):
		return exitAborted
	case isCobraUsageError(err):
		return exitBadInput
	}
	return exitFailure
}

// errorText is an error as the CLI prints it (see runflags.ErrorText).
func errorText(err error) string { return runflags.ErrorText(err) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "exp",
		Short:         "Load-testing experiments recorded in SQLite",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.PersistentFlags().String("db", defaultDB(), "SQLite file holding the runs (also $EXP_DB)")
	// Flag errors are bad input; cobra gives them as plain errors.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err) })
	// Subcommands, one file each.
	root.AddCommand(
		newCalibrateCmd(),
		newUICmd(),
		newServeCmd(),
		newRunCmd(),
		newShowCmd(),
		newListCmd(),
		newCompareCmd(),
		newMonitorCmd(),
		newPlanCmd(),
		newExportCmd(),
		newImportCmd(),
		newMergeCmd(),
		newDistCmd(),
	)
	return root
}

func defaultDB() string {
	if p := os.Getenv("EXP_DB"); p != "" {
		return p
	}
	return "exp.db"
}
