package main

import (
	"errors"
	"exp/lab"
	"exp/runflags"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
)

func newPlanCmd() *cobra.Command {
	var pf runflags.Plan
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Run the classic test plan: one run per server variant and load level, then a report",
		Long: `Run a sweep: one normal run per (variant, load level), each stored and
linked to the plan, then a report in --out (default ./plans/<plan name>/):
report.md and report.html (self-contained, charts inlined) with the
configuration, a summary table, observations written from the figures,
each cell's figures and bottleneck verdict, and the variants compared at
each level with tables and charts.

Levels are users:spawn-rate (spawn rate in users per second; users alone
start them all within a second). Cells run level by level, every variant
at a level back to back. With --url there is one run per level.

Ctrl-C stops the plan: finished runs and the interrupted one (aborted) are
kept and the report is written for them; exit status 3. A --threshold
applies to every cell: a breach gives exit status 4 once the report is
written. ` + "`exp plan show PLAN`" + ` writes the report again from the store.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return runPlan(cmd, &pf) },
	}
	pf.Bind(cmd.Flags())
	cmd.AddCommand(newPlanShowCmd())
	return cmd
}

// runPlan runs every cell, then prints where the report went.
func runPlan(cmd *cobra.Command, pf *runflags.Plan) error {
	p, err := pf.Spec(cmd.Flags())
	if err != nil {
		return badInput(err)
	}
	if err := lab.Preflight(p.Cell.Target); err != nil {
		return err
	}
	db, err := openStore(cmd)
	if err != nil {
		return err
	}
	defer db.Close()
	stdout := cmd.OutOrStdout()
	events := lab.Console(cmd.ErrOrStderr(), cmd.ErrOrStderr())
	var printErr error // the first line of a cell that could not be written
	l := &lab.Lab{DB: db, Version: version, Events: func(e lab.Event) {
		if e.Kind == lab.CellFinished {
			if err := lab.PrintCell(stdout, e.Cell); err != nil && printErr == nil {
				printErr = err
			}
			return
		}
		events(e)
	}}
	out, err := l.RunPlan(cmd.Context(), p)
	if out.Plan.ID == 0 {
		return err // nothing ran
	}
	breached, perr := lab.PrintPlanReport(stdout, out.Report)
	if perr == nil {
		perr = printErr
	}
	switch {
	case perr != nil:
		return perr
	case errors.Is(err, lab.ErrInterrupted):
		return silentExit{code: exitAborted}
	case err != nil:
		return err
	case breached > 0:
		return withCode(exitThreshold, fmt.Errorf("plan %s: %d thresholds breached", out.Plan.Name, breached))
	}
	return nil
}

func newPlanShowCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "show PLAN",
		Short: "Write a stored plan's report again (by name or id), rebuilt from the store",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := openStoreRO(cmd)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := db.FindPlan(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			th, err := lab.StoredThresholds(p)
			if err != nil {
				return err
			}
			if out == "" {
				out = p.OutDir
			}
			if out == "" {
				out = filepath.Join("plans", lab.SafeName(p.Name))
			}
			rep, err := lab.WritePlanReport(cmd.Context(), db, p.Name, out, th)
			if err != nil {
				return err
			}
			_, err = lab.PrintPlanReport(cmd.OutOrStdout(), rep)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory of the report (default: where the plan wrote it)")
	return cmd
}
