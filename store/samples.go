package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"exp/experiment"
)

// Samples are stored in whole microseconds (truncated).
const us = time.Microsecond

// SampleCount counts a run's stored samples.
func (db *DB) SampleCount(ctx context.Context, id int64) (int64, error) {
	var n int64
	if err := db.x.GetContext(ctx, &n, `SELECT count(*) FROM samples WHERE run_id = ?`, id); err != nil {
		return 0, fmt.Errorf("count samples of run %d: %w", id, err)
	}
	return n, nil
}

// EachSample calls fn with each stored sample of a run, by start time (ties
// in the order they were written), streaming rows so a run of any size fits
// in memory. An error from fn stops the scan and is returned as is.
func (db *DB) EachSample(ctx context.Context, id int64, fn func(experiment.Sample) error) error {
	rows, err := db.x.DB.QueryContext(ctx, `SELECT t_us, latency_us, service_us, endpoint_id,
		status, error_class, bytes, user, reused FROM samples WHERE run_id = ? ORDER BY t_us`, id)
	if err != nil {
		return fmt.Errorf("read samples of run %d: %w", id, err)
	}
	defer rows.Close()
	var (
		t, lat, svc, ep, status, bytes, user, reused int64
		class                                        sql.RawBytes
		classes                                      = map[string]experiment.ErrorClass{}
	)
	for rows.Next() {
		if err := rows.Scan(&t, &lat, &svc, &ep, &status, &class, &bytes, &user, &reused); err != nil {
			return fmt.Errorf("read samples of run %d: %w", id, err)
		}
		s := experiment.Sample{
			Start: time.Duration(t) * us, Latency: time.Duration(lat) * us,
			Service: time.Duration(svc) * us, Endpoint: uint16(ep), Status: uint16(status),
			Bytes: bytes, User: uint32(user), Reused: reused != 0,
		}
		if class != nil {
			c, ok := classes[string(class)] // no allocation on a hit
			if !ok {
				c, _ = experiment.ParseErrorClass(string(class))
				classes[string(class)] = c
			}
			s.Class = c
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read samples of run %d: %w", id, err)
	}
	return nil
}
