package store

import (
	"context"
	"exp/analysis"
	"exp/load"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"
)

// ImportedRun is a run read from another tool's files: figures without
// samples or resource readings.
type ImportedRun struct {
	Name    string
	Notes   string    // where it came from
	Started time.Time // zero: now
	Users   int       // peak users; 0 when unknown
	Tasks   []load.Task
	Summary analysis.Summary
	// Ladders are the percentiles of each endpoint (-1: Aggregated) as
	// the tool computed them, kept in endpoint_percentiles.
	Ladders map[int][]Quantile
	History []HistoryRow // the tool's history rows, kept in locust_history
}

// ImportRun stores an imported run, status imported, in one transaction:
// the run row and its endpoints, its summary as SaveSummary keeps it, its
// percentile ladders and history rows. The name must be unused
// (ErrNameTaken otherwise).
func (db *DB) ImportRun(ctx context.Context, ir ImportedRun) (int64, error) {
	cfg := load.RunConfig{Name: ir.Name, Model: load.Closed, Tasks: ir.Tasks,
		Users: ir.Users, Duration: ir.Summary.Duration}
	cols, err := runInsertColumns(cfg, "", nil, Host{})
	if err != nil {
		return 0, fmt.Errorf("import run %s: %w", ir.Name, err)
	}
	started := ir.Started
	if started.IsZero() {
		started = time.Now()
	}
	for _, c := range []string{"host_name", "host_os", "host_arch", "host_cores", "go_version",
		"tool_version", "pid", "spawn_rate", "wait", "timeout_s", "keepalive"} {
		cols[c] = nil
	}
	if ir.Users == 0 {
		cols["users"] = nil
	}
	cols["status"], cols["started_at"], cols["notes"] = StatusImported, formatTime(started), nullString(ir.Notes)
	cols["ended_at"] = formatTime(started.Add(ir.Summary.Duration))
	cols["duration_s"] = ir.Summary.Duration.Seconds()
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("import run %s: %w", ir.Name, err)
	}
	defer tx.Rollback()
	res, err := tx.NamedExecContext(ctx, `INSERT INTO runs (`+insertNames(cols)+`)
		VALUES (`+insertParams(cols)+`)`, cols)
	if err != nil {
		if isUnique(err) {
			return 0, fmt.Errorf("import run %q in %s: %w", ir.Name, db.path, ErrNameTaken)
		}
		return 0, fmt.Errorf("import run %s: %w", ir.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("import run %s: %w", ir.Name, err)
	}
	if err := importRows(ctx, tx, id, ir); err != nil {
		return 0, fmt.Errorf("import run %s: %w", ir.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("import run %s: commit: %w", ir.Name, err)
	}
	return id, nil
}

func importRows(ctx context.Context, tx *sqlx.Tx, id int64, ir ImportedRun) error {
	for i, t := range ir.Tasks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO endpoints (run_id, id, method, path, weight)
			VALUES (?, ?, ?, ?, ?)`, id, i, t.Method, t.Path, t.Weight); err != nil {
			return fmt.Errorf("endpoint %d: %w", i, err)
		}
	}
	if err := saveStats(ctx, tx, id, ir.Summary); err != nil {
		return err
	}
	if err := saveSeconds(ctx, tx, id, ir.Summary.Seconds); err != nil {
		return err
	}
	for _, f := range ir.Summary.Failures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO failures
			(run_id, endpoint_id, method, name, error_class, count) VALUES (?, ?, ?, ?, ?, ?)`,
			id, f.Endpoint, f.Method, f.Name, f.Class, f.Count); err != nil {
			return fmt.Errorf("failures: %w", err)
		}
	}
	for ep, l := range ir.Ladders {
		for _, q := range l {
			if math.IsNaN(q.MS) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO endpoint_percentiles (run_id, endpoint_id,
				percentile, ms) VALUES (?, ?, ?, ?)`, id, ep, q.P, q.MS); err != nil {
				return fmt.Errorf("endpoint_percentiles: %w", err)
			}
		}
	}
	return saveHistory(ctx, tx, id, ir.History)
}

func saveHistory(ctx context.Context, tx *sqlx.Tx, id int64, rows []HistoryRow) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO locust_history (run_id, row, timestamp,
		user_count, type, name, rps, fail_per_s, p50_ms, p66_ms, p75_ms, p80_ms, p90_ms, p95_ms,
		p98_ms, p99_ms, p999_ms, p9999_ms, p100_ms, total_requests, total_failures,
		total_median_ms, total_avg_ms, total_min_ms, total_max_ms, total_avg_bytes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("locust_history: %w", err)
	}
	defer stmt.Close()
	for i, r := range rows {
		args := []any{id, i, r.Timestamp, r.UserCount, r.Type, r.Name, r.RPS, r.FailPerSec}
		for _, v := range r.Pct {
			args = append(args, nullFloat(v))
		}
		args = append(args, r.TotalRequests, r.TotalFailures, r.TotalMedian, r.TotalAvg, r.TotalMin,
			r.TotalMax, r.TotalAvgSize)
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("locust_history row %d: %w", i, err)
		}
	}
	return nil
}

func nullFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}
