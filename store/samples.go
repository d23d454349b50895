package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"exp/load"
	"fmt"
	"io"
	"time"
)

// Samples are stored in whole microseconds (truncated).
const us = time.Microsecond

// sampleRange is the range of samples.id that holds a run's samples, as
// the writer records it in runs; ok is false when the run has none.
func (db *DB) sampleRange(ctx context.Context, runID int64) (lo, hi int64, ok bool, err error) {
	var r struct {
		Lo sql.NullInt64 `db:"first_sample_id"`
		Hi sql.NullInt64 `db:"last_sample_id"`
	}
	err = db.x.GetContext(ctx, &r, `SELECT first_sample_id, last_sample_id FROM runs WHERE id = ?`, runID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, fmt.Errorf("run %d: %w in %s", runID, ErrNotFound, db.path)
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("samples of run %d: %w", runID, err)
	}
	return r.Lo.Int64, r.Hi.Int64, r.Lo.Valid && r.Hi.Valid, nil
}

// SampleCount counts a run's stored samples.
func (db *DB) SampleCount(ctx context.Context, id int64) (int64, error) {
	lo, hi, ok, err := db.sampleRange(ctx, id)
	if err != nil || !ok {
		return 0, err
	}
	var n int64
	if err := db.x.GetContext(ctx, &n, `SELECT count(*) FROM samples
		WHERE id BETWEEN ? AND ? AND run_id = ?`, lo, hi, id); err != nil {
		return 0, fmt.Errorf("count samples of run %d: %w", id, err)
	}
	return n, nil
}

// EachSample calls fn with each stored sample of a run in the order they
// were recorded (by completion, not start), streaming rows so a run of any
// size fits in memory. An error from fn stops the scan and is returned as
// is. Rows are read from the driver directly: database/sql's Scan would
// convert every value through reflection.
func (db *DB) EachSample(ctx context.Context, id int64, fn func(load.Sample) error) error {
	return db.scanSamples(ctx, id, db.sampleSQL(), sampleParams, func(v []driver.Value) error {
		s, err := unpackRow(v)
		if err != nil {
			return err
		}
		return fn(s)
	})
}

// latencySQL reads only the latencies of a run's answered samples (a
// success or an HTTP failure: latency statistics are over responses).
const latencySQL = `SELECT t_us, latency_us FROM samples WHERE id BETWEEN ? AND ? AND run_id = ?
	AND (error_class IS NULL OR error_class GLOB 'http-*' OR error_class = 'check')`

// scenariosMigration adds samples.step, phasesMigration the phases and
// the protocol.
const (
	scenariosMigration = "0007_scenarios.sql"
	phasesMigration    = "0010_phases.sql"
)

func (db *DB) sampleSQL() string {
	return selectSQL(db.applied[scenariosMigration], db.applied[phasesMigration])
}

// unpackRow unpacks a row of selectSQL.
func unpackRow(v []driver.Value) (load.Sample, error) {
	var p [sampleParams]int64
	for i := range p {
		x, ok := v[i].(int64)
		if !ok {
			return load.Sample{}, fmt.Errorf("sample row %v: not integers", v)
		}
		p[i] = x
	}
	return unpack(p), nil
}

// EachLatency calls fn with the start (µs from the run start) and the
// latency (µs) of each answered sample of a run (see Sample.Responded), in
// recording order. It reads two columns instead of a whole sample, about
// twice as fast as EachSample: what a comparison needs (the start places
// the latency in its second for the block bootstrap).
func (db *DB) EachLatency(ctx context.Context, id int64, fn func(startUS int64, latencyUS uint32) error) error {
	return db.scanSamples(ctx, id, latencySQL, 2, func(v []driver.Value) error {
		t, ok1 := v[0].(int64)
		l, ok2 := v[1].(int64)
		if !ok1 || !ok2 {
			return fmt.Errorf("sample start %v, latency %v: not integers", v[0], v[1])
		}
		return fn(t, uint32(min(max(l, 0), 1<<32-1)))
	})
}

// scanSamples streams the rows of query over a run's sample range to fn,
// reading from the driver directly: database/sql's Scan would convert
// every value through reflection. An error from fn stops the scan and is
// returned as is.
func (db *DB) scanSamples(ctx context.Context, id int64, query string, cols int, fn func([]driver.Value) error) error {
	_, err := db.scanSamplesAfter(ctx, id, 0, query, cols, fn)
	return err
}

// EachSampleAfter is EachSample of the samples stored after the mark a
// previous call returned (0 at first), for a reader following a run as it
// is written (the web UI's live view). It returns the new mark.
func (db *DB) EachSampleAfter(ctx context.Context, id, mark int64, fn func(load.Sample) error) (int64, error) {
	return db.scanSamplesAfter(ctx, id, mark, db.sampleSQL(), sampleParams, func(v []driver.Value) error {
		s, err := unpackRow(v)
		if err != nil {
			return err
		}
		return fn(s)
	})
}

// scanSamplesAfter scans the run's samples of id above mark and returns
// the last id of the run's range.
func (db *DB) scanSamplesAfter(ctx context.Context, id, mark int64, query string, cols int, fn func([]driver.Value) error) (int64, error) {
	lo, hi, ok, err := db.sampleRange(ctx, id)
	if err != nil || !ok {
		return mark, err
	}
	lo = max(lo, mark+1)
	if lo > hi {
		return mark, nil
	}
	conn, err := db.x.DB.Conn(ctx)
	if err != nil {
		return mark, fmt.Errorf("read samples of run %d: %w", id, err)
	}
	defer conn.Close()
	var fnErr error
	err = conn.Raw(func(dc any) error {
		rows, err := querySamples(ctx, dc, query, lo, hi, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		v := make([]driver.Value, cols)
		for {
			if err := rows.Next(v); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if fnErr = fn(v); fnErr != nil {
				return fnErr
			}
		}
	})
	if fnErr != nil {
		return mark, fnErr
	}
	if err != nil {
		return mark, fmt.Errorf("read samples of run %d: %w", id, err)
	}
	return hi, nil
}

// querySamples runs query (selectSQL, or latencySQL) on a driver
// connection, bound to a run's sample range.
func querySamples(ctx context.Context, dc any, query string, lo, hi, id int64) (driver.Rows, error) {
	c, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("driver connection %T cannot prepare", dc)
	}
	stmt, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	q, ok := stmt.(driver.StmtQueryContext)
	if !ok {
		stmt.Close()
		return nil, fmt.Errorf("driver statement %T cannot query", stmt)
	}
	rows, err := q.QueryContext(ctx, []driver.NamedValue{
		{Ordinal: 1, Value: lo}, {Ordinal: 2, Value: hi}, {Ordinal: 3, Value: id}})
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return stmtRows{rows, stmt}, nil
}

// stmtRows closes its statement with the rows.
type stmtRows struct {
	driver.Rows
	stmt driver.Stmt
}

func (r stmtRows) Close() error {
	err := r.Rows.Close()
	r.stmt.Close()
	return err
}
