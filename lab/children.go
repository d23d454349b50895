package lab

import (
	"sync"

	"exp/target"
)

// running holds the target processes the lab started and has not yet
// stopped, so that KillTargets, called when the process must exit at
// once, leaves no orphan behind.
var running struct {
	sync.Mutex
	procs map[*target.Process]bool
}

func track(p *target.Process) {
	running.Lock()
	defer running.Unlock()
	if running.procs == nil {
		running.procs = map[*target.Process]bool{}
	}
	running.procs[p] = true
}

func untrack(p *target.Process) {
	running.Lock()
	defer running.Unlock()
	delete(running.procs, p)
}

// stopTarget stops p with its usual grace and forgets it.
func stopTarget(p *target.Process) {
	_ = p.Stop()
	untrack(p)
}

// KillTargets kills every target process still running (its process
// group on Unix) at once, without the grace a normal stop gives.
func KillTargets() {
	running.Lock()
	defer running.Unlock()
	for p := range running.procs {
		killNow(p.PID)
	}
}
