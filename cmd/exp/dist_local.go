package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"exp/dist"
	"exp/runflags"
)

func newDistLocalCmd() *cobra.Command {
	var workers int
	var keep, name string
	var readyTimeout, margin time.Duration
	cmd := &cobra.Command{
		Use:   "local --workers N -- RUN ARGS...",
		Short: "Run a test split across N worker processes on this machine, then merge them into one run",
		Long: `Run the whole test that RUN ARGS (exp run's flags) describe, split across
N processes of exp run --segment I/N sharing a results directory, exactly as
N machines would run it, then merge them into one run of --db and print it.
Without --url, the built-in target is started once for all of them (worker
0 monitors it).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDistLocal(cmd, args, workers, keep, name, readyTimeout, margin)
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 2, "worker processes")
	cmd.Flags().StringVar(&keep, "results", "", "results directory to keep (default: a temporary one, removed after the merge)")
	cmd.Flags().StringVar(&name, "name", "", "name of the merged run (default: the workers' run name)")
	cmd.Flags().DurationVar(&readyTimeout, "ready-timeout", 30*time.Second, "how long the workers wait for each other")
	cmd.Flags().DurationVar(&margin, "start-margin", dist.DefaultMargin, "the common start after the last worker is ready")
	return cmd
}

func runDistLocal(cmd *cobra.Command, args []string, workers int, keep, name string, readyTimeout, margin time.Duration) error {
	if workers < 1 || workers > 64 {
		return badInput(fmt.Errorf("--workers must be from 1 to 64 on one machine, got %d", workers))
	}
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f runflags.Flags
	f.Bind(fs)
	if err := fs.Parse(args); err != nil {
		return badInput(fmt.Errorf("run arguments: %w", err))
	}
	spec, err := f.Spec(fs)
	if err == nil {
		err = spec.Check()
	}
	if err != nil {
		return badInput(err)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	db, err := openStore(cmd)
	if err != nil {
		return err
	}
	defer db.Close()
	t := dist.LocalTest{
		Local: dist.Local{Workers: workers, Exe: exe, Args: args, Dir: keep, ReadyTimeout: readyTimeout,
			Margin: margin, Output: cmd.ErrOrStderr()},
		Spec: spec,
		BuiltinArgs: func(url string) []string {
			return append(runflags.Args(runflags.Given(fs), runflags.BuiltinFlag), "--url="+url)
		},
		Merge: dist.MergeOptions{Name: name},
	}
	out, err := t.Run(cmd.Context(), db)
	if err == nil {
		err = printMerged(context.WithoutCancel(cmd.Context()), cmd.OutOrStdout(), db, out)
	}
	if cmd.Context().Err() != nil && err == nil {
		return silentExit{code: exitAborted}
	}
	return err
}
