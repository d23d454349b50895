// Package report writes what a user reads: the Locust-style summary table
// of a run, failures by class, where the time went (Phases: each phase's
// mean, p95 and share of latency, the connections opened and reused, the
// protocols), resources, verdicts, the comparison of runs (with each
// phase's share run by run: "connect: 0% → 38% of latency"), progress lines, lists of runs, threshold results, the sentences of
// a plan's observations (written from verdict's figures) and the plan
// report as markdown and self-contained HTML.
//
// Data enters as plain values (analysis.Summary, verdict.Verdict,
// verdict.Change, store.RunRow, PlanReport) and header structs; text
// leaves through an io.Writer, and every function that writes returns the
// first write error. Numbers are formatted by package units. It never
// reads the store itself.
package report
