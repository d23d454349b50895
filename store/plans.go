package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// plansMigration adds plans and plan_runs; a file opened read-only from
// before it has no plans.
const plansMigration = "0003_plans.sql"

// Plan statuses, as stored in plans.status.
const (
	PlanRunning   = "running"
	PlanCompleted = "completed"
	PlanAborted   = "aborted"
	PlanFailed    = "failed"
)

// PlanLevel is one load level of a plan: users and how fast they start.
type PlanLevel struct {
	Users     int     `json:"users"`
	SpawnRate float64 `json:"spawn_rate"`
}

// Plan is a row of plans: a sweep of runs over variants and load levels.
type Plan struct {
	ID        int64
	Name      string
	Status    string
	StartedAt time.Time
	EndedAt   time.Time // zero while running
	TargetURL string    // "" for the built-in target
	Variants  []string  // empty with an external target
	Levels    []PlanLevel
	Duration  time.Duration   // of each cell
	Config    json.RawMessage // the settings every cell shares, as the caller encoded them
	OutDir    string
}

// PlanCell is a row of plan_runs: one (variant, level) of a plan and the
// run that measured it.
type PlanCell struct {
	Cell      int    // 1-based, in the order the cells ran
	Variant   string // "" for an external target
	Users     int
	SpawnRate float64
	RunName   string
	RunID     int64 // 0 when the run was never created
}

// CreatePlan records a new plan, status running, started now. Its name
// must be unused (ErrNameTaken otherwise).
func (db *DB) CreatePlan(ctx context.Context, p Plan) (int64, error) {
	variants, err := json.Marshal(orEmpty(p.Variants))
	if err != nil {
		return 0, fmt.Errorf("create plan %s: %w", p.Name, err)
	}
	levels, err := json.Marshal(p.Levels)
	if err != nil {
		return 0, fmt.Errorf("create plan %s: %w", p.Name, err)
	}
	cfg := string(p.Config)
	if cfg == "" {
		cfg = "{}"
	}
	res, err := db.x.ExecContext(ctx, `INSERT INTO plans (name, status, started_at, target_url,
		variants, levels, duration_s, config, out_dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Name, PlanRunning, formatTime(time.Now()), nullString(p.TargetURL), string(variants),
		string(levels), p.Duration.Seconds(), cfg, nullString(p.OutDir))
	if err != nil {
		if isUnique(err) {
			return 0, fmt.Errorf("create plan %q in %s: %w", p.Name, db.path, ErrNameTaken)
		}
		return 0, fmt.Errorf("create plan %s: %w", p.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create plan %s: %w", p.Name, err)
	}
	return id, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// NextPlanName gives prefix-N for the smallest N above every N in use.
func (db *DB) NextPlanName(ctx context.Context, prefix string) (string, error) {
	return db.nextName(ctx, "plans", prefix)
}

// AddPlanCell records a cell before its run starts.
func (db *DB) AddPlanCell(ctx context.Context, planID int64, c PlanCell) error {
	var runID any
	if c.RunID != 0 {
		runID = c.RunID
	}
	if _, err := db.x.ExecContext(ctx, `INSERT INTO plan_runs (plan_id, cell, variant, users,
		spawn_rate, run_name, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)`, planID, c.Cell, c.Variant,
		c.Users, c.SpawnRate, c.RunName, runID); err != nil {
		return fmt.Errorf("plan %d: add cell %d: %w", planID, c.Cell, err)
	}
	return nil
}

// LinkPlanRun records the run that measured a cell.
func (db *DB) LinkPlanRun(ctx context.Context, planID int64, cell int, runID int64) error {
	if _, err := db.x.ExecContext(ctx, `UPDATE plan_runs SET run_id = ? WHERE plan_id = ? AND cell = ?`,
		runID, planID, cell); err != nil {
		return fmt.Errorf("plan %d: link cell %d to run %d: %w", planID, cell, runID, err)
	}
	return nil
}

// FinishPlan records the end of a plan and where its report went.
func (db *DB) FinishPlan(ctx context.Context, planID int64, status, outDir string, ended time.Time) error {
	if _, err := db.x.ExecContext(ctx, `UPDATE plans SET status = ?, ended_at = ?, out_dir = ? WHERE id = ?`,
		status, formatTime(ended), nullString(outDir), planID); err != nil {
		return fmt.Errorf("finish plan %d: %w", planID, err)
	}
	return nil
}

type planRow struct {
	ID        int64          `db:"id"`
	Name      string         `db:"name"`
	Status    string         `db:"status"`
	StartedAt string         `db:"started_at"`
	EndedAt   sql.NullString `db:"ended_at"`
	TargetURL sql.NullString `db:"target_url"`
	Variants  string         `db:"variants"`
	Levels    string         `db:"levels"`
	DurationS float64        `db:"duration_s"`
	Config    string         `db:"config"`
	OutDir    sql.NullString `db:"out_dir"`
}

func (r planRow) plan() (Plan, error) {
	p := Plan{ID: r.ID, Name: r.Name, Status: r.Status, TargetURL: r.TargetURL.String,
		Duration: time.Duration(r.DurationS * float64(time.Second)), Config: json.RawMessage(r.Config),
		OutDir: r.OutDir.String}
	var err error
	if p.StartedAt, err = parseTime(r.StartedAt); err != nil {
		return p, fmt.Errorf("plan %s: started_at: %w", r.Name, err)
	}
	if p.EndedAt, err = parseTime(r.EndedAt.String); err != nil {
		return p, fmt.Errorf("plan %s: ended_at: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(r.Variants), &p.Variants); err != nil {
		return p, fmt.Errorf("plan %s: variants: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(r.Levels), &p.Levels); err != nil {
		return p, fmt.Errorf("plan %s: levels: %w", r.Name, err)
	}
	return p, nil
}

// FindPlan looks a plan up by name, then by numeric id.
func (db *DB) FindPlan(ctx context.Context, nameOrID string) (Plan, error) {
	if !db.applied[plansMigration] {
		return Plan{}, fmt.Errorf("plan %q: %w in %s (it has no plans yet)", nameOrID, ErrNotFound, db.path)
	}
	const q = `SELECT id, name, status, started_at, ended_at, target_url, variants, levels,
		duration_s, config, out_dir FROM plans WHERE `
	var r planRow
	err := db.x.GetContext(ctx, &r, q+`name = ?`, nameOrID)
	if errors.Is(err, sql.ErrNoRows) {
		if id, perr := strconv.ParseInt(nameOrID, 10, 64); perr == nil {
			err = db.x.GetContext(ctx, &r, q+`id = ?`, id)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, fmt.Errorf("plan %q: %w in %s", nameOrID, ErrNotFound, db.path)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("find plan %q: %w", nameOrID, err)
	}
	return r.plan()
}

// PlanCells reads a plan's cells in the order they ran. A cell whose run
// was created but not linked (its process died) is found by run name.
func (db *DB) PlanCells(ctx context.Context, planID int64) ([]PlanCell, error) {
	var rows []struct {
		Cell      int           `db:"cell"`
		Variant   string        `db:"variant"`
		Users     int           `db:"users"`
		SpawnRate float64       `db:"spawn_rate"`
		RunName   string        `db:"run_name"`
		RunID     sql.NullInt64 `db:"run_id"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT c.cell, c.variant, c.users, c.spawn_rate,
		c.run_name, coalesce(c.run_id, r.id) AS run_id
		FROM plan_runs c LEFT JOIN runs r ON r.name = c.run_name
		WHERE c.plan_id = ? ORDER BY c.cell`, planID); err != nil {
		return nil, fmt.Errorf("cells of plan %d: %w", planID, err)
	}
	out := make([]PlanCell, len(rows))
	for i, r := range rows {
		if r.Variant == "-" {
			r.Variant = "" // as files before migration 0004 hold it
		}
		out[i] = PlanCell{Cell: r.Cell, Variant: r.Variant, Users: r.Users, SpawnRate: r.SpawnRate,
			RunName: r.RunName, RunID: r.RunID.Int64}
	}
	return out, nil
}

// ListPlans lists the plans, newest first, with their names and statuses.
func (db *DB) ListPlans(ctx context.Context) ([]Plan, error) {
	if !db.applied[plansMigration] {
		return nil, nil
	}
	var rows []struct {
		ID     int64  `db:"id"`
		Name   string `db:"name"`
		Status string `db:"status"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT id, name, status FROM plans ORDER BY id DESC`); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	out := make([]Plan, len(rows))
	for i, r := range rows {
		out[i] = Plan{ID: r.ID, Name: r.Name, Status: r.Status}
	}
	return out, nil
}
