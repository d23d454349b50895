package store

import (
	"context"
	"crypto/sha256"
	"exp/load"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// MustOpenDB opens a new database file in a temporary directory.
func MustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(filepath.Join(tb.TempDir(), "exp.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func testConfig(name string) load.RunConfig {
	return load.RunConfig{
		Name: name, URL: "http://127.0.0.1:8080", Model: load.Closed,
		Tasks: []load.Task{
			{Method: "GET", Path: "/health", Weight: 1},
			{Method: "GET", Path: "/io?ms=200", Weight: 2},
			{Method: "POST", Path: "/cpu", Weight: 1},
		},
		Wait:  load.Wait{Min: 100 * time.Millisecond, Max: 500 * time.Millisecond},
		Users: 10, SpawnRate: 2, Duration: time.Minute, Timeout: 5 * time.Second, KeepAlive: true,
		Headers: map[string]string{"Authorization": "<redacted>"},
	}
}

func mustCreateRun(tb testing.TB, db *DB, name string) int64 {
	tb.Helper()
	id, err := db.CreateRun(context.Background(), testConfig(name), "pooled",
		map[string]any{"pool_size": 8}, ThisHost("test"))
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// sampleN makes the i-th test sample: whole microseconds (the stored
// unit), every field varied, one in 7 failed.
func sampleN(i int) load.Sample {
	s := load.Sample{
		Start:    time.Duration(i) * 100 * time.Microsecond,
		Latency:  time.Duration(1000+i%5000) * time.Microsecond,
		Service:  time.Duration(900+i%4000) * time.Microsecond,
		Endpoint: uint16(i % 3), Status: 200, Reused: i%2 == 0,
		User: uint32(i % 100), Bytes: int64(i % 1500),
	}
	switch i % 7 {
	case 3:
		s.Class, s.Status = load.HTTP, 503
	case 5:
		s.Class, s.Status = load.Refused, 0
	}
	return s
}

func fileHash(tb testing.TB, path string) [32]byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(b)
}
