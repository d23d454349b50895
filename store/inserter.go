package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"exp/experiment"
)

// rowsPerInsert is the number of rows of the largest multi-row INSERT; a
// batch's remainder goes through statements of a quarter, a sixteenth, ...
// of it, down to one row. Measured by BenchmarkWriter.
var rowsPerInsert = 256

// A sample row is bound as 4 packed integers, unpacked by the statement
// itself: each bound value costs a call into SQLite (with its mutex) that
// dominated the profile with one value per column. The stored columns are
// unchanged; only the statement knows the packing (see pack).
const sampleParams = 4

// Bit layout of the 4th value: reused (1 bit), error class (4 bits), HTTP
// status (10 bits: statuses have three digits), endpoint (16), user (32).
const (
	classShift    = 1
	statusShift   = 5
	endpointShift = 15
	userShift     = 31
	maxStatus     = 1<<10 - 1
	maxMicros     = 1<<31 - 1 // latency and service share one value: 35 minutes each at most
)

// Every ErrorClass must fit in the 4 class bits.
var _ [15 - experiment.Other]struct{}

// inserter writes batches of one run's samples on a dedicated connection.
type inserter struct {
	conn  *sql.Conn
	runID int64
	stmts map[int]*sql.Stmt // by rows per statement
	args  []any
}

func newInserter(ctx context.Context, db *DB, runID int64) (*inserter, error) {
	conn, err := db.x.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// samples has no foreign key (it would cost every row a lookup), so the
	// run is checked once here.
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE id = ?`, runID).Scan(&n); err != nil {
		conn.Close()
		return nil, err
	}
	if n == 0 {
		conn.Close()
		return nil, fmt.Errorf("run %d: %w", runID, ErrNotFound)
	}
	return &inserter{
		conn: conn, runID: runID, stmts: map[int]*sql.Stmt{},
		args: make([]any, rowsPerInsert*sampleParams),
	}, nil
}

func (ins *inserter) stmt(ctx context.Context, rows int) (*sql.Stmt, error) {
	if s, ok := ins.stmts[rows]; ok {
		return s, nil
	}
	q := insertSQL(ins.runID, rows)
	s, err := ins.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare %d-row insert: %w", rows, err)
	}
	ins.stmts[rows] = s
	return s, nil
}

// insert writes one batch in one transaction.
func (ins *inserter) insert(ctx context.Context, batch []experiment.Sample) (err error) {
	if len(batch) == 0 {
		return nil
	}
	if _, err := ins.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			ins.conn.ExecContext(ctx, "ROLLBACK")
		}
	}()
	for size := rowsPerInsert; len(batch) > 0; size /= 4 {
		size = max(size, 1)
		for len(batch) >= size {
			if err := ins.exec(ctx, batch[:size]); err != nil {
				return err
			}
			batch = batch[size:]
		}
	}
	if _, err := ins.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (ins *inserter) exec(ctx context.Context, rows []experiment.Sample) error {
	s, err := ins.stmt(ctx, len(rows))
	if err != nil {
		return err
	}
	a := ins.args[:len(rows)*sampleParams]
	for i, r := range rows {
		p := a[i*sampleParams : (i+1)*sampleParams : (i+1)*sampleParams]
		p[0], p[1], p[2], p[3] = pack(r)
	}
	if _, err := s.ExecContext(ctx, a...); err != nil {
		return fmt.Errorf("insert %d rows: %w", len(rows), err)
	}
	return nil
}

// pack gives the 4 bound values of a sample: start, latency and service,
// bytes, and the small fields.
func pack(r experiment.Sample) (start, times, bytes, small int64) {
	lat := min(max(int64(r.Latency/us), 0), maxMicros)
	svc := min(max(int64(r.Service/us), 0), maxMicros)
	small = int64(r.User)<<userShift | int64(r.Endpoint)<<endpointShift |
		int64(min(r.Status, maxStatus))<<statusShift | int64(r.Class)<<classShift
	if r.Reused {
		small |= 1
	}
	return int64(r.Start / us), lat<<32 | svc, r.Bytes, small
}

// insertSQL is the INSERT of n samples of a run: a VALUES list of packed
// rows, unpacked column by column. Parameters are anonymous (?) because a
// numbered one costs the driver a name lookup per value.
func insertSQL(runID int64, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `INSERT INTO samples (run_id, t_us, latency_us, service_us, endpoint_id,
		status, error_class, bytes, user, reused)
	SELECT %d, column1, column2 >> 32, column2 & %d, (column4 >> %d) & %d,
		(column4 >> %d) & %d, %s, column3, column4 >> %d, column4 & 1
	FROM (VALUES `, runID, uint32(1<<32-1), endpointShift, 1<<16-1,
		statusShift, maxStatus, classCase(), userShift)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?)")
	}
	b.WriteByte(')')
	return b.String()
}

// classCase maps the packed class back to error_class text, as
// ErrorClass.Name does: NULL for success, http-NNN for HTTP.
func classCase() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CASE (column4 >> %d) & 15 WHEN 0 THEN NULL", classShift)
	for c := experiment.OK + 1; c <= experiment.Other; c++ {
		if c == experiment.HTTP {
			fmt.Fprintf(&b, " WHEN %d THEN 'http-' || ((column4 >> %d) & %d)", c, statusShift, maxStatus)
			continue
		}
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", c, c.String())
	}
	b.WriteString(" ELSE 'other' END")
	return b.String()
}

func (ins *inserter) close() error {
	for _, s := range ins.stmts {
		s.Close()
	}
	return ins.conn.Close()
}
