package dist

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"exp/lab"
	"exp/store"
)

// LocalTest is a whole test run by Local's worker processes on this
// machine, then merged into one run: exp dist local.
type LocalTest struct {
	// Local's Args are exp run's arguments for the whole test; a Dir of
	// "" is a temporary directory, removed after the merge.
	Local
	Spec lab.RunSpec // the whole test, as Args give it (checked)
	// BuiltinArgs gives the workers' run arguments when Spec's target is
	// the built-in one, started once for all of them at url: Args with
	// the target's flags left out and the url given.
	BuiltinArgs func(url string) []string
	Merge       MergeOptions
}

// Run starts the built-in target when Spec has one (worker 0 monitors
// it), runs the workers, names on Output each that failed, and merges
// their runs into into. Interrupted, the workers keep their runs (aborted)
// and they are merged all the same, as exp run keeps an interrupted run.
func (t LocalTest) Run(ctx context.Context, into *store.DB) (lab.Outcome, error) {
	if !t.Spec.Target.External() {
		p, err := lab.StartBuiltin(ctx, t.Exe, t.Spec.Target.Builtin)
		if err != nil {
			return lab.Outcome{}, err
		}
		defer lab.StopTarget(p)
		fmt.Fprintf(t.Output, "exp: built-in target (%s) at %s, pid %d\n", t.Spec.Target.Builtin.Variant, p.URL, p.PID)
		t.Args = t.BuiltinArgs(p.URL)
		if tls := t.Spec.Load.TLS; p.CertFile != "" && tls.CACert == "" && !tls.Insecure {
			t.Args = append(t.Args, "--ca-cert="+p.CertFile) // its certificate, made at its start
		}
		t.Merge.Variant, t.Merge.Params = t.Spec.Target.Builtin.Variant, t.Spec.Target.Builtin.Params()
		t.WorkerArgs = func(i int) []string {
			if i == 0 {
				return []string{"--target-pid=" + strconv.Itoa(p.PID)}
			}
			return nil
		}
	}
	if t.Dir == "" {
		dir, err := os.MkdirTemp("", "exp-dist-")
		if err != nil {
			return lab.Outcome{}, err
		}
		defer os.RemoveAll(dir)
		t.Dir = dir
	}
	exits, err := t.Local.Run(ctx)
	if err != nil {
		return lab.Outcome{}, err
	}
	for _, x := range exits {
		if x.Err != nil {
			fmt.Fprintf(t.Output, "exp: worker %d (pid %d): %v\n", x.Worker, x.PID, x.Err)
		}
	}
	out, _, err := Merge(context.WithoutCancel(ctx), t.Dir, into, t.Merge)
	return out, err
}
