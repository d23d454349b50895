package store

import (
	"context"
	"fmt"
	"time"

	"exp/monitor"
)

// InsertUsage stores resource readings of a run in one transaction.
func (db *DB) InsertUsage(ctx context.Context, runID int64, u []monitor.Usage) error {
	if len(u) == 0 {
		return nil
	}
	tx, err := db.x.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store usage of run %d: %w", runID, err)
	}
	defer tx.Rollback()
	workerCol, workerArg := "", ""
	if db.applied[workersMigration] {
		workerCol, workerArg = ", worker", ", ?"
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO resources (run_id, t_ms, scope, cpu_pct,
		machine_pct, rss_bytes, mem_pct, threads, fds, tcp_established, tcp_time_wait, tcp_other,
		sys_time_wait`+workerCol+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`+workerArg+`)`)
	if err != nil {
		return fmt.Errorf("store usage of run %d: %w", runID, err)
	}
	defer stmt.Close()
	for _, r := range u {
		args := []any{runID, r.T.Milliseconds(), r.Scope, r.CPUPct,
			r.MachinePct, int64(r.RSS), r.MemPct, r.Threads, r.FDs, r.TCPEstablished,
			r.TCPTimeWait, r.TCPOther, r.SysTimeWait}
		if workerCol != "" {
			var w any // NULL: the run's own machine
			if r.Worker > 0 {
				w = r.Worker - 1
			}
			args = append(args, w)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store usage of run %d: %w", runID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store usage of run %d: commit: %w", runID, err)
	}
	return nil
}

// Usage reads a run's resource readings by time, then scope. A file
// opened read-only from before the resources table existed has none.
func (db *DB) Usage(ctx context.Context, runID int64) ([]monitor.Usage, error) {
	if !db.applied["0002_resources.sql"] {
		return nil, nil
	}
	var rows []struct {
		TMS     int64   `db:"t_ms"`
		Scope   string  `db:"scope"`
		CPU     float64 `db:"cpu_pct"`
		Machine float64 `db:"machine_pct"`
		RSS     int64   `db:"rss_bytes"`
		Mem     float64 `db:"mem_pct"`
		Threads int32   `db:"threads"`
		FDs     int32   `db:"fds"`
		Est     int     `db:"tcp_established"`
		TW      int     `db:"tcp_time_wait"`
		Other   int     `db:"tcp_other"`
		SysTW   int     `db:"sys_time_wait"`
		Worker  int     `db:"worker"`
	}
	workerExpr := "0 AS worker" // a file from before workers were kept
	if db.applied[workersMigration] {
		workerExpr = "coalesce(worker + 1, 0) AS worker"
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT t_ms, scope, cpu_pct, machine_pct, rss_bytes,
		mem_pct, threads, fds, tcp_established, tcp_time_wait, tcp_other, sys_time_wait,
		`+workerExpr+`
		FROM resources WHERE run_id = ? ORDER BY t_ms, scope`, runID); err != nil {
		return nil, fmt.Errorf("usage of run %d: %w", runID, err)
	}
	out := make([]monitor.Usage, len(rows))
	for i, r := range rows {
		out[i] = monitor.Usage{
			T: time.Duration(r.TMS) * time.Millisecond, Scope: r.Scope, CPUPct: r.CPU,
			MachinePct: r.Machine, RSS: uint64(r.RSS), MemPct: r.Mem, Threads: r.Threads,
			FDs: r.FDs, TCPEstablished: r.Est, TCPTimeWait: r.TW, TCPOther: r.Other,
			SysTimeWait: r.SysTW, Worker: r.Worker,
		}
	}
	return out, nil
}
