package main

import (
	"context"
	"encoding/json"
	"errors"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"exp/store"
	"exp/target"
)

// Plan defaults: the classic test plan.
const (
	defaultVariants = "single,pooled,goroutine"
	defaultLevels   = "10:2,50:5,100:10"
	defaultCellTime = 3 * time.Minute
)

// planFlags are the flags of `exp plan`: the sweep, and the run flags
// every cell shares.
type planFlags struct {
	run              runFlags
	variants, levels string
	out, name        string
}

// planRunFlags are the flags of `exp run` that `exp plan` passes to every
// cell; users, spawn rate, variant and name are the plan's to set.
var planRunFlags = []string{"url", "duration", "tasks", "wait", "timeout", "keepalive", "header",
	"target-pid", "target-cmd", "sample-every", "threshold", "pool-size", "queue",
	"server-keepalive", "idle-timeout", "cpu-work", "stall-every", "stall-for"}

func newPlanCmd() *cobra.Command {
	var pf planFlags
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
	bindPlanFlags(cmd.Flags(), &pf)
	cmd.AddCommand(newPlanShowCmd())
	return cmd
}

func bindPlanFlags(fs *pflag.FlagSet, pf *planFlags) {
	all := pflag.NewFlagSet("run", pflag.ContinueOnError)
	pf.run.bind(all)
	d := all.Lookup("duration")
	d.Value.Set(defaultCellTime.String())
	d.DefValue, d.Usage = d.Value.String(), "length of each run (cell), from its first user"
	for _, name := range planRunFlags {
		if fl := all.Lookup(name); fl != nil {
			fs.AddFlag(fl)
		}
	}
	fs.StringVar(&pf.variants, "variants", defaultVariants, "built-in target variants to sweep, comma-separated")
	fs.StringVar(&pf.levels, "levels", defaultLevels, "load levels users:spawn-rate,... (users per second)")
	fs.StringVar(&pf.out, "out", "", "directory of the report (default ./plans/<plan name>/)")
	fs.StringVar(&pf.name, "name", "", "unique name of the plan (default plan-N); runs are named <plan>-<variant>-<users>")
}

// parseLevels parses "10:2,50:5,100:10": users and spawn rate per level,
// users rising. A level without a spawn rate starts its users at once.
func parseLevels(s string) ([]store.PlanLevel, error) {
	var out []store.PlanLevel
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		u, r, hasRate := strings.Cut(item, ":")
		users, err := strconv.Atoi(strings.TrimSpace(u))
		if err != nil || users < 1 {
			return nil, fmt.Errorf("--levels: %q: want users:spawn-rate such as 10:2 (users a whole number ≥ 1)", item)
		}
		rate := float64(users)
		if hasRate {
			rate, err = strconv.ParseFloat(strings.TrimSpace(r), 64)
			if err != nil || rate <= 0 || rate != rate {
				return nil, fmt.Errorf("--levels: %q: spawn rate %q must be a number above 0", item, r)
			}
		}
		if n := len(out); n > 0 && users <= out[n-1].Users {
			return nil, fmt.Errorf("--levels: %q: users must rise from level to level (%d after %d)", item, users, out[n-1].Users)
		}
		out = append(out, store.PlanLevel{Users: users, SpawnRate: rate})
	}
	return out, nil
}

// parseVariants parses the --variants list; each once, each known.
func parseVariants(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !target.Variant(v).Known() {
			names := make([]string, 0, 3)
			for _, k := range target.Variants() {
				names = append(names, string(k))
			}
			return nil, fmt.Errorf("--variants: unknown variant %q (want %s)", v, strings.Join(names, ", "))
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// planCell is a cell ready to run: its row and the flags and config of
// its run.
type planCell struct {
	store.PlanCell
	flags runFlags
	cfg   load.RunConfig
}

// cellsOf lays the plan out level by level and checks every cell's
// config, so bad input is found before any load.
func cellsOf(cmd *cobra.Command, pf *planFlags, plan string, variants []string, levels []store.PlanLevel) ([]planCell, error) {
	var cells []planCell
	for _, l := range levels {
		for _, v := range variants {
			c := planCell{flags: pf.run}
			c.Cell, c.Variant, c.Users, c.SpawnRate = len(cells)+1, v, l.Users, l.SpawnRate
			c.flags.users, c.flags.spawnRate = l.Users, l.SpawnRate
			c.RunName = fmt.Sprintf("%s-%s-%d", plan, v, l.Users)
			if v == "-" {
				c.RunName = fmt.Sprintf("%s-%d", plan, l.Users)
			} else {
				c.flags.serve.Variant = target.Variant(v)
			}
			c.flags.name = c.RunName
			cfg, err := c.flags.config(cmd)
			if err != nil {
				return nil, err
			}
			c.cfg = cfg
			cells = append(cells, c)
		}
	}
	return cells, nil
}

// planConfig is what every cell shares, stored with the plan as JSON.
type planConfig struct {
	Tasks      string         `json:"tasks"`
	Wait       string         `json:"wait"`
	Timeout    string         `json:"timeout"`
	KeepAlive  bool           `json:"keepalive"`
	Thresholds []string       `json:"thresholds,omitempty"`
	Target     map[string]any `json:"target,omitempty"` // built-in target settings
	TargetCmd  string         `json:"target_cmd,omitempty"`
	TargetPID  int            `json:"target_pid,omitempty"`
}

// runPlan runs every cell, then writes the report.
func runPlan(cmd *cobra.Command, pf *planFlags) error {
	ctx, stdout, stderr := cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	p, th, err := preparePlan(cmd, pf)
	if err != nil {
		return err
	}
	if err := preflight(&pf.run); err != nil {
		return err
	}
	db, err := openStore(cmd)
	if err != nil {
		return err
	}
	defer db.Close()
	if p.Name == "" {
		if p.Name, err = db.NextPlanName(ctx, "plan"); err != nil {
			return err
		}
	}
	if _, err := db.FindPlan(ctx, p.Name); err == nil {
		return badInput(fmt.Errorf("--name %q: a plan of that name exists already", p.Name))
	}
	cells, err := cellsOf(cmd, pf, p.Name, cellVariants(p), p.Levels)
	if err != nil {
		return badInput(err)
	}
	for _, c := range cells {
		if _, err := db.FindRun(ctx, c.RunName); err == nil {
			return badInput(fmt.Errorf("a run named %q exists already: give the plan another --name", c.RunName))
		}
	}
	if p.OutDir == "" {
		p.OutDir = filepath.Join("plans", safeName(p.Name))
	}
	bg := context.WithoutCancel(ctx)
	if p.ID, err = db.CreatePlan(bg, p); err != nil {
		return storeError(err)
	}
	for _, c := range cells {
		if err := db.AddPlanCell(bg, p.ID, c.PlanCell); err != nil {
			return err
		}
	}
	status, runErrs := runCells(ctx, db, p, cells, stdout, stderr)
	if err := db.FinishPlan(bg, p.ID, status, p.OutDir, time.Now()); err != nil {
		return err
	}
	breached, err := writePlanReport(bg, db, p.Name, p.OutDir, th, stdout, stderr)
	if err != nil {
		return err
	}
	switch {
	case status == store.PlanAborted:
		return silentExit{code: exitAborted}
	case runErrs > 0:
		return fmt.Errorf("plan %s: %d of %d runs failed", p.Name, runErrs, len(cells))
	case breached > 0:
		return withCode(exitThreshold, fmt.Errorf("plan %s: %d thresholds breached", p.Name, breached))
	}
	return nil
}

// preparePlan checks the plan's flags and gives the plan to record (name
// and cells still to make) and its thresholds.
func preparePlan(cmd *cobra.Command, pf *planFlags) (store.Plan, []analysis.Threshold, error) {
	p := store.Plan{Name: pf.name, TargetURL: pf.run.url, Duration: pf.run.duration, OutDir: pf.out}
	var err error
	if p.Levels, err = parseLevels(pf.levels); err != nil {
		return p, nil, badInput(err)
	}
	switch {
	case pf.run.url != "" && cmd.Flags().Changed("variants"):
		return p, nil, badInput(errors.New("--variants sweeps the built-in target and cannot be used with --url"))
	case pf.run.url == "":
		if p.Variants, err = parseVariants(pf.variants); err != nil {
			return p, nil, badInput(err)
		}
	}
	th, err := parseThresholds(pf.run.thresholds)
	if err != nil {
		return p, nil, badInput(err)
	}
	cfg := planConfig{Tasks: pf.run.tasks, Wait: pf.run.wait, Timeout: pf.run.timeout.String(),
		KeepAlive: pf.run.keepAlive, Thresholds: pf.run.thresholds, TargetCmd: pf.run.targetCmd,
		TargetPID: pf.run.targetPID}
	if pf.run.url == "" {
		cfg.Target = pf.run.serve.Params()
		delete(cfg.Target, "variant")
	}
	if p.Config, err = json.Marshal(cfg); err != nil {
		return p, nil, err
	}
	// A first check of every cell, under a provisional name, before the
	// store is opened.
	if _, err := cellsOf(cmd, pf, "check", cellVariants(p), p.Levels); err != nil {
		return p, nil, badInput(err)
	}
	return p, th, nil
}

// cellVariants are the variants a plan's cells run: "-" alone for an
// external target.
func cellVariants(p store.Plan) []string {
	if len(p.Variants) == 0 {
		return []string{"-"}
	}
	return p.Variants
}

// runCells runs the cells in order, each a normal run linked to the plan,
// printing which cell runs and how far the plan is. An interrupt stops
// the plan (the interrupted run is kept, aborted); a failed run is
// reported and the plan goes on.
func runCells(ctx context.Context, db *store.DB, p store.Plan, cells []planCell, stdout, stderr io.Writer) (string, int) {
	bg := context.WithoutCancel(ctx)
	status, failed := store.PlanCompleted, 0
	start := time.Now()
	for i, c := range cells {
		fmt.Fprintf(stderr, "exp: plan %s: cell %d/%d %s (spawn %g/s), %v each; %s\n", p.Name, c.Cell, len(cells),
			cellLabel(c.PlanCell), c.SpawnRate, p.Duration, planETA(time.Since(start), i, len(cells), p.Duration))
		out, err := executeRun(ctx, db, c.cfg, &c.flags, io.Discard, stderr)
		if out.runID != 0 {
			if lerr := db.LinkPlanRun(bg, p.ID, c.Cell, out.runID); lerr != nil {
				fmt.Fprintf(stderr, "exp: plan %s: %v\n", p.Name, lerr)
			}
			t := out.summary.Total
			fmt.Fprintf(stdout, "cell %d/%d %s: %.1f req/s, avg %s ms, p95 %s ms, %d failures of %d (run %s, %s)\n",
				c.Cell, len(cells), cellLabel(c.PlanCell), t.RPS, units.Ms(t.Avg), units.Ms(t.P95), t.Failures, t.Requests,
				out.name, out.status)
		}
		if errors.Is(err, errSilent) || ctx.Err() != nil {
			fmt.Fprintf(stderr, "exp: plan %s interrupted at cell %d/%d: finished runs are kept, the report covers them\n",
				p.Name, c.Cell, len(cells))
			return store.PlanAborted, failed
		}
		if err != nil {
			fmt.Fprintf(stderr, "exp: plan %s: cell %d/%d %s: %v\n", p.Name, c.Cell, len(cells), cellLabel(c.PlanCell), err)
			status, failed = store.PlanFailed, failed+1
		}
	}
	return status, failed
}

func cellLabel(c store.PlanCell) string {
	if c.Variant == "-" {
		return fmt.Sprintf("at %d users", c.Users)
	}
	return fmt.Sprintf("%s at %d users", c.Variant, c.Users)
}

// planETA says how far the plan is: from the time the finished cells took
// when there are some, from the cell duration before.
func planETA(elapsed time.Duration, done, total int, cell time.Duration) string {
	per := cell + 2*time.Second // start and stop of the target, analysis
	if done > 0 {
		per = elapsed / time.Duration(done)
	}
	left := per * time.Duration(total-done)
	return fmt.Sprintf("plan %d%% done, about %v left", 100*done/total, left.Round(time.Second))
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
				return storeError(err)
			}
			th, err := storedThresholds(p)
			if err != nil {
				return err
			}
			if out == "" {
				out = p.OutDir
			}
			if out == "" {
				out = filepath.Join("plans", safeName(p.Name))
			}
			_, err = writePlanReport(cmd.Context(), db, p.Name, out, th, cmd.OutOrStdout(), cmd.ErrOrStderr())
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory of the report (default: where the plan wrote it)")
	return cmd
}

// storedThresholds parses the thresholds kept with a plan.
func storedThresholds(p store.Plan) ([]analysis.Threshold, error) {
	var cfg planConfig
	if err := json.Unmarshal(p.Config, &cfg); err != nil {
		return nil, fmt.Errorf("plan %s: config: %w", p.Name, err)
	}
	return parseThresholds(cfg.Thresholds)
}
