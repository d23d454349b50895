package store

import (
	"context"
	"exp/load"
	"fmt"
	"sync"
)

// Writer sizing. A batch is handed to the flusher when full or on Flush;
// at most maxBatches exist, so memory is bounded (about 400 KB each) and
// Add blocks only when the flusher is that many batches behind.
const (
	batchSize  = 8192
	maxBatches = 4
)

// Writer records a run's samples. Add is called from one goroutine (the
// collector) and only appends to a batch; a background goroutine inserts
// full batches, one transaction each, on its own connection. Call Flush
// about every half second so a crash loses at most the last second, and
// Close at the end.
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

	mu  sync.Mutex
	err error // first error of the flusher
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

// Flush hands the samples added so far to the flusher, without waiting for
// them to be written, and returns the first write error seen so far.
func (w *Writer) Flush() error {
	if len(w.cur) > 0 && !w.closed {
		w.handOff()
	}
	return w.Err()
}

// Close writes every sample added and stops the flusher; it returns the
// first write error. Add must not be called after Close.
func (w *Writer) Close() error {
	if !w.closed {
		w.Flush()
		w.closed = true
		close(w.full)
		<-w.done
	}
	return w.Err()
}

// Err is the first error the flusher met, if any.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *Writer) setErr(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = fmt.Errorf("write samples of run %d: %w", w.runID, err)
	}
	w.mu.Unlock()
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

// flusher inserts batches until full is closed. After an error it keeps
// draining, so Add never blocks forever; the error surfaces at Flush/Close.
func (w *Writer) flusher() {
	defer close(w.done)
	ctx := context.Background()
	ins, err := newInserter(ctx, w.db, w.runID)
	if err != nil {
		w.setErr(err)
	}
	for b := range w.full {
		if err == nil {
			if err = ins.insert(ctx, b); err != nil {
				w.setErr(err)
			}
		}
		w.free <- b
	}
	if ins != nil {
		if cerr := ins.close(); cerr != nil {
			w.setErr(cerr)
		}
	}
}
