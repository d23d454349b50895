package store

import (
	"context"
	"fmt"
	"os"
	"time"
)

// StaleRuns lists the runs left 'running' by a process of this host that is
// no longer alive: the run was cut short by a crash or a kill. The caller
// recomputes their figures from the stored samples, then MarkIncomplete.
// Runs of other hosts are left alone: their processes cannot be checked.
func (db *DB) StaleRuns(ctx context.Context) ([]int64, error) {
	host, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("stale runs: %w", err)
	}
	var rows []struct {
		ID  int64 `db:"id"`
		PID int   `db:"pid"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT id, coalesce(pid, 0) AS pid FROM runs
		WHERE status = ? AND host_name = ? ORDER BY id`, StatusRunning, host); err != nil {
		return nil, fmt.Errorf("stale runs: %w", err)
	}
	var ids []int64
	for _, r := range rows {
		if r.PID != os.Getpid() && !processAlive(r.PID) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// MarkIncomplete marks a run that is still 'running' as incomplete. Its end
// is taken as the end of its last stored sample, the most that is known.
func (db *DB) MarkIncomplete(ctx context.Context, id int64) error {
	run, err := db.RunByID(ctx, id)
	if err != nil {
		return fmt.Errorf("mark incomplete: %w", err)
	}
	lo, hi, _, err := db.sampleRange(ctx, id)
	if err != nil {
		return fmt.Errorf("mark incomplete: %w", err)
	}
	var lastUS int64
	if err := db.x.GetContext(ctx, &lastUS, `SELECT coalesce(max(t_us + latency_us), 0)
		FROM samples WHERE id BETWEEN ? AND ? AND run_id = ?`, lo, hi, id); err != nil {
		return fmt.Errorf("mark run %d incomplete: %w", id, err)
	}
	actual := time.Duration(lastUS) * time.Microsecond
	if _, err := db.x.ExecContext(ctx, `UPDATE runs SET status = ?, ended_at = ?, duration_s = ?
		WHERE id = ? AND status = ?`, StatusIncomplete, formatTime(run.StartedAt.Add(actual)),
		actual.Seconds(), id, StatusRunning); err != nil {
		return fmt.Errorf("mark run %d incomplete: %w", id, err)
	}
	return nil
}
