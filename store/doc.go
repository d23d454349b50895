// Package store keeps runs in one SQLite file (modernc.org/sqlite, pure Go):
// each run's configuration, every request sample, the per-endpoint and
// per-second analysis, and the resource readings.
//
// Data enters through DB.CreateRun (the run row and its endpoints), a Writer
// (the sample stream, batched into multi-row INSERTs by a background
// goroutine so the collector never waits on SQLite), DB.InsertUsage and
// DB.SaveSummary. It leaves through DB.FindRun, DB.ListRuns, DB.Summary,
// DB.Usage and DB.EachSample, which streams samples without holding a run in
// memory. Warnings carry their code (analysis.Warning). An imported run's
// percentile ladders (Quantile) and history rows (HistoryRow) are kept in
// generic form; the store knows no other tool's file format.
//
// The schema is a public interface, documented in the README (section
// "The database") and defined by the numbered files in migrations/,
// embedded in the binary and applied once each, in order, each in its own
// transaction. Open checks a file before it
// changes anything: a file that is not an exp database, or one written by a
// newer exp, is refused untouched. WAL mode with a busy timeout lets a reader
// and several runs (several processes) share one file.
package store
