package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"exp/dist"
	"exp/lab"
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
	if err != nil {
		return badInput(err)
	}
	if err := spec.Check(); err != nil {
		return badInput(err)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	merge := dist.MergeOptions{Name: name}
	local := dist.Local{Workers: workers, Exe: exe, Args: args, Dir: keep, ReadyTimeout: readyTimeout,
		Margin: margin, Output: cmd.ErrOrStderr()}
	if !spec.Target.External() {
		p, err := lab.StartBuiltin(cmd.Context(), exe, spec.Target.Builtin)
		if err != nil {
			return err
		}
		defer lab.StopTarget(p)
		fmt.Fprintf(cmd.ErrOrStderr(), "exp: built-in target (%s) at %s, pid %d\n", spec.Target.Builtin.Variant, p.URL, p.PID)
		local.Args = append(runflags.Args(runflags.Given(fs), runflags.BuiltinFlag), "--url="+p.URL)
		if p.CertFile != "" && spec.Load.TLS.CACert == "" && !spec.Load.TLS.Insecure {
			local.Args = append(local.Args, "--ca-cert="+p.CertFile) // its certificate, made at its start
		}
		merge.Variant, merge.Params = spec.Target.Builtin.Variant, spec.Target.Builtin.Params()
		local.WorkerArgs = func(i int) []string {
			if i == 0 {
				return []string{"--target-pid=" + strconv.Itoa(p.PID)}
			}
			return nil
		}
	}
	if local.Dir == "" {
		if local.Dir, err = os.MkdirTemp("", "exp-dist-"); err != nil {
			return err
		}
		defer os.RemoveAll(local.Dir)
	}
	exits, err := local.Run(cmd.Context())
	if err != nil {
		return err
	}
	for _, x := range exits {
		if x.Err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "exp: worker %d (pid %d): %v\n", x.Worker, x.PID, x.Err)
		}
	}
	// Interrupted, the workers kept their runs (aborted): they are merged
	// all the same, as exp run keeps an interrupted run.
	ctx := context.WithoutCancel(cmd.Context())
	db, err := lab.OpenWrite(ctx, dbPath(cmd))
	if err != nil {
		return err
	}
	defer db.DB.Close()
	err = mergeAndPrint(ctx, cmd.OutOrStdout(), db.DB, local.Dir, merge)
	if cmd.Context().Err() != nil && err == nil {
		return silentExit{code: exitAborted}
	}
	return err
}
