package store

import (
	"context"
	"exp/analysis"
	"exp/units"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"
)

// aggregateID is endpoint_stats.endpoint_id of the Aggregated row, as
// analysis.Stats.Endpoint.
const aggregateID = -1

// SaveSummary stores a run's analysis, replacing any earlier one (a run can
// be analysed again), in one transaction. A non-zero s.Duration also
// becomes the run's duration_s.
func (db *DB) SaveSummary(ctx context.Context, id int64, s analysis.Summary) error {
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save summary of run %d: %w", id, err)
	}
	defer tx.Rollback()
	for _, table := range []string{"endpoint_stats", "seconds", "failures"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE run_id = ?`, id); err != nil {
			return fmt.Errorf("save summary of run %d: clear %s: %w", id, table, err)
		}
	}
	if err := saveStats(ctx, tx, id, s); err != nil {
		return fmt.Errorf("save summary of run %d: %w", id, err)
	}
	if err := saveSeconds(ctx, tx, id, s.Seconds); err != nil {
		return fmt.Errorf("save summary of run %d: %w", id, err)
	}
	for _, f := range s.Failures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO failures
			(run_id, endpoint_id, method, name, error_class, count) VALUES (?, ?, ?, ?, ?, ?)`,
			id, f.Endpoint, f.Method, f.Name, f.Class, f.Count); err != nil {
			return fmt.Errorf("save summary of run %d: failures: %w", id, err)
		}
	}
	if s.Duration > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET duration_s = ? WHERE id = ?`,
			s.Duration.Seconds(), id); err != nil {
			return fmt.Errorf("save summary of run %d: duration: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save summary of run %d: commit: %w", id, err)
	}
	return nil
}

func saveStats(ctx context.Context, tx *sqlx.Tx, id int64, s analysis.Summary) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO endpoint_stats (run_id, endpoint_id, method,
		name, requests, failures, fail_rate, rps, fail_per_s, avg_bytes, avg_ms, min_ms, max_ms,
		p50_ms, p90_ms, p95_ms, p99_ms, p999_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("endpoint_stats: %w", err)
	}
	defer stmt.Close()
	total := s.Total
	total.Endpoint = aggregateID
	if total.Name == "" {
		total.Name = "Aggregated"
	}
	for _, st := range append(append([]analysis.Stats(nil), s.Endpoints...), total) {
		if _, err := stmt.ExecContext(ctx, id, st.Endpoint, st.Method, st.Name, st.Requests,
			st.Failures, st.FailRate(), st.RPS, st.FailPerSec, st.AvgBytes, units.Millis(st.Avg), units.Millis(st.Min),
			units.Millis(st.Max), units.Millis(st.P50), units.Millis(st.P90), units.Millis(st.P95), units.Millis(st.P99), units.Millis(st.P999)); err != nil {
			return fmt.Errorf("endpoint_stats of %q: %w", st.Name, err)
		}
	}
	return nil
}

func saveSeconds(ctx context.Context, tx *sqlx.Tx, id int64, secs []analysis.Second) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO seconds (run_id, t_s, active_users,
		target_rate, requests, failures, p50_ms, p95_ms, p99_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("seconds: %w", err)
	}
	defer stmt.Close()
	for _, sec := range secs {
		if _, err := stmt.ExecContext(ctx, id, sec.T, sec.ActiveUsers, sec.TargetRate, sec.Requests,
			sec.Failures, units.Millis(sec.P50), units.Millis(sec.P95), units.Millis(sec.P99)); err != nil {
			return fmt.Errorf("seconds %d: %w", sec.T, err)
		}
	}
	return nil
}

// statsRow is a row of endpoint_stats.
type statsRow struct {
	Endpoint int     `db:"endpoint_id"`
	Method   string  `db:"method"`
	Name     string  `db:"name"`
	Requests int64   `db:"requests"`
	Failures int64   `db:"failures"`
	RPS      float64 `db:"rps"`
	FailPS   float64 `db:"fail_per_s"`
	AvgBytes float64 `db:"avg_bytes"`
	Avg      float64 `db:"avg_ms"`
	Min      float64 `db:"min_ms"`
	Max      float64 `db:"max_ms"`
	P50      float64 `db:"p50_ms"`
	P90      float64 `db:"p90_ms"`
	P95      float64 `db:"p95_ms"`
	P99      float64 `db:"p99_ms"`
	P999     float64 `db:"p999_ms"`
}

// EndpointStats reads a run's per-endpoint figures in task order, the
// Aggregated row (Endpoint -1) last. None until SaveSummary.
func (db *DB) EndpointStats(ctx context.Context, id int64) ([]analysis.Stats, error) {
	var rows []statsRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT endpoint_id, method, name, requests, failures,
		rps, fail_per_s, avg_bytes, avg_ms, min_ms, max_ms, p50_ms, p90_ms, p95_ms, p99_ms, p999_ms
		FROM endpoint_stats WHERE run_id = ? ORDER BY endpoint_id = -1, endpoint_id`, id); err != nil {
		return nil, fmt.Errorf("endpoint stats of run %d: %w", id, err)
	}
	out := make([]analysis.Stats, len(rows))
	for i, r := range rows {
		out[i] = analysis.Stats{
			Endpoint: r.Endpoint, Method: r.Method, Name: r.Name, Requests: r.Requests,
			Failures: r.Failures, RPS: r.RPS, FailPerSec: r.FailPS, AvgBytes: r.AvgBytes,
			Avg: units.FromMillis(r.Avg), Min: units.FromMillis(r.Min), Max: units.FromMillis(r.Max), P50: units.FromMillis(r.P50),
			P90: units.FromMillis(r.P90), P95: units.FromMillis(r.P95), P99: units.FromMillis(r.P99), P999: units.FromMillis(r.P999),
		}
	}
	return out, nil
}

// Seconds reads a run's per-second figures in time order.
func (db *DB) Seconds(ctx context.Context, id int64) ([]analysis.Second, error) {
	var rows []struct {
		T        int     `db:"t_s"`
		Users    int     `db:"active_users"`
		Rate     float64 `db:"target_rate"`
		Requests int64   `db:"requests"`
		Failures int64   `db:"failures"`
		P50      float64 `db:"p50_ms"`
		P95      float64 `db:"p95_ms"`
		P99      float64 `db:"p99_ms"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT t_s, active_users, target_rate, requests,
		failures, p50_ms, p95_ms, p99_ms FROM seconds WHERE run_id = ? ORDER BY t_s`, id); err != nil {
		return nil, fmt.Errorf("seconds of run %d: %w", id, err)
	}
	out := make([]analysis.Second, len(rows))
	for i, r := range rows {
		out[i] = analysis.Second{T: r.T, ActiveUsers: r.Users, TargetRate: r.Rate,
			Requests: r.Requests, Failures: r.Failures,
			P50: units.FromMillis(r.P50), P95: units.FromMillis(r.P95), P99: units.FromMillis(r.P99)}
	}
	return out, nil
}

// Failures reads a run's failure counts, largest first.
func (db *DB) Failures(ctx context.Context, id int64) ([]analysis.FailureCount, error) {
	var rows []struct {
		Endpoint int    `db:"endpoint_id"`
		Method   string `db:"method"`
		Name     string `db:"name"`
		Class    string `db:"error_class"`
		Count    int64  `db:"count"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT endpoint_id, method, name, error_class, count
		FROM failures WHERE run_id = ? ORDER BY count DESC, endpoint_id, error_class`, id); err != nil {
		return nil, fmt.Errorf("failures of run %d: %w", id, err)
	}
	out := make([]analysis.FailureCount, len(rows))
	for i, r := range rows {
		out[i] = analysis.FailureCount(r)
	}
	return out, nil
}

// Summary reads back what SaveSummary stored, with the run's duration.
func (db *DB) Summary(ctx context.Context, id int64) (analysis.Summary, error) {
	run, err := db.RunByID(ctx, id)
	if err != nil {
		return analysis.Summary{}, fmt.Errorf("summary: %w", err)
	}
	var s analysis.Summary
	s.Duration = time.Duration(math.Round(run.DurationS * float64(time.Second)))
	stats, err := db.EndpointStats(ctx, id)
	if err != nil {
		return s, err
	}
	for _, st := range stats {
		if st.Endpoint == aggregateID {
			s.Total = st
		} else {
			s.Endpoints = append(s.Endpoints, st)
		}
	}
	if s.Seconds, err = db.Seconds(ctx, id); err != nil {
		return s, err
	}
	if s.Failures, err = db.Failures(ctx, id); err != nil {
		return s, err
	}
	return s, nil
}
