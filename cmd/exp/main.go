package main

import (
	"context"
	"errors"
	"exp/lab"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

// version is the tool version stored with every run.
var version = "0.1.0"

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go onSignals(sigs, cancel)
	stopProfile := profile(os.Getenv("EXP_CPUPROFILE"))
	err := run(ctx, os.Args[1:])
	stopProfile()
	signal.Stop(sigs)
	os.Exit(exitCode(err))
}

// profile writes a CPU profile of the whole command to path when it is
// set ($EXP_CPUPROFILE): how the cost per request is found (README,
// "What makes it cheap").
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "exp: EXP_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// onSignals turns the first SIGINT or SIGTERM into a cancelled context: a
// run stops its load, keeps its samples, prints its summary and exits with
// exitAborted. A second signal exits at once, with the same status, after
// killing the child targets: the run is left 'running' in a consistent
// file (SQLite's WAL drops an unfinished transaction) and the next command
// that opens the database marks it incomplete.
func onSignals(sigs <-chan os.Signal, cancel context.CancelFunc) {
	<-sigs
	fmt.Fprintln(os.Stderr, "\nexp: interrupted: stopping, keeping what was measured (interrupt again to exit at once)")
	cancel()
	<-sigs
	lab.KillTargets()
	fmt.Fprintln(os.Stderr, "\nexp: interrupted twice: exiting now")
	os.Exit(exitAborted)
}

// run builds the command tree and executes it; main only maps its error to
// an exit status, so tests can call run directly.
func run(ctx context.Context, args []string) error {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && !errors.Is(err, errSilent) {
		fmt.Fprintln(os.Stderr, "exp: "+oneLine(errorText(err)))
	}
	return err
}

// oneLine puts an error on one line, as every error of exp is printed:
// cobra's "Did you mean this?" list becomes a parenthesis.
func oneLine(msg string) string {
	if head, sugg, ok := strings.Cut(msg, "\n\nDid you mean this?\n"); ok {
		msg = head + " (did you mean " + strings.Join(strings.Fields(sugg), " or ") + "?)"
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}
