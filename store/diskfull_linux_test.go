//go:build linux

package store

import (
	"context"
	"database/sql"
	"exp/internal/tmpfs"
	"os"
	"path/filepath"
	"testing"
)

// TestWriterOnAFullDisk: with the disk full, Add never blocks, every
// sample given up is counted, the file stays intact, and once space is
// freed the next samples are written.
func TestWriterOnAFullDisk(t *testing.T) {
	dir := tmpfs.Mount(t, "2m")
	path := filepath.Join(dir, "exp.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := mustCreateRun(t, db, "full")
	// Fill what is left of the disk, but for a little.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	const n = 200_000 // about 8 MB of rows: far more than the disk holds
	w := NewWriter(db, id)
	var told error
	w.OnLoss = func(err error) { told = err }
	for i := range n {
		w.Add(sampleN(i))
		if i%20_000 == 0 {
			w.Flush()
		}
	}
	err = w.Close()
	lost := w.Lost()
	stored, cerr := db.SampleCount(context.Background(), id)
	if cerr != nil {
		t.Fatal(cerr)
	}
	if err == nil || lost == 0 || told == nil {
		t.Fatalf("a full disk lost nothing: Close %v, lost %d, told %v", err, lost, told)
	}
	if stored+lost != n {
		t.Errorf("%d stored + %d lost != %d added", stored, lost, n)
	}
	t.Logf("disk full: %d samples stored, %d lost and counted (%v)", stored, lost, err)
	// Free the space: the file is intact and takes new samples.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	x, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var check string
	if err := x.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	w = NewWriter(db, id)
	for i := range 1000 {
		w.Add(sampleN(n + i))
	}
	if err := w.Close(); err != nil || w.Lost() != 0 {
		t.Errorf("after the space came back: %v, %d lost", err, w.Lost())
	}
	if after, _ := db.SampleCount(context.Background(), id); after != stored+1000 {
		t.Errorf("%d samples after, want %d", after, stored+1000)
	}
}
