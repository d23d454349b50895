package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"exp/dist/k8s"
	"exp/input"
)

func newDistRenderCmd() *cobra.Command {
	spec := k8s.Defaults()
	cmd := &cobra.Command{
		Use:   "render --workers N --image IMAGE [flags] -- RUN ARGS...",
		Short: "Print the Kubernetes Jobs of a run split across N worker pods, and of its merge",
		Long: `Render prints YAML for kubectl apply: an Indexed Job of N pods, each running
exp run --segments N --results /results/NAME RUN ARGS... (its share of the
load, the index from JOB_COMPLETION_INDEX), and a suspended Job running
exp merge over their files, to resume once the workers are done. A failed
worker is never restarted (it would run its share twice): the Job fails.

The run arguments are exp run's flags, after --, and must name the server
with --url: one server for all workers. --pvc is a ReadWriteMany claim that
every pod mounts at /results. The README's "Running on Kubernetes" has the
steps.`,
		Example: `  exp dist render --workers 8 --image ghcr.io/me/exp:1 -- --url http://shop:8080 --users 800 --duration 5m
  exp dist render --workers 4 --image ghcr.io/me/exp:1 --name rate-2k --namespace load --pvc results \
    --cpu 2 --memory 1Gi -- --url http://shop.shop.svc:8080 --rate 2000 --duration 10m`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dash := cmd.ArgsLenAtDash(); dash > 0 || dash < 0 && len(args) > 0 {
				return badInput(fmt.Errorf("exp run's flags go after --, got %q before it (usage: %s)", strings.Join(args, " "), usage(cmd)))
			}
			spec.RunArgs = args
			if err := spec.Check(); err != nil {
				return renderError(err)
			}
			if err := checkRunArgs(args); err != nil {
				return err
			}
			out, err := k8s.Render(spec)
			if err != nil {
				return renderError(err)
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&spec.Workers, "workers", 0, "worker pods, each running its share of the load (required)")
	f.StringVar(&spec.Image, "image", "", "image of exp (built from the Dockerfile) that every pod runs (required)")
	f.StringVar(&spec.PVC, "pvc", spec.PVC, "ReadWriteMany PersistentVolumeClaim holding the results, mounted at /results")
	f.StringVar(&spec.Namespace, "namespace", "", "namespace of the Jobs (default: kubectl's)")
	f.StringVar(&spec.Name, "name", spec.Name, "the workers' Job, the results directory /results/NAME and the merged run; the merge Job is NAME-merge")
	f.StringVar(&spec.CPU, "cpu", spec.CPU, "CPU each pod requests (not a limit: a throttled generator measures itself)")
	f.StringVar(&spec.Memory, "memory", spec.Memory, "memory each pod requests, and its limit")
	// A run flag given before -- is the likeliest mistake: say where it goes.
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return badInput(fmt.Errorf("%w (exp run's flags go after --: %s)", err, usage(c)))
	})
	return cmd
}

// checkRunArgs parses the run arguments as exp run would, so that a
// misspelt flag or a malformed value fails here, not in N pods. What only
// exp run can judge (the values together, a scenario file in the image)
// is left to the workers.
func checkRunArgs(args []string) error {
	run, _, err := newRootCmd().Find([]string{"run"})
	if err != nil {
		return err
	}
	if err := run.ParseFlags(args); err != nil {
		return badInput(fmt.Errorf("the run arguments (after --): %w", err))
	}
	if rest := run.Flags().Args(); len(rest) > 0 {
		return badInput(fmt.Errorf("the run arguments (after --) are flags only, got %q", strings.Join(rest, " ")))
	}
	return nil
}

// renderError spells the spec's fields as the CLI does; the run arguments
// are those after --.
func renderError(err error) error {
	if e, ok := input.As(err); ok && e.Field == "run-args" {
		return badInput(fmt.Errorf("the run arguments (after --) %w", e.Err))
	}
	return badInput(err)
}
