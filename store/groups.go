package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// groupsMigration adds groups; a file opened read-only from before it has
// none.
const groupsMigration = "0006_groups.sql"

// Group kinds, as stored in groups.kind.
const (
	GroupRepeat      = "repeat"
	GroupCalibration = "calibration"
)

// Group is a row of groups with its runs' ids in the order they ran.
type Group struct {
	ID        int64
	Name      string
	Kind      string
	Repeats   int
	CreatedAt time.Time
	RunIDs    []int64
}

// GroupNoise is a row of group_noise: the spread of one figure's log over
// a calibration's runs.
type GroupNoise struct {
	Figure string  `db:"figure"`
	Runs   int     `db:"runs"`
	SDLog  float64 `db:"sd_log"`
}

// CreateGroup records a new group. Its name must be unused by groups and
// runs alike (ErrNameTaken), since compare takes either by name.
func (db *DB) CreateGroup(ctx context.Context, name, kind string, repeats int) (int64, error) {
	var n int
	if err := db.x.GetContext(ctx, &n, `SELECT count(*) FROM runs WHERE name = ?`, name); err != nil {
		return 0, fmt.Errorf("create group %s: %w", name, err)
	}
	if n > 0 {
		return 0, fmt.Errorf("create group %q in %s: a run has that name: %w", name, db.path, ErrNameTaken)
	}
	res, err := db.x.ExecContext(ctx, `INSERT INTO groups (name, kind, repeats, created_at) VALUES (?, ?, ?, ?)`,
		name, kind, repeats, time.Now().UTC().Format(time.RFC3339Nano))
	if isUnique(err) {
		return 0, fmt.Errorf("create group %q in %s: %w", name, db.path, ErrNameTaken)
	}
	if err != nil {
		return 0, fmt.Errorf("create group %s: %w", name, err)
	}
	return res.LastInsertId()
}

// NextGroupName gives prefix-N, the first N free among groups.
func (db *DB) NextGroupName(ctx context.Context, prefix string) (string, error) {
	return db.nextName(ctx, "groups", prefix)
}

// AddGroupRun links run runID to a group as its repeat-th run.
func (db *DB) AddGroupRun(ctx context.Context, groupID int64, repeat int, runID int64) error {
	if _, err := db.x.ExecContext(ctx, `INSERT INTO group_runs (group_id, repeat, run_id) VALUES (?, ?, ?)`,
		groupID, repeat, runID); err != nil {
		return fmt.Errorf("group %d: add run %d: %w", groupID, runID, err)
	}
	return nil
}

// FindGroup finds a group by name, or by id when no group has that name.
func (db *DB) FindGroup(ctx context.Context, nameOrID string) (Group, error) {
	if !db.applied[groupsMigration] {
		return Group{}, fmt.Errorf("group %q: %w in %s (it has no groups yet)", nameOrID, ErrNotFound, db.path)
	}
	var r struct {
		ID        int64  `db:"id"`
		Name      string `db:"name"`
		Kind      string `db:"kind"`
		Repeats   int    `db:"repeats"`
		CreatedAt string `db:"created_at"`
	}
	const q = `SELECT id, name, kind, repeats, created_at FROM groups WHERE `
	err := db.x.GetContext(ctx, &r, q+`name = ?`, nameOrID)
	if errors.Is(err, sql.ErrNoRows) {
		if id, perr := strconv.ParseInt(nameOrID, 10, 64); perr == nil {
			err = db.x.GetContext(ctx, &r, q+`id = ?`, id)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, fmt.Errorf("group %q: %w in %s", nameOrID, ErrNotFound, db.path)
	}
	if err != nil {
		return Group{}, fmt.Errorf("find group %q: %w", nameOrID, err)
	}
	g := Group{ID: r.ID, Name: r.Name, Kind: r.Kind, Repeats: r.Repeats}
	if g.CreatedAt, err = time.Parse(time.RFC3339Nano, r.CreatedAt); err != nil {
		return Group{}, fmt.Errorf("group %s: created_at %q: %w", r.Name, r.CreatedAt, err)
	}
	if err := db.x.SelectContext(ctx, &g.RunIDs, `SELECT run_id FROM group_runs WHERE group_id = ? ORDER BY repeat`, g.ID); err != nil {
		return Group{}, fmt.Errorf("group %s: runs: %w", g.Name, err)
	}
	return g, nil
}

// SaveNoise stores the spread a calibration measured, replacing any.
func (db *DB) SaveNoise(ctx context.Context, groupID int64, noise []GroupNoise) error {
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save noise of group %d: %w", groupID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_noise WHERE group_id = ?`, groupID); err != nil {
		return fmt.Errorf("save noise of group %d: %w", groupID, err)
	}
	for _, n := range noise {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_noise (group_id, figure, runs, sd_log) VALUES (?, ?, ?, ?)`,
			groupID, n.Figure, n.Runs, n.SDLog); err != nil {
			return fmt.Errorf("save noise of group %d: %s: %w", groupID, n.Figure, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save noise of group %d: %w", groupID, err)
	}
	return nil
}

// Noise reads the spread stored for a group; none when it was never
// calibrated.
func (db *DB) Noise(ctx context.Context, groupID int64) ([]GroupNoise, error) {
	var out []GroupNoise
	err := db.x.SelectContext(ctx, &out, `SELECT figure, runs, sd_log FROM group_noise WHERE group_id = ? ORDER BY figure`, groupID)
	if err != nil {
		return nil, fmt.Errorf("noise of group %d: %w", groupID, err)
	}
	return out, nil
}

// GroupOfRun names the group a run belongs to; "" when none.
func (db *DB) GroupOfRun(ctx context.Context, runID int64) (string, error) {
	if !db.applied[groupsMigration] {
		return "", nil
	}
	var names []string
	if err := db.x.SelectContext(ctx, &names, `SELECT g.name FROM groups g JOIN group_runs gr ON gr.group_id = g.id
		WHERE gr.run_id = ?`, runID); err != nil {
		return "", fmt.Errorf("group of run %d: %w", runID, err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}
