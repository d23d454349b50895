package store

import (
	"context"
	"exp/load"
	"testing"
)

// EachLatency reads the same latencies, in the same order, as EachSample
// gives for the answered samples, and only the run asked for.
func TestEachLatencyMatchesEachSample(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	ids := []int64{mustCreateRun(t, db, "a"), mustCreateRun(t, db, "b")}
	for k, id := range ids {
		writeSamples(t, db, id, 3000*(k+1))
	}
	for _, id := range ids {
		var want []uint32
		if err := db.EachSample(ctx, id, func(s load.Sample) error {
			if s.Responded() {
				want = append(want, uint32(s.Latency.Microseconds()))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var got []uint32
		if err := db.EachLatency(ctx, id, func(_ int64, us uint32) error { got = append(got, us); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("run %d: %d latencies, %d samples", id, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("run %d latency %d: %d, sample says %d", id, i, got[i], want[i])
			}
		}
	}
}
