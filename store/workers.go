package store

import (
	"context"
	"fmt"
)

const workersMigration = "0009_workers.sql"

// RunWorker is one worker of a merged run.
type RunWorker struct {
	Worker       int    `db:"worker"`
	File         string `db:"file"`
	Status       string `db:"status"`
	Host         string `db:"host"`
	PID          int    `db:"pid"`
	Cores        int    `db:"cores"`
	ClockSync    string `db:"clock_sync"`
	Samples      int64  `db:"samples"`
	LastSampleMS int64  `db:"last_sample_ms"`
}

// StatusMissing is a worker whose file was not there to merge.
const StatusMissing = "missing"

// AddRunWorker records a worker of a merged run.
func (db *DB) AddRunWorker(ctx context.Context, runID int64, w RunWorker) error {
	_, err := db.x.ExecContext(ctx, `INSERT INTO run_workers (run_id, worker, file, status, host, pid,
		cores, clock_sync, samples, last_sample_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, w.Worker, w.File, w.Status, w.Host, w.PID, w.Cores, w.ClockSync, w.Samples, w.LastSampleMS)
	if err != nil {
		return fmt.Errorf("record worker %d of run %d: %w", w.Worker, runID, err)
	}
	return nil
}

// RunWorkers are the workers of a merged run, by index; none for a run
// of one machine (or a file from before they were kept).
func (db *DB) RunWorkers(ctx context.Context, runID int64) ([]RunWorker, error) {
	if !db.applied[workersMigration] {
		return nil, nil
	}
	var out []RunWorker
	if err := db.x.SelectContext(ctx, &out, `SELECT worker, file, status, host, pid, cores, clock_sync,
		samples, last_sample_ms FROM run_workers WHERE run_id = ? ORDER BY worker`, runID); err != nil {
		return nil, fmt.Errorf("workers of run %d: %w", runID, err)
	}
	return out, nil
}
