// Package locust reads and writes Locust's CSV files (`locust --csv
// PREFIX`, Locust 2.x): PREFIX_stats.csv, PREFIX_stats_history.csv and
// PREFIX_failures.csv, with Locust's exact column names, so spreadsheets
// made for Locust read exp's exports and old Locust results can be
// imported and compared with exp runs.
//
// Data enters as CSV text (ReadStats, ReadHistory, ReadFailures) or as
// plain values: a run's analysis.Summary (StatsRows) and its samples
// (Accumulator, which computes the percentile ladder of each endpoint and
// the per-second history in one pass). It leaves as rows (StatsRow,
// HistoryRow, FailureRow), as CSV text (WriteStats, WriteHistory,
// WriteFailures), or, for an import, as an analysis.Summary (ToSummary).
//
// Locust's figures differ from exp's in two ways that an import keeps as
// they are: its percentiles are rounded to about two significant digits,
// and its history rows hold moving windows (Requests/s and the percentile
// columns cover about the last 10 seconds) beside running totals. An
// import turns the running totals into per-second request counts and
// takes the window percentiles as the second's.
package locust
