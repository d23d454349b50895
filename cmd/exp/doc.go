// Command exp runs load-testing experiments against HTTP servers and keeps
// every run in SQLite.
//
// This package only wires: flags become plain values (experiment.RunConfig,
// target.Options, thresholds), which go to the packages that do the work —
// target starts the server under test, experiment sends the load, store
// records it, monitor samples resources, plots and report show the result —
// and their errors become one line on stderr and an exit status (see
// root.go: 2 for bad input, 3 interrupted, 4 threshold breached). Each
// subcommand lives in its own file; the end-to-end tests (*_e2e_test.go)
// run the real binary.
package main
