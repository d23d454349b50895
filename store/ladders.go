package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// Quantile is a latency at a percentile, as endpoint_percentiles keeps
// them.
type Quantile struct {
	P  float64 // percentile, 0 to 100
	MS float64 // latency, milliseconds
}

// HistoryPercentiles are the percentile columns of locust_history, in
// order (p50_ms ... p100_ms): those of the history rows Locust writes.
var HistoryPercentiles = [...]float64{50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100}

// HistoryRow is a row of locust_history: an imported run's per-moment
// window figures and running totals, times in milliseconds.
type HistoryRow struct {
	Timestamp             int64 // Unix seconds
	UserCount             int
	Type, Name            string
	RPS, FailPerSec       float64
	Pct                   [len(HistoryPercentiles)]float64 // NaN where unknown
	TotalRequests         int64
	TotalFailures         int64
	TotalMedian, TotalAvg float64
	TotalMin, TotalMax    float64
	TotalAvgSize          float64
}

// Ladders reads the percentile ladders stored for a run (by endpoint id,
// -1 for Aggregated), each by rising percentile: those of an imported run.
// A run measured by exp has none; its ladders come from its samples.
func (db *DB) Ladders(ctx context.Context, runID int64) (map[int][]Quantile, error) {
	if !db.applied[plansMigration] {
		return nil, nil
	}
	var rows []struct {
		Endpoint int     `db:"endpoint_id"`
		P        float64 `db:"percentile"`
		MS       float64 `db:"ms"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT endpoint_id, percentile, ms
		FROM endpoint_percentiles WHERE run_id = ? ORDER BY endpoint_id, percentile`, runID); err != nil {
		return nil, fmt.Errorf("percentiles of run %d: %w", runID, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := map[int][]Quantile{}
	for _, r := range rows {
		out[r.Endpoint] = append(out[r.Endpoint], Quantile{P: r.P, MS: r.MS})
	}
	return out, nil
}

// History reads the history rows kept with an imported run; none for a
// run measured by exp.
func (db *DB) History(ctx context.Context, runID int64) ([]HistoryRow, error) {
	if !db.applied[plansMigration] {
		return nil, nil
	}
	var rows []struct {
		Timestamp     int64           `db:"timestamp"`
		UserCount     int             `db:"user_count"`
		Type          string          `db:"type"`
		Name          string          `db:"name"`
		RPS           float64         `db:"rps"`
		FailPerSec    float64         `db:"fail_per_s"`
		P50           sql.NullFloat64 `db:"p50_ms"`
		P66           sql.NullFloat64 `db:"p66_ms"`
		P75           sql.NullFloat64 `db:"p75_ms"`
		P80           sql.NullFloat64 `db:"p80_ms"`
		P90           sql.NullFloat64 `db:"p90_ms"`
		P95           sql.NullFloat64 `db:"p95_ms"`
		P98           sql.NullFloat64 `db:"p98_ms"`
		P99           sql.NullFloat64 `db:"p99_ms"`
		P999          sql.NullFloat64 `db:"p999_ms"`
		P9999         sql.NullFloat64 `db:"p9999_ms"`
		P100          sql.NullFloat64 `db:"p100_ms"`
		TotalRequests int64           `db:"total_requests"`
		TotalFailures int64           `db:"total_failures"`
		TotalMedian   float64         `db:"total_median_ms"`
		TotalAvg      float64         `db:"total_avg_ms"`
		TotalMin      float64         `db:"total_min_ms"`
		TotalMax      float64         `db:"total_max_ms"`
		TotalAvgSize  float64         `db:"total_avg_bytes"`
	}
	if err := db.x.SelectContext(ctx, &rows, `SELECT timestamp, user_count, type, name, rps,
		fail_per_s, p50_ms, p66_ms, p75_ms, p80_ms, p90_ms, p95_ms, p98_ms, p99_ms, p999_ms,
		p9999_ms, p100_ms, total_requests, total_failures, total_median_ms, total_avg_ms,
		total_min_ms, total_max_ms, total_avg_bytes
		FROM locust_history WHERE run_id = ? ORDER BY row`, runID); err != nil {
		return nil, fmt.Errorf("history of run %d: %w", runID, err)
	}
	out := make([]HistoryRow, len(rows))
	for i, r := range rows {
		h := HistoryRow{Timestamp: r.Timestamp, UserCount: r.UserCount, Type: r.Type,
			Name: r.Name, RPS: r.RPS, FailPerSec: r.FailPerSec, TotalRequests: r.TotalRequests,
			TotalFailures: r.TotalFailures, TotalMedian: r.TotalMedian, TotalAvg: r.TotalAvg,
			TotalMin: r.TotalMin, TotalMax: r.TotalMax, TotalAvgSize: r.TotalAvgSize}
		for j, v := range []sql.NullFloat64{r.P50, r.P66, r.P75, r.P80, r.P90, r.P95, r.P98, r.P99,
			r.P999, r.P9999, r.P100} {
			h.Pct[j] = math.NaN()
			if v.Valid {
				h.Pct[j] = v.Float64
			}
		}
		out[i] = h
	}
	return out, nil
}
