package store

import (
	"context"
	"database/sql"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"
	"math"
	"strings"
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
			(run_id, endpoint_id, method, name, error_class, count, mean_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, f.Endpoint, f.Method, f.Name, f.Class, f.Count, meanMS(f)); err != nil {
			return fmt.Errorf("save summary of run %d: failures: %w", id, err)
		}
	}
	if err := savePhases(ctx, tx, id, s.Phases); err != nil {
		return fmt.Errorf("save summary of run %d: %w", id, err)
	}
	if s.Duration > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET duration_s = ? WHERE id = ?`,
			s.Duration.Seconds(), id); err != nil {
			return fmt.Errorf("save summary of run %d: duration: %w", id, err)
		}
	}
	if l := s.Lateness; l.Requests > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET lateness_p50_ms = ?, lateness_p99_ms = ?,
			lateness_max_ms = ? WHERE id = ?`, units.Millis(l.P50), units.Millis(l.P99), units.Millis(l.Max), id); err != nil {
			return fmt.Errorf("save summary of run %d: lateness: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save summary of run %d: commit: %w", id, err)
	}
	return nil
}

// meanMS is a failure class's mean latency as stored: NULL for drops.
func meanMS(f analysis.FailureCount) any {
	if f.Class == load.Dropped.String() {
		return nil
	}
	return units.Millis(f.Latency)
}

func saveStats(ctx context.Context, tx *sqlx.Tx, id int64, s analysis.Summary) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO endpoint_stats (run_id, endpoint_id, method,
		name, requests, failures, fail_rate, rps, fail_per_s, avg_bytes, avg_ms, min_ms, max_ms,
		p50_ms, p90_ms, p95_ms, p99_ms, p999_ms, responses, successes, dropped, cancelled,
		success_rps, floor_ms, success_p50_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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
			units.Millis(st.Max), units.Millis(st.P50), units.Millis(st.P90), units.Millis(st.P95), units.Millis(st.P99),
			units.Millis(st.P999), st.Responses, st.Successes, st.Dropped, st.Cancelled, st.SuccessRPS,
			units.Millis(st.Floor), units.Millis(st.SuccessP50)); err != nil {
			return fmt.Errorf("endpoint_stats of %q: %w", st.Name, err)
		}
	}
	return nil
}

func saveSeconds(ctx context.Context, tx *sqlx.Tx, id int64, secs []analysis.Second) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO seconds (run_id, t_s, active_users,
		target_rate, requests, failures, p50_ms, p95_ms, p99_ms, responses, successes, dropped)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("seconds: %w", err)
	}
	defer stmt.Close()
	for _, sec := range secs {
		if _, err := stmt.ExecContext(ctx, id, sec.T, sec.ActiveUsers, sec.TargetRate, sec.Requests,
			sec.Failures, units.Millis(sec.P50), units.Millis(sec.P95), units.Millis(sec.P99),
			sec.Responses, sec.Successes, sec.Dropped); err != nil {
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
	// NULL in rows written before migration 0005 (see legacy).
	Responses  sql.NullInt64   `db:"responses"`
	Successes  sql.NullInt64   `db:"successes"`
	Dropped    sql.NullInt64   `db:"dropped"`
	Cancelled  sql.NullInt64   `db:"cancelled"`
	SuccessRPS sql.NullFloat64 `db:"success_rps"`
	Floor      sql.NullFloat64 `db:"floor_ms"`
	SuccessP50 sql.NullFloat64 `db:"success_p50_ms"`
}

// stats is the row as figures. A row of before migration 0005 had its
// latency over every request: it is read as if every request had been
// answered, the successes those that did not fail, the floor the fastest.
func (r statsRow) stats() analysis.Stats {
	st := analysis.Stats{
		Endpoint: r.Endpoint, Method: r.Method, Name: r.Name, Requests: r.Requests,
		Failures: r.Failures, RPS: r.RPS, FailPerSec: r.FailPS, AvgBytes: r.AvgBytes,
		Avg: units.FromMillis(r.Avg), Min: units.FromMillis(r.Min), Max: units.FromMillis(r.Max), P50: units.FromMillis(r.P50),
		P90: units.FromMillis(r.P90), P95: units.FromMillis(r.P95), P99: units.FromMillis(r.P99), P999: units.FromMillis(r.P999),
		Responses: r.Responses.Int64, Successes: r.Successes.Int64, Dropped: r.Dropped.Int64, Cancelled: r.Cancelled.Int64,
		SuccessRPS: r.SuccessRPS.Float64, Floor: units.FromMillis(r.Floor.Float64), SuccessP50: units.FromMillis(r.SuccessP50.Float64),
	}
	if !r.Responses.Valid {
		st.Responses, st.Successes = st.Requests, st.Requests-st.Failures
		if st.Requests > 0 {
			st.SuccessRPS = st.RPS * float64(st.Successes) / float64(st.Requests)
		}
		st.Floor, st.SuccessP50 = st.Min, st.P50
	}
	return st
}

// EndpointStats reads a run's per-endpoint figures in task order, the
// Aggregated row (Endpoint -1) last. None until SaveSummary.
func (db *DB) EndpointStats(ctx context.Context, id int64) ([]analysis.Stats, error) {
	var rows []statsRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT endpoint_id, method, name, requests, failures,
		rps, fail_per_s, avg_bytes, avg_ms, min_ms, max_ms, p50_ms, p90_ms, p95_ms, p99_ms, p999_ms, `+
		db.since(definitionsMigration, "responses", "successes", "dropped", "cancelled", "success_rps", "floor_ms", "success_p50_ms")+`
		FROM endpoint_stats WHERE run_id = ? ORDER BY endpoint_id = -1, endpoint_id`, id); err != nil {
		return nil, fmt.Errorf("endpoint stats of run %d: %w", id, err)
	}
	out := make([]analysis.Stats, len(rows))
	for i, r := range rows {
		out[i] = r.stats()
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
		// NULL before migration 0005: read as every request answered.
		Responses sql.NullInt64 `db:"responses"`
		Successes sql.NullInt64 `db:"successes"`
		Dropped   sql.NullInt64 `db:"dropped"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT t_s, active_users, target_rate, requests,
		failures, p50_ms, p95_ms, p99_ms, `+db.since(definitionsMigration, "responses", "successes", "dropped")+`
		FROM seconds WHERE run_id = ? ORDER BY t_s`, id); err != nil {
		return nil, fmt.Errorf("seconds of run %d: %w", id, err)
	}
	out := make([]analysis.Second, len(rows))
	for i, r := range rows {
		out[i] = analysis.Second{T: r.T, ActiveUsers: r.Users, TargetRate: r.Rate,
			Requests: r.Requests, Failures: r.Failures, Dropped: r.Dropped.Int64,
			Responses: r.Responses.Int64, Successes: r.Successes.Int64,
			P50: units.FromMillis(r.P50), P95: units.FromMillis(r.P95), P99: units.FromMillis(r.P99)}
		if !r.Responses.Valid {
			out[i].Responses, out[i].Successes = r.Requests, r.Requests-r.Failures
		}
	}
	return out, nil
}

// Failures reads a run's failure counts, largest first.
func (db *DB) Failures(ctx context.Context, id int64) ([]analysis.FailureCount, error) {
	var rows []struct {
		Endpoint int             `db:"endpoint_id"`
		Method   string          `db:"method"`
		Name     string          `db:"name"`
		Class    string          `db:"error_class"`
		Count    int64           `db:"count"`
		Mean     sql.NullFloat64 `db:"mean_ms"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT endpoint_id, method, name, error_class, count, `+
		db.since(definitionsMigration, "mean_ms")+`
		FROM failures WHERE run_id = ? ORDER BY count DESC, endpoint_id, error_class`, id); err != nil {
		return nil, fmt.Errorf("failures of run %d: %w", id, err)
	}
	out := make([]analysis.FailureCount, len(rows))
	for i, r := range rows {
		out[i] = analysis.FailureCount{Endpoint: r.Endpoint, Method: r.Method, Name: r.Name, Class: r.Class,
			Count: r.Count, Latency: units.FromMillis(r.Mean.Float64)}
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
	if s.Phases, err = db.Phases(ctx, id, s.Total.Responses); err != nil {
		return s, err
	}
	if run.Lateness != (analysis.Lateness{}) {
		s.Lateness = run.Lateness
		s.Lateness.Requests = s.Total.Requests - s.Total.Dropped
	}
	return s, nil
}

// definitionsMigration adds the columns of the figures' definitions (see
// its file); a file opened read-only from before it lacks them.
const definitionsMigration = "0005_definitions.sql"

// since gives the columns for a SELECT, each NULL when the file lacks
// the migration that added them.
func (db *DB) since(migration string, cols ...string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c
		if !db.applied[migration] {
			out[i] = "NULL AS " + c
		}
	}
	return strings.Join(out, ", ")
}
