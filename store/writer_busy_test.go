package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// holdWriteLock takes the file's write lock on a connection of its own
// (BEGIN IMMEDIATE), as another exp process in the middle of a commit
// does, and lets it go after d; the returned channel closes then.
func holdWriteLock(t *testing.T, path string, d time.Duration) <-chan struct{} {
	t.Helper()
	x, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	conn, err := x.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(d)
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Error(err)
		}
		conn.Close()
	}()
	return released
}

// addPaced adds n samples from the first index, flushing every 0.1 s of
// the given span as the collector does every half second, so batches
// queue while the file is locked.
func addPaced(w *Writer, first, n int, span time.Duration) {
	const flushes = 10
	for f := range flushes {
		for i := f * n / flushes; i < (f+1)*n/flushes; i++ {
			w.Add(sampleN(first + i))
		}
		w.Flush()
		time.Sleep(span / flushes)
	}
}

// TestWriterWaitsOutALockedFile: another connection holds the write lock
// for a second while samples come; the writer tries again (SQLITE_BUSY is
// transient) and every sample ends stored, none lost.
func TestWriterWaitsOutALockedFile(t *testing.T) {
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "busy")
	released := holdWriteLock(t, db.Path(), time.Second)
	w := NewWriter(db, id)
	const n = 30_000
	addPaced(w, 0, n, 1500*time.Millisecond)
	<-released
	if err := w.Close(); err != nil || w.Lost() != 0 {
		t.Fatalf("a lock held for a second: Close %v, %d lost", err, w.Lost())
	}
	checkSamples(t, db, id, n)
}

// TestWriterGivesUpALockHeldTooLong: a lock held past the writer's retry
// window loses the batches that waited for it, counted; the file stays
// intact, and once the lock is gone later samples are stored.
func TestWriterGivesUpALockHeldTooLong(t *testing.T) {
	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "busy-long")
	released := holdWriteLock(t, db.Path(), retryFor+2*time.Second)
	w := NewWriter(db, id)
	var told, stalled error
	w.OnLoss = func(err error) { told = err }
	w.OnStall = func(err error) { stalled = err }
	const n = 10_000
	addPaced(w, 0, n, time.Second)
	<-released
	const after = 1000
	addPaced(w, n, after, 100*time.Millisecond)
	err := w.Close()
	lost := w.Lost()
	stored, cerr := db.SampleCount(context.Background(), id)
	if cerr != nil {
		t.Fatal(cerr)
	}
	if err == nil || !isBusy(err) || told == nil || stalled == nil || lost == 0 {
		t.Fatalf("a lock held past the retry window: Close %v, told %v, stalled %v, %d lost", err, told, stalled, lost)
	}
	if stored+lost != n+after || stored < after {
		t.Errorf("%d stored + %d lost, want %d in all, the %d added after the lock stored", stored, lost, n+after, after)
	}
	var check string
	if err := db.x.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	t.Logf("lock held %v: %d stored, %d lost and counted (%v)", retryFor+2*time.Second, stored, lost, err)
}
