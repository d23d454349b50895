package store

import (
	"context"
	"exp/analysis"
	"exp/load"
	"exp/units"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// savePhases stores a run's PhaseStats (phase_stats, connection_stats).
func savePhases(ctx context.Context, tx *sqlx.Tx, id int64, p analysis.PhaseStats) error {
	for _, table := range []string{"phase_stats", "connection_stats"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE run_id = ?`, id); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	if p == (analysis.PhaseStats{}) {
		return nil // imported: another tool's figures
	}
	for i, ph := range p.Phases {
		if _, err := tx.ExecContext(ctx, `INSERT INTO phase_stats (run_id, phase, mean_ms, p95_ms, share)
			VALUES (?, ?, ?, ?, ?)`, id, load.PhaseNames[i], units.Millis(ph.Mean), units.Millis(ph.P95), ph.Share); err != nil {
			return fmt.Errorf("phase_stats: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO connection_stats (run_id, sent, new_connections, reused,
		http1_requests, http2_requests) VALUES (?, ?, ?, ?, ?, ?)`,
		id, p.Sent, p.NewConns, p.Reused, p.HTTP1, p.HTTP2); err != nil {
		return fmt.Errorf("connection_stats: %w", err)
	}
	return nil
}

// Phases reads back what savePhases stored; zero for a file from before
// 0010 or a run without them.
func (db *DB) Phases(ctx context.Context, id int64, responses int64) (analysis.PhaseStats, error) {
	var p analysis.PhaseStats
	if !db.applied[phasesMigration] {
		return p, nil
	}
	var rows []struct {
		Phase  string  `db:"phase"`
		MeanMS float64 `db:"mean_ms"`
		P95MS  float64 `db:"p95_ms"`
		Share  float64 `db:"share"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT phase, mean_ms, p95_ms, share FROM phase_stats
		WHERE run_id = ?`, id); err != nil {
		return p, fmt.Errorf("phases of run %d: %w", id, err)
	}
	if len(rows) == 0 {
		return p, nil
	}
	for i, n := range load.PhaseNames {
		p.Phases[i].Name = n
		for _, r := range rows {
			if r.Phase == n {
				p.Phases[i].Mean, p.Phases[i].P95, p.Phases[i].Share = units.FromMillis(r.MeanMS), units.FromMillis(r.P95MS), r.Share
			}
		}
	}
	err := db.x.QueryRowxContext(ctx, `SELECT sent, new_connections, reused, http1_requests, http2_requests
		FROM connection_stats WHERE run_id = ?`, id).Scan(&p.Sent, &p.NewConns, &p.Reused, &p.HTTP1, &p.HTTP2)
	if err != nil {
		return p, fmt.Errorf("connections of run %d: %w", id, err)
	}
	p.Responses = responses
	return p, nil
}
