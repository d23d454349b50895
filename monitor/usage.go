package monitor

import "time"

// Scopes of a resource sample.
const (
	ScopeTarget    = "target"    // the server under test, children included
	ScopeGenerator = "generator" // this process: load engine and store writer
	ScopeSystem    = "system"    // the whole machine
)

// Usage is one reading of one scope, taken once per interval. Plain value:
// the store writes it to the resources table.
type Usage struct {
	T              time.Duration // offset from run start
	Scope          string
	CPUPct         float64 // percent of one core; can exceed 100, like top
	MachinePct     float64 // percent of the whole machine, like Task Manager
	RSS            uint64  // resident set, bytes
	MemPct         float64 // RSS as percent of system memory (system: used %)
	Threads        int32
	FDs            int32 // open file descriptors; -1 where the OS does not say
	TCPEstablished int   // connections to/from the target's port (system: all)
	TCPTimeWait    int   // same, in TIME_WAIT
	TCPOther       int   // same, in any other state
	SysTimeWait    int   // the machine's whole TIME_WAIT count
	// Worker is 1 + the index of the worker that took it, in a run merged
	// from the workers of a split test; 0 for the run's own machine.
	Worker int
}
