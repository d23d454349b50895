// Package report prints what a user reads: the Locust-style summary table
// of a run, failures by class, progress lines, lists of runs. Data enters
// as plain experiment values (Summary, Stats, Window) and header structs;
// text leaves through an io.Writer. It never reads the store itself.
package report
