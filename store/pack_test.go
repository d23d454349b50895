package store

import (
	"context"
	"exp/load"
	"math"
	"testing"
	"time"
)

// Edge values survive the packed INSERT and SELECT, through SQLite.
func TestPackRoundTrip(t *testing.T) {
	tests := []load.Sample{
		{},
		{Start: 3 * time.Hour, Latency: maxMicros * us, Service: maxMicros * us, Endpoint: math.MaxUint16,
			Status: 599, Class: load.HTTP, Reused: true, User: math.MaxUint32, Bytes: maxBytes, Step: maxStep},
		{Class: load.Check, Status: 200, Step: 3, Bytes: 12},
		{Start: time.Microsecond, Latency: time.Microsecond, Status: 0, Class: load.Other, Bytes: 0},
		{Endpoint: 1, Status: 999, Class: load.HTTP, User: 1},
		{Service: 5 * time.Second, Latency: 5 * time.Second, Proto: load.HTTP2, Reused: true, Phases: load.Phases{
			DNS: 11 * us, Connect: maxMicros / 4 * us, TLS: 3 * us, Wait: 4*time.Second + 7*us, Read: 9 * us}},
		{Service: maxMicros * us, Proto: load.HTTP11, Phases: load.Phases{DNS: maxMicros * us, Read: maxMicros * us}},
	}
	for c := load.OK; c <= load.LastClass; c++ {
		tests = append(tests, load.Sample{Class: c, Status: 503, Endpoint: uint16(c), User: uint32(c)})
	}
	for _, s := range tests {
		if got := unpack(pack(s)); got != s {
			t.Errorf("unpack(pack(%+v)) = %+v", s, got)
		}
	}

	db := MustOpenDB(t)
	id := mustCreateRun(t, db, "edges")
	w := NewWriter(db, id)
	for _, s := range tests {
		w.Add(s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	i := 0
	db.EachSample(context.Background(), id, func(s load.Sample) error {
		if s != tests[i] {
			t.Errorf("stored %+v, read back %+v", tests[i], s)
		}
		i++
		return nil
	})
	if i != len(tests) {
		t.Errorf("read %d samples, want %d", i, len(tests))
	}
	// The plain columns hold plain values.
	var lat, svc, status int64
	var class string
	db.x.QueryRow(`SELECT latency_us, service_us, status, error_class FROM samples WHERE run_id = ?
		AND error_class LIKE 'http-%' ORDER BY id LIMIT 1`, id).Scan(&lat, &svc, &status, &class)
	if lat != maxMicros || svc != maxMicros || status != 599 || class != "http-599" {
		t.Errorf("stored columns: latency_us %d service_us %d status %d error_class %q", lat, svc, status, class)
	}
}

func TestPackClamps(t *testing.T) {
	s := load.Sample{Latency: 48 * time.Hour, Service: -time.Second, Status: 5000}
	got := unpack(pack(s))
	if got.Latency != maxMicros*us || got.Service != 0 || got.Status != maxStatus {
		t.Errorf("clamped to %+v", got)
	}
}
