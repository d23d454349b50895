// Command exp runs load-testing experiments against HTTP servers and keeps
// every run in SQLite. See the README and the package docs of experiment,
// store, target, monitor and plots.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is the tool version stored with every run.
var version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	os.Exit(exitCode(err))
}

// run builds the command tree and executes it; main only maps its error to
// an exit status, so tests can call run directly.
func run(ctx context.Context, args []string) error {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && !errors.Is(err, errSilent) {
		fmt.Fprintln(os.Stderr, "exp: "+err.Error())
	}
	return err
}
