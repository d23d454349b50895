package main

import (
	"sync"

	"exp/target"
)

// children are the target processes this exp started and has not yet
// stopped, so that a second interrupt, which exits without the usual
// clean-up, still leaves no orphan behind.
var children struct {
	sync.Mutex
	procs map[*target.Process]bool
}

// track records p until untrack.
func track(p *target.Process) {
	children.Lock()
	defer children.Unlock()
	if children.procs == nil {
		children.procs = map[*target.Process]bool{}
	}
	children.procs[p] = true
}

func untrack(p *target.Process) {
	children.Lock()
	defer children.Unlock()
	delete(children.procs, p)
}

// stopTarget stops p with its usual grace and forgets it.
func stopTarget(p *target.Process) {
	_ = p.Stop()
	untrack(p)
}

// killChildren kills every tracked process (its process group on Unix)
// at once, without the grace Stop gives.
func killChildren() {
	children.Lock()
	defer children.Unlock()
	for p := range children.procs {
		killNow(p.PID)
	}
}
