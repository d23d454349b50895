package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"exp/load"
	"fmt"
)

// rowsPerInsert is the number of rows of the largest multi-row INSERT; a
// batch's remainder goes through statements of a quarter, a sixteenth, ...
// of it, down to one row. Measured by BenchmarkWriter.
var rowsPerInsert = 256

// inserter writes batches of one run's samples on a dedicated connection.
// It talks to the driver directly (sql.Conn.Raw): database/sql would check
// and copy every one of a statement's thousand arguments on each call.
type inserter struct {
	conn  *sql.Conn
	runID int64
	first int64               // samples.id of the batch's first row, 0 before it
	last  int64               // samples.id of the last row written
	stmts map[int]driver.Stmt // by rows per statement
	args  []driver.NamedValue // ordinals set once
}

// rawConn is what the inserter needs of the driver's connection.
type rawConn interface {
	driver.ConnPrepareContext
	driver.ExecerContext
}

// writerBusyMS is how long one try of the writer waits for another
// process's write lock. The pool's 10 s would let one try outlast the
// writer's whole retry window (retryFor) and hold a batch while the next
// one waits; short tries let the writer decide between them.
const writerBusyMS = "250"

func newInserter(ctx context.Context, db *DB, runID int64) (*inserter, error) {
	conn, err := db.x.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// The connection is this inserter's until close, which sets it back.
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+writerBusyMS); err != nil {
		conn.Close()
		return nil, fmt.Errorf("writer busy timeout: %w", err)
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
	ins := &inserter{conn: conn, runID: runID, stmts: map[int]driver.Stmt{},
		args: make([]driver.NamedValue, rowsPerInsert*sampleParams)}
	for i := range ins.args {
		ins.args[i].Ordinal = i + 1
	}
	return ins, nil
}

// insert writes one batch in one transaction.
func (ins *inserter) insert(ctx context.Context, batch []load.Sample) error {
	if len(batch) == 0 {
		return nil
	}
	return ins.conn.Raw(func(dc any) error {
		c, ok := dc.(rawConn)
		if !ok {
			return fmt.Errorf("driver connection %T cannot prepare and exec", dc)
		}
		return ins.insertTx(ctx, c, batch)
	})
}

func (ins *inserter) insertTx(ctx context.Context, c rawConn, batch []load.Sample) (err error) {
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE", nil); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			c.ExecContext(ctx, "ROLLBACK", nil)
		}
	}()
	ins.first = 0
	for size := rowsPerInsert; len(batch) > 0; size /= 4 {
		size = max(size, 1)
		for len(batch) >= size {
			if err := ins.exec(ctx, c, batch[:size]); err != nil {
				return err
			}
			batch = batch[size:]
		}
	}
	// The run's range of samples.id grows in the same transaction, so a
	// crash never leaves samples outside it.
	if _, err := c.ExecContext(ctx, `UPDATE runs SET last_sample_id = ?,
		first_sample_id = coalesce(first_sample_id, ?) WHERE id = ?`, []driver.NamedValue{
		{Ordinal: 1, Value: ins.last}, {Ordinal: 2, Value: ins.first}, {Ordinal: 3, Value: ins.runID},
	}); err != nil {
		return fmt.Errorf("record sample range: %w", err)
	}
	if _, err := c.ExecContext(ctx, "COMMIT", nil); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (ins *inserter) stmt(ctx context.Context, c rawConn, rows int) (driver.StmtExecContext, error) {
	s, ok := ins.stmts[rows]
	if !ok {
		var err error
		if s, err = c.PrepareContext(ctx, insertSQL(ins.runID, rows)); err != nil {
			return nil, fmt.Errorf("prepare %d-row insert: %w", rows, err)
		}
		ins.stmts[rows] = s
	}
	se, ok := s.(driver.StmtExecContext)
	if !ok {
		return nil, fmt.Errorf("driver statement %T cannot exec with a context", s)
	}
	return se, nil
}

func (ins *inserter) exec(ctx context.Context, c rawConn, rows []load.Sample) error {
	s, err := ins.stmt(ctx, c, len(rows))
	if err != nil {
		return err
	}
	a := ins.args[:len(rows)*sampleParams]
	for i, r := range rows {
		p := a[i*sampleParams : (i+1)*sampleParams : (i+1)*sampleParams]
		for j, v := range pack(r) {
			p[j].Value = v
		}
	}
	res, err := s.ExecContext(ctx, a)
	if err != nil {
		return fmt.Errorf("insert %d rows: %w", len(rows), err)
	}
	// One statement under the write lock numbers its rows consecutively.
	if ins.last, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("insert %d rows: %w", len(rows), err)
	}
	if ins.first == 0 {
		ins.first = ins.last - int64(len(rows)) + 1
	}
	return nil
}

// close gives the connection back to the pool with the pool's busy
// timeout; one that cannot be set back is discarded (driver.ErrBadConn)
// rather than left to wait a quarter second where others wait 10.
func (ins *inserter) close() error {
	_, reset := ins.conn.ExecContext(context.Background(), "PRAGMA busy_timeout = "+busyTimeoutMS)
	ins.conn.Raw(func(any) error {
		for _, s := range ins.stmts {
			s.Close()
		}
		if reset != nil {
			return driver.ErrBadConn
		}
		return nil
	})
	return ins.conn.Close()
}
