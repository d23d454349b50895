package store

import (
	"context"
	"exp/load"
	"strings"
	"testing"
	"time"
)

// BenchmarkWriter measures sample ingestion into a temporary file,
// Flush every 64k samples as a collector would at high rates.
func BenchmarkWriter(b *testing.B) {
	db := MustOpenDB(b)
	id := mustCreateRun(b, db, "bench")
	samples := make([]load.Sample, 1<<16)
	for i := range samples {
		samples[i] = sampleN(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	w := NewWriter(db, id)
	for i := range b.N {
		s := samples[i&(len(samples)-1)]
		s.Start = time.Duration(i) * 10 * time.Microsecond
		w.Add(s)
		if i&(1<<16-1) == 0 {
			w.Flush()
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "samples/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/sample")
}

// BenchmarkEachSample measures reading a run's samples back.
func BenchmarkEachSample(b *testing.B) {
	db := MustOpenDB(b)
	id := mustCreateRun(b, db, "bench")
	writeSamples(b, db, id, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	n := 0
	if err := db.EachSample(context.Background(), id, func(load.Sample) error {
		n++
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "samples/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(n), "cpu-ns/sample")
}

// BenchmarkWriterCommits measures what synchronous=FULL costs against
// NORMAL at a run's real commit cadence: a batch of 2,000 samples a commit
// (4,000 requests a second, committed every 500 ms), on the file system
// of t.TempDir. Run the two alternately:
//
//	go test -run '^$' -bench WriterCommits -count 4 ./store/
func BenchmarkWriterCommits(b *testing.B) {
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run(mode, func(b *testing.B) {
			defer func(old, params string) { synchronous, rwParams = old, params }(synchronous, rwParams)
			rwParams = strings.Replace(rwParams, "synchronous("+synchronous+")", "synchronous("+mode+")", 1)
			synchronous = mode
			db := MustOpenDB(b)
			id := mustCreateRun(b, db, "bench")
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), cpuTime()
			w := NewWriter(db, id)
			for i := range b.N {
				s := sampleN(i)
				s.Start = time.Duration(i) * 250 * time.Microsecond
				w.Add(s)
				if i%2000 == 1999 {
					w.Flush()
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "samples/s")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/sample")
		})
	}
}
