package store

import (
	"context"
	"testing"
	"time"

	"exp/load"
)

// A reader following a run gets each sample once, batch after batch.
func TestEachSampleAfter(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	id := mustCreateRun(t, db, "follow")
	w := NewWriter(db, id)
	count := func(mark int64) (int, int64) {
		n := 0
		next, err := db.EachSampleAfter(ctx, id, mark, func(load.Sample) error { n++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n, next
	}
	if n, mark := count(0); n != 0 || mark != 0 {
		t.Fatalf("before any sample: %d, mark %d", n, mark)
	}
	for i := range 10 {
		w.Add(sampleN(i))
	}
	w.Flush()
	waitFlushed(t, db, id, 10)
	n, mark := count(0)
	if n != 10 {
		t.Fatalf("first read: %d samples, want 10", n)
	}
	for i := range 5 {
		w.Add(sampleN(10 + i))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, _ := count(mark); n != 5 {
		t.Errorf("second read: %d samples, want the 5 new ones", n)
	}
	if n, again := count(mark + 5); n != 0 || again != mark+5 {
		t.Errorf("nothing new: %d samples, mark %d", n, again)
	}
}

func waitFlushed(t *testing.T, db *DB, id, n int64) {
	t.Helper()
	for range 200 {
		if c, _ := db.SampleCount(context.Background(), id); c >= n {
			return
		}
		sleepMS(10)
	}
	t.Fatalf("the writer did not flush %d samples", n)
}

func sleepMS(ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }
