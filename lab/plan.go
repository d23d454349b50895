package lab

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"exp/analysis"
	"exp/input"
	"exp/load"
	"exp/store"
	"exp/target"
	"exp/units"
)

// PlanSpec is a sweep to run: one run per (variant, level), level by
// level, every variant at a level back to back. Cell is what every run
// shares; its users, spawn rate, variant and name are the plan's to set.
type PlanSpec struct {
	Name     string           // "" picks plan-N
	OutDir   string           // where the report goes; "" is <Reports>/<name>
	Reports  string           // the directory of reports when OutDir is ""; "" is plans
	Variants []target.Variant // the built-in target's variants; none with an external target
	Levels   []store.PlanLevel
	Cell     RunSpec
	// Repeat runs each cell that many times as a group named after the
	// cell (its runs NAME-1 ... NAME-N); the plan links the repeat of
	// median successful throughput and compares the variants as groups.
	// 0 or 1: one run a cell.
	Repeat int
	// Flags are the flags (or form fields) it was given, name → value,
	// kept with the plan so that it can be started again as it was.
	Flags map[string]string
}

// PlanCell is a cell ready to run: its row, and the run it makes.
type PlanCell struct {
	store.PlanCell
	Spec RunSpec
}

// Label says which cell it is: "pooled at 50 users", or "at 50 users"
// with an external target.
func (c PlanCell) Label() string { return cellLabel(c.PlanCell) }

func cellLabel(c store.PlanCell) string {
	if c.Variant == "" {
		return fmt.Sprintf("at %d users", c.Users)
	}
	return fmt.Sprintf("%s at %d users", c.Variant, c.Users)
}

// variants are the variants the cells run: "" alone for an external target.
func (p PlanSpec) variants() []target.Variant {
	if p.Cell.Target.External() || len(p.Variants) == 0 {
		return []target.Variant{""}
	}
	return p.Variants
}

// Cells lays the plan out level by level, naming each run
// <plan>-<variant>-<users> (<plan>-<users> with an external target), and
// checks every cell's spec, so bad input is found before any load.
func (p PlanSpec) Cells(plan string) ([]PlanCell, error) {
	if len(p.Levels) == 0 {
		return nil, input.Errorf("levels", "is empty: want users:spawn-rate,... such as 10:2,50:5")
	}
	if p.Cell.Target.External() && len(p.Variants) > 0 {
		return nil, input.Errorf("variants", "sweep the built-in target and cannot be used with an external url")
	}
	var cells []PlanCell
	for _, l := range p.Levels {
		for _, v := range p.variants() {
			c := PlanCell{Spec: p.Cell}
			c.Cell, c.Variant, c.Users, c.SpawnRate = len(cells)+1, string(v), l.Users, l.SpawnRate
			c.Spec.Load.Model, c.Spec.Load.Users, c.Spec.Load.SpawnRate = load.Closed, l.Users, l.SpawnRate
			c.Spec.Load.Stages = nil
			c.RunName = fmt.Sprintf("%s-%s-%d", plan, v, l.Users)
			if v == "" {
				c.RunName = fmt.Sprintf("%s-%d", plan, l.Users)
			} else {
				c.Spec.Target.Builtin.Variant = v
			}
			c.Spec.Load.Name = c.RunName
			if err := c.Spec.Check(); err != nil {
				return nil, err
			}
			cells = append(cells, c)
		}
	}
	return cells, nil
}

// Check checks the whole plan before anything is opened or stored.
func (p PlanSpec) Check() error {
	if p.Repeat < 0 || p.Repeat > MaxRepeats {
		return input.Errorf("repeat", "must be 1 to %d, got %d", MaxRepeats, p.Repeat)
	}
	_, err := p.Cells("check")
	return err
}

// planConfig is what every cell shares, stored with the plan as JSON
// (plans.config): the settings the report prints and the thresholds
// `plan show` checks again.
type planConfig struct {
	Tasks      string   `json:"tasks"`
	Wait       string   `json:"wait"`
	Timeout    string   `json:"timeout"`
	KeepAlive  bool     `json:"keepalive"`
	Thresholds []string `json:"thresholds,omitempty"`
	// Target is the built-in target's settings every cell shares: its
	// Params without a variant (each cell has its own). Plans stored
	// before it was typed hold the same JSON object, written from a map.
	Target    *target.Params `json:"target,omitempty"`
	TargetCmd string         `json:"target_cmd,omitempty"`
	TargetPID int            `json:"target_pid,omitempty"`
	Repeat    int            `json:"repeat,omitempty"` // runs of each cell, a group; 0: one run
	// Flags are the exp plan flags it was given (PlanSpec.Flags).
	Flags map[string]string `json:"flags,omitempty"`
}

func (p PlanSpec) config() (json.RawMessage, error) {
	c, t := p.Cell.Load, p.Cell.Target
	cfg := planConfig{Tasks: load.FormatTasks(c.Tasks), Wait: c.Wait.String(), Timeout: c.Timeout.String(),
		KeepAlive: c.KeepAlive, TargetCmd: t.Command, TargetPID: t.PID, Flags: p.Flags}
	if p.Repeat > 1 {
		cfg.Repeat = p.Repeat
	}
	for _, th := range p.Cell.Thresholds {
		cfg.Thresholds = append(cfg.Thresholds, th.Text)
	}
	if !t.External() {
		shared := t.Builtin.Params()
		shared.Variant = ""
		cfg.Target = &shared
	}
	return json.Marshal(cfg)
}

// StoredFlags are the flags a plan was started with (nil for a plan made
// before they were kept, or through the library without them).
func StoredFlags(p store.Plan) (map[string]string, error) {
	var cfg planConfig
	if err := json.Unmarshal(p.Config, &cfg); err != nil {
		return nil, fmt.Errorf("plan %s: config: %w", p.Name, err)
	}
	return cfg.Flags, nil
}

// StoredThresholds parses the thresholds kept with a plan.
func StoredThresholds(p store.Plan) ([]analysis.Threshold, error) {
	var cfg planConfig
	if err := json.Unmarshal(p.Config, &cfg); err != nil {
		return nil, fmt.Errorf("plan %s: config: %w", p.Name, err)
	}
	var out []analysis.Threshold
	for _, s := range cfg.Thresholds {
		t, err := analysis.ParseThreshold(s)
		if err != nil {
			return nil, fmt.Errorf("plan %s: %w", p.Name, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// PlanOutcome is what a finished plan leaves.
type PlanOutcome struct {
	Plan   store.Plan // as stored, with its final status
	Cells  int
	Failed int // runs that failed; the plan went on
	Report PlanReport
}

// RunPlan stores the plan, runs every cell (each a normal run linked to
// the plan), and writes its report. A cancelled ctx stops it after the
// interrupted run (kept, aborted): the report covers what ran and RunPlan
// returns ErrInterrupted with the outcome. A failed run is reported as an
// event and the plan goes on.
func (l *Lab) RunPlan(ctx context.Context, p PlanSpec) (PlanOutcome, error) {
	sp, cells, err := l.preparePlan(ctx, p)
	if err != nil {
		return PlanOutcome{}, err
	}
	bg := context.WithoutCancel(ctx)
	if sp.ID, err = l.DB.CreatePlan(bg, sp); err != nil {
		return PlanOutcome{}, err
	}
	l.emit(Event{Kind: PlanStarted, Text: sp.Name})
	for _, c := range cells {
		if err := l.DB.AddPlanCell(bg, sp.ID, c.PlanCell); err != nil {
			return PlanOutcome{}, err
		}
	}
	status, failed := l.runCells(ctx, sp, cells, p.Repeat)
	if err := l.DB.FinishPlan(bg, sp.ID, status, sp.OutDir, time.Now()); err != nil {
		return PlanOutcome{}, err
	}
	rep, err := WritePlanReport(bg, l.DB, sp.Name, sp.OutDir, p.Cell.Thresholds)
	out := PlanOutcome{Plan: rep.Plan, Cells: len(cells), Failed: failed, Report: rep}
	switch {
	case err != nil:
		return out, err
	case status == store.PlanAborted:
		return out, ErrInterrupted
	case failed > 0:
		return out, fmt.Errorf("plan %s: %d of %d runs failed", sp.Name, failed, len(cells))
	}
	return out, nil
}

// preparePlan names the plan, checks that neither it nor any of its runs
// exists, and lays out its cells.
func (l *Lab) preparePlan(ctx context.Context, p PlanSpec) (store.Plan, []PlanCell, error) {
	sp := store.Plan{Name: p.Name, TargetURL: p.Cell.Target.URL, Duration: p.Cell.Load.Duration, OutDir: p.OutDir,
		Levels: p.Levels}
	for _, v := range p.Variants {
		sp.Variants = append(sp.Variants, string(v))
	}
	var err error
	if sp.Config, err = p.config(); err != nil {
		return sp, nil, err
	}
	if sp.Name == "" {
		if sp.Name, err = l.DB.NextPlanName(ctx, "plan"); err != nil {
			return sp, nil, err
		}
	}
	if _, err := l.DB.FindPlan(ctx, sp.Name); err == nil {
		return sp, nil, input.Errorf("name", "%q: a plan of that name exists already", sp.Name)
	}
	if err := p.Check(); err != nil {
		return sp, nil, err
	}
	cells, err := p.Cells(sp.Name)
	if err != nil {
		return sp, nil, err
	}
	for _, c := range cells {
		names := []string{c.RunName}
		for i := 1; p.Repeat > 1 && i <= p.Repeat; i++ {
			names = append(names, fmt.Sprintf("%s-%d", c.RunName, i))
		}
		for _, n := range names {
			if _, err := l.DB.FindRun(ctx, n); err == nil {
				return sp, nil, input.Errorf("name", "a run named %q exists already: give the plan another name", n)
			}
		}
		if _, err := l.DB.FindGroup(ctx, c.RunName); err == nil {
			return sp, nil, input.Errorf("name", "a group named %q exists already: give the plan another name", c.RunName)
		}
	}
	if sp.OutDir == "" {
		sp.OutDir = filepath.Join(cmp.Or(p.Reports, "plans"), SafeName(sp.Name))
	}
	return sp, cells, nil
}

// runCells runs the cells in order, telling which cell runs and how far
// the plan is.
func (l *Lab) runCells(ctx context.Context, p store.Plan, cells []PlanCell, repeat int) (string, int) {
	bg := context.WithoutCancel(ctx)
	status, failed := store.PlanCompleted, 0
	start := time.Now()
	for i, c := range cells {
		l.emit(Event{Kind: CellStarted, Text: fmt.Sprintf("plan %s: cell %d/%d %s (spawn %s/s), %v each; %s", p.Name, c.Cell, len(cells),
			c.Label(), units.Exact(c.SpawnRate), p.Duration, planETA(time.Since(start), i, len(cells), p.Duration*time.Duration(max(repeat, 1))))})
		out, err := l.runCell(ctx, c, repeat)
		if out.RunID != 0 {
			if lerr := l.DB.LinkPlanRun(bg, p.ID, c.Cell, out.RunID); lerr != nil {
				l.emit(Event{Kind: PlanNotice, Err: fmt.Errorf("plan %s: %w", p.Name, lerr)})
			}
			l.emit(Event{Kind: CellFinished, Run: out.Name, Cell: CellResult{Cell: c.Cell, Of: len(cells), Label: c.Label(), Outcome: out}})
		}
		if errors.Is(err, ErrInterrupted) || ctx.Err() != nil {
			l.emit(Event{Kind: PlanNotice, Err: fmt.Errorf("plan %s interrupted at cell %d/%d: finished runs are kept, the report covers them",
				p.Name, c.Cell, len(cells))})
			return store.PlanAborted, failed
		}
		if err != nil {
			l.emit(Event{Kind: PlanNotice, Err: fmt.Errorf("plan %s: cell %d/%d %s: %w", p.Name, c.Cell, len(cells), c.Label(), err)})
			status, failed = store.PlanFailed, failed+1
		}
	}
	return status, failed
}

// runCell makes a cell's run, or its group of repeats; a group gives the
// outcome of its repeat of median successful throughput, the one the plan
// links and its report shows.
func (l *Lab) runCell(ctx context.Context, c PlanCell, repeat int) (Outcome, error) {
	if repeat <= 1 {
		return l.Run(ctx, c.Spec)
	}
	rep, err := l.RunRepeats(ctx, c.Spec, repeat, store.GroupRepeat)
	if len(rep.Outcomes) == 0 {
		return Outcome{}, err
	}
	outs := slices.Clone(rep.Outcomes)
	slices.SortStableFunc(outs, func(a, b Outcome) int {
		return cmp.Compare(a.Summary.Total.SuccessRPS, b.Summary.Total.SuccessRPS)
	})
	return outs[(len(outs)-1)/2], err
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

// SafeName makes a run or plan name usable as a file name.
func SafeName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '_'
		}
		return r
	}, name)
}

// ParseLevels parses plan levels "10:2,50:5,100:10": users and spawn
// rate (users per second) per level, users rising. A level without a
// spawn rate starts its users at once.
func ParseLevels(s string) ([]store.PlanLevel, error) {
	var out []store.PlanLevel
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		u, r, hasRate := strings.Cut(item, ":")
		users, err := strconv.Atoi(strings.TrimSpace(u))
		if err != nil || users < 1 {
			return nil, input.Errorf("levels", "%q: want users:spawn-rate such as 10:2 (users a whole number ≥ 1)", item)
		}
		rate := float64(users)
		if hasRate {
			rate, err = strconv.ParseFloat(strings.TrimSpace(r), 64)
			if err != nil || !(rate > 0) || math.IsInf(rate, 1) {
				return nil, input.Errorf("levels", "%q: spawn rate %q must be a number above 0", item, r)
			}
		}
		if n := len(out); n > 0 && users <= out[n-1].Users {
			return nil, input.Errorf("levels", "%q: users must rise from level to level (%d after %d)", item, users, out[n-1].Users)
		}
		out = append(out, store.PlanLevel{Users: users, SpawnRate: rate})
	}
	return out, nil
}
