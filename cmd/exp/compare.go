package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"exp/compare"
	"exp/lab"
	"exp/report"
	"exp/store"
)

func newCompareCmd() *cobra.Command {
	var out, baseline, format, noise string
	var gateSpecs []string
	cmd := &cobra.Command{
		Use:   "compare BASELINE CANDIDATE [CANDIDATE...]",
		Short: "Compare stored runs or groups of repeats: is the change real, gates for CI, verdicts, PNG plots",
		Long: `Compare stored runs or groups of repeated runs (exp run --repeat N), by name or
id, against a baseline, the first unless --baseline names another: a table of
every run's figures, then for each side the change in median, p95 and p99
latency and in throughput with its 95% confidence interval and whether it is
real or within noise, each run's bottleneck verdict, and PNG charts written to
--out (default ./plots/<names>/).

Across repeats the run is the unit: the interval comes from the spread of the
repeats (and of a calibration named by --noise). With one run a side the
run-to-run noise is unknown; the interval then covers only the variation
within each run (a block bootstrap over its seconds) and a change beyond it is
"undecided", never "real".

--gate FIGURE:TOLERANCE (p50, p95, p99, throughput; p95:+5%, throughput:-3%)
makes compare exit 5 when a candidate's figure got worse beyond the tolerance
with confidence: its whole interval lies past it.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			gates, err := compare.ParseGates(gateSpecs)
			if err != nil {
				return err
			}
			if format != "text" && format != "json" && format != "markdown" {
				return badInput(fmt.Errorf("--format %q: want text, json or markdown", format))
			}
			names, err := lab.SideNames(args, baseline)
			if err != nil {
				return err
			}
			db, err := openStoreRO(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			return runCompare(cmd, db, names, compareOpts{out: out, format: format, noise: noise, gates: gates})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory for the PNG charts (default ./plots/<names>/); text format only")
	cmd.Flags().StringVar(&baseline, "baseline", "", "run or group the others are compared against (default: the first)")
	cmd.Flags().StringVar(&format, "format", "text", "text, json (for CI) or markdown (for a pull-request comment)")
	cmd.Flags().StringVar(&noise, "noise", "", "group whose run-to-run spread to use as noise (exp calibrate stores one)")
	cmd.Flags().StringArrayVar(&gateSpecs, "gate", nil, "FIGURE:TOLERANCE, such as p95:+5% or throughput:-3%: exit 5 when a candidate got worse beyond it with confidence (repeatable)")
	return cmd
}

type compareOpts struct {
	out, format, noise string
	gates              []compare.Gate
}

// runCompare prints the comparison of the sides (names[0] the baseline)
// and writes its charts; a failed gate gives exit status 5.
func runCompare(cmd *cobra.Command, db *store.DB, names []string, o compareOpts) error {
	ctx, w, errw := cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	sides, err := lab.LoadSides(ctx, db, names)
	if err != nil {
		return err
	}
	for _, r := range lab.SideRuns(sides) {
		warnRun(errw, r)
	}
	var noise *compare.Noise
	if o.noise != "" {
		if noise, err = lab.LoadNoise(ctx, db, o.noise); err != nil {
			return err
		}
	}
	c := lab.Comparison(sides[0], sides[1:], noise, o.gates)
	switch o.format {
	case "json":
		err = report.CompareJSON(w, c)
	case "markdown":
		err = report.CompareMarkdown(w, c)
	default:
		if err = report.Compare(w, c); err == nil {
			out := o.out
			if out == "" {
				out = filepath.Join("plots", lab.SafeName(strings.Join(names, "-vs-")))
			}
			fmt.Fprintln(w)
			written, skipped, perr := lab.WriteComparePlots(sides, c, out)
			err = cmp.Or(perr, lab.PrintPlots(w, errw, written, skipped))
		}
	}
	if err != nil {
		return err
	}
	if c.GateFailed() {
		return withCode(exitGate, compare.ErrGateFailed)
	}
	return nil
}

func warnRun(errw io.Writer, r lab.Stored) {
	if r.Run.Status == store.StatusImported {
		fmt.Fprintf(errw, "exp: run %s is imported: latency intervals and the percentile chart are n/a: imported run has no samples\n", r.Run.Name)
	}
	if r.Run.Status == store.StatusRunning {
		fmt.Fprintf(errw, "exp: run %s is still running: its figures are incomplete\n", r.Run.Name)
	}
}
