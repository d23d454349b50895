package store

import (
	"context"
	"exp/load"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func writeSamples(tb testing.TB, db *DB, id int64, n int) {
	tb.Helper()
	writeRange(tb, db, id, 0, n)
}

// writeRange writes samples from to to-1 with one Writer.
func writeRange(tb testing.TB, db *DB, id int64, from, to int) {
	tb.Helper()
	w := NewWriter(db, id)
	for i := from; i < to; i++ {
		w.Add(sampleN(i))
		if i%3000 == 0 {
			if err := w.Flush(); err != nil {
				tb.Error(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		tb.Error(err)
	}
}

func checkSamples(tb testing.TB, db *DB, id int64, n int) {
	tb.Helper()
	ctx := context.Background()
	i := 0
	err := db.EachSample(ctx, id, func(s load.Sample) error {
		if want := sampleN(i); s != want {
			return fmt.Errorf("sample %d = %+v, want %+v", i, s, want)
		}
		i++
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	count, err := db.SampleCount(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	if i != n || count != int64(n) {
		tb.Errorf("read %d samples, counted %d, want %d", i, count, n)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "r")
	other := mustCreateRun(t, db, "other")
	writeSamples(t, db, other, 100)
	const n = 10_000
	writeRange(t, db, id, 0, 7000)
	writeSamples(t, db, other, 100)
	writeRange(t, db, id, 7000, n) // a second writer continues the run
	checkSamples(t, db, id, n)

	// The query the README gives users finds the same rows.
	var count int
	if err := db.x.Get(&count, `SELECT count(*) FROM samples s JOIN runs r
		ON s.id BETWEEN r.first_sample_id AND r.last_sample_id AND s.run_id = r.id
		WHERE r.name = 'r'`); err != nil || count != n {
		t.Errorf("documented query counts %d, %v; want %d", count, err, n)
	}

	w := NewWriter(db, other) // closed with nothing added
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriterReportsErrors(t *testing.T) {
	db := MustOpenDB(t)
	w := NewWriter(db, 12345) // no such run
	// More samples than the writer holds: Add must not block on the failure.
	for i := range 2 * maxBatches * batchSize {
		w.Add(sampleN(i))
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close returned no error for samples of a missing run")
	}
	if n := w.Lost(); n != 2*maxBatches*batchSize {
		t.Errorf("%d samples counted lost of %d", n, 2*maxBatches*batchSize)
	}
}

// More samples than the writer's batches hold, with no Flush: Add waits
// for the flusher, and nothing is lost.
func TestWriterBackPressure(t *testing.T) {
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "r")
	n := (maxBatches+1)*batchSize + 17
	w := NewWriter(db, id)
	for i := range n {
		w.Add(sampleN(i))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkSamples(t, db, id, n)
}

// Two runs written at once into one file from two handles (as two exp
// processes would), while a third lists runs.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exp.db")
	dbs := make([]*DB, 3)
	for i := range dbs {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	const n = 10_000 // more than a batch, so batches hand off while the other writes
	ids := []int64{mustCreateRun(t, dbs[0], "a"), mustCreateRun(t, dbs[1], "b")}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { writeSamples(t, dbs[i], id, n) })
	}
	stop := make(chan struct{})
	reads := make(chan int)
	go func() {
		k := 0
		for {
			select {
			case <-stop:
				reads <- k
				return
			default:
			}
			if _, err := dbs[2].ListRuns(context.Background()); err != nil {
				t.Error(err)
			}
			k++
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
	close(stop)
	if k := <-reads; k == 0 {
		t.Error("the reader never listed runs")
	}
	for i, id := range ids {
		checkSamples(t, dbs[i], id, n)
	}
}

func TestWriterAddDoesNotAllocate(t *testing.T) {
	db := MustOpenDB(t)
	w := NewWriter(db, mustCreateRun(t, db, "r"))
	defer w.Close()
	s := sampleN(3)
	// Fewer samples than a batch, so the flusher stays idle while counting.
	if n := testing.AllocsPerRun(batchSize/2, func() { w.Add(s) }); n != 0 {
		t.Errorf("Add allocates %v times per sample", n)
	}
}
