package store

import (
	"context"
	"errors"
	"exp/load"
	"fmt"
	"sync"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Writer sizing. A batch is handed to the flusher when full or on Flush;
// at most maxBatches exist, so memory is bounded (about 400 KB each) and
// Add blocks only when the flusher is that many batches behind. Twelve
// hold the half-second batches of the whole retry window (retryFor), so a
// store locked or full for a few seconds loses nothing at ordinary rates.
const (
	batchSize  = 8192
	maxBatches = 12
)

// Writer records a run's samples. Add is called from one goroutine (the
// collector) and only appends to a batch; a background goroutine inserts
// full batches, one transaction each, on its own connection. Call Flush
// about every half second so a crash loses at most the last second, and
// Close at the end.
//
// A batch that cannot be written (the file is locked by another process,
// the disk is full) is tried again for retryFor at most, while the
// collector still has a free batch; then the failing batch is given up
// and its samples counted as lost (Lost), so the load is never held up by
// the store. OnStall and OnLoss, when set before the first Add, hear of a
// failing store and of the first loss the moment they happen.
type Writer struct {
	db    *DB
	runID int64

	// collector side
	cur       []load.Sample
	allocated int
	closed    bool

	full chan []load.Sample // to the flusher
	free chan []load.Sample // back from it, for reuse
	done chan struct{}

	mu   sync.Mutex
	err  error // first error of the flusher
	lost int64 // samples given up

	// OnLoss is called (from the flusher) the first time samples are lost.
	OnLoss func(err error)
	// OnStall is called (from the flusher) the moment a write fails after
	// one that succeeded (or at the first): samples wait and are retried,
	// and are lost if the store does not recover within retryFor.
	OnStall func(err error)
}

// NewWriter starts a writer for the samples of run runID.
func NewWriter(db *DB, runID int64) *Writer {
	w := &Writer{
		db: db, runID: runID,
		full: make(chan []load.Sample, maxBatches),
		free: make(chan []load.Sample, maxBatches),
		done: make(chan struct{}),
	}
	w.cur = w.batch()
	go w.flusher()
	return w
}

// Add records one sample. It does not allocate; it blocks only as
// back-pressure when the flusher is maxBatches batches behind.
func (w *Writer) Add(s load.Sample) {
	w.cur = append(w.cur, s)
	if len(w.cur) == cap(w.cur) {
		w.handOff()
	}
}

// Flush hands the samples added so far to the flusher, without waiting
// for them to be written. Samples that cannot be written are counted
// (Lost), not returned as an error: the run goes on.
func (w *Writer) Flush() error {
	if len(w.cur) > 0 && !w.closed {
		w.handOff()
	}
	return nil
}

// Close writes every sample added (or counts it lost) and stops the
// flusher; it returns why samples were lost, if any were. Add must not be
// called after Close.
func (w *Writer) Close() error {
	if !w.closed {
		w.Flush()
		w.closed = true
		close(w.full)
		<-w.done
	}
	return w.Err()
}

// Err is the first error the flusher met, if any: why samples were lost.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Lost is the number of samples given up so far.
func (w *Writer) Lost() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lost
}

// loseBatch counts n samples lost for err and tells OnLoss the first time.
func (w *Writer) loseBatch(n int, err error) {
	w.mu.Lock()
	first := w.err == nil
	if first {
		w.err = fmt.Errorf("write samples of run %d: %w", w.runID, err)
	}
	w.lost += int64(n)
	werr := w.err
	w.mu.Unlock()
	if first && w.OnLoss != nil {
		w.OnLoss(werr)
	}
}

func (w *Writer) handOff() {
	w.full <- w.cur // never blocks: the channel holds every batch there is
	w.cur = w.batch()
}

// batch gives an empty batch: a recycled one, a new one while fewer than
// maxBatches exist, or else the next one the flusher frees.
func (w *Writer) batch() []load.Sample {
	select {
	case b := <-w.free:
		return b[:0]
	default:
	}
	if w.allocated < maxBatches {
		w.allocated++
		return make([]load.Sample, 0, batchSize)
	}
	return (<-w.free)[:0]
}

// A batch that failed is tried again every retryPause (each try waits
// writerBusyMS for a lock), for retryFor at most.
const (
	retryPause = 50 * time.Millisecond
	retryFor   = 5 * time.Second
)

// flusher inserts batches until full is closed. A batch that fails with
// a transient error is tried again until the store has been failing for
// retryFor or the collector is down to its last free batch (so it never
// blocks on the store), then given up as lost. The window runs from the
// first failure of a streak, not from each batch: on a disk that stays
// full, the batches after the first get one try each, so Close does not
// wait retryFor for every batch queued.
func (w *Writer) flusher() {
	defer close(w.done)
	ctx := context.Background()
	var ins *inserter
	var failing time.Time // since when every try failed; zero while writes succeed
	for b := range w.full {
		for {
			err := w.insert(ctx, &ins, b)
			if err == nil {
				failing = time.Time{}
				break
			}
			if failing.IsZero() {
				failing = time.Now()
				if w.OnStall != nil {
					w.OnStall(fmt.Errorf("write samples of run %d: %w", w.runID, err))
				}
			}
			// With every other batch but the collector's queued, the
			// collector would soon wait for this one: give it up rather
			// than hold up the load.
			short := len(w.full) >= maxBatches-2
			if !isTransient(err) || short || time.Since(failing) > retryFor {
				w.loseBatch(len(b), err)
				break
			}
			time.Sleep(retryPause)
		}
		w.free <- b
	}
	if ins != nil {
		if err := ins.close(); err != nil {
			w.loseBatch(0, err)
		}
	}
}

// insert writes one batch, opening the inserter first when needed (a
// failed one is dropped and opened again at the next try).
func (w *Writer) insert(ctx context.Context, ins **inserter, b []load.Sample) error {
	if *ins == nil {
		i, err := newInserter(ctx, w.db, w.runID)
		if err != nil {
			return err
		}
		*ins = i
	}
	if err := (*ins).insert(ctx, b); err != nil {
		if !isTransient(err) {
			(*ins).close()
			*ins = nil
		}
		return err
	}
	return nil
}

// IsTransient reports store errors that may pass: another process holds
// the lock, or the disk (or file system) is full. A write that fails so
// is worth trying again a little later; any other failure is not.
func IsTransient(err error) bool { return isTransient(err) }

func isTransient(err error) bool {
	if isBusy(err) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_FULL || c == sqlite3.SQLITE_IOERR
	}
	return errors.Is(err, syscall.ENOSPC)
}
