package store

import (
	"context"
	"database/sql"
	"exp/load"
	"fmt"
	"sort"
	"time"
)

// RunRow is a line of the run_summary view. The figures are zero until the
// run's summary is saved (HasSummary false).
type RunRow struct {
	ID         int64
	Name       string
	Status     string
	Variant    string // "" for an external target
	Model      load.Model
	Users      int     // closed model
	Rate       float64 // open model
	StartedAt  time.Time
	DurationS  float64
	HasSummary bool
	Requests   int64
	Failures   int64
	FailRate   float64
	RPS        float64
	AvgMS      float64
	P50MS      float64
	P95MS      float64
	P99MS      float64
}

type summaryRow struct {
	ID        int64           `db:"id"`
	Name      string          `db:"name"`
	Status    string          `db:"status"`
	Variant   sql.NullString  `db:"variant"`
	Model     string          `db:"model"`
	Users     sql.NullInt64   `db:"users"`
	Rate      sql.NullFloat64 `db:"rate"`
	StartedAt string          `db:"started_at"`
	DurationS sql.NullFloat64 `db:"duration_s"`
	Requests  sql.NullInt64   `db:"requests"`
	Failures  sql.NullInt64   `db:"failures"`
	FailRate  sql.NullFloat64 `db:"fail_rate"`
	RPS       sql.NullFloat64 `db:"rps"`
	AvgMS     sql.NullFloat64 `db:"avg_ms"`
	P50MS     sql.NullFloat64 `db:"p50_ms"`
	P95MS     sql.NullFloat64 `db:"p95_ms"`
	P99MS     sql.NullFloat64 `db:"p99_ms"`
}

// ListRuns reads run_summary, newest run first.
func (db *DB) ListRuns(ctx context.Context) ([]RunRow, error) {
	var rows []summaryRow
	if err := db.x.SelectContext(ctx, &rows, `SELECT id, name, status, variant, model, users, rate,
		started_at, duration_s, requests, failures, fail_rate, rps, avg_ms, p50_ms, p95_ms, p99_ms
		FROM run_summary ORDER BY id DESC`); err != nil {
		return nil, fmt.Errorf("list runs in %s: %w", db.path, err)
	}
	out := make([]RunRow, len(rows))
	for i, r := range rows {
		started, err := parseTime(r.StartedAt)
		if err != nil {
			return nil, fmt.Errorf("list runs: run %s: started_at: %w", r.Name, err)
		}
		out[i] = RunRow{
			ID: r.ID, Name: r.Name, Status: r.Status, Variant: r.Variant.String, Model: load.Model(r.Model),
			Users: int(r.Users.Int64), Rate: r.Rate.Float64, StartedAt: started,
			DurationS: r.DurationS.Float64, HasSummary: r.Requests.Valid,
			Requests: r.Requests.Int64, Failures: r.Failures.Int64, FailRate: r.FailRate.Float64,
			RPS: r.RPS.Float64, AvgMS: r.AvgMS.Float64, P50MS: r.P50MS.Float64,
			P95MS: r.P95MS.Float64, P99MS: r.P99MS.Float64,
		}
	}
	return out, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
