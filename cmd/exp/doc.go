// Command exp runs load-testing experiments against HTTP servers and keeps
// every run in SQLite.
//
// This package only wires: flags become typed specs (lab.RunSpec,
// lab.PlanSpec, with load.RunConfig and target.Options inside), which go
// to package lab, the run lifecycle that the web UI and a distributed
// worker call as well; lab's Events become lines on stderr, its errors one
// line (an input.Error's field spelled as its flag) and an exit status by
// their kind (root.go: 2 for bad input, 3 interrupted, 4 threshold
// breached). Each subcommand lives in its own file; the end-to-end tests
// (*_e2e_test.go) run the real binary, and the golden files in testdata/
// hold the printed summary, comparison and list of fixed stored runs.
package main
