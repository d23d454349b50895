package monitor

import (
	"context"
	"fmt"
	"runtime"

	"github.com/shirou/gopsutil/v4/process"
)

// procTotals is one reading of a group of processes, summed.
type procTotals struct {
	cpuSec  float64 // CPU seconds used since the previous reading
	rss     uint64
	threads int32
	fds     int32 // -1 when no member's count could be read
}

// procGroup reads a set of processes that changes from tick to tick (a
// server and its workers). It keeps each member's previous CPU time so a
// reading reports only the CPU used since the last one.
type procGroup struct {
	procs map[int32]*process.Process
	prev  map[int32]cpuMark
}

// cpuMark is a member's cumulative user+system CPU seconds at the last
// reading it was seen in, and how many readings it has been missing from.
type cpuMark struct {
	sec    float64
	missed int
}

// keepMissing is how many readings a missing member's mark is kept: a child
// listing can miss a live process now and then (tree_linux.go), and
// forgetting its mark would count its whole lifetime's CPU when it reappears.
const keepMissing = 3

func newProcGroup() *procGroup {
	return &procGroup{procs: map[int32]*process.Process{}, prev: map[int32]cpuMark{}}
}

// read sums the members pids. A member seen for the first time contributes
// all its CPU time: it was born since the last tick (the group is primed at
// construction). Members that exited are forgotten; their CPU since the last
// tick is lost, which is small.
func (g *procGroup) read(ctx context.Context, pids []int32) procTotals {
	t := procTotals{fds: -1}
	seen := make(map[int32]cpuMark, len(pids))
	for _, pid := range pids {
		p, err := g.proc(ctx, pid)
		if err != nil {
			continue
		}
		times, err := p.TimesWithContext(ctx)
		if err != nil {
			continue // exited between listing and reading
		}
		cpu := times.User + times.System
		seen[pid] = cpuMark{sec: cpu}
		if d := cpu - g.prev[pid].sec; d > 0 {
			t.cpuSec += d
		}
		if m, err := p.MemoryInfoWithContext(ctx); err == nil {
			t.rss += m.RSS
		}
		if n, err := p.NumThreadsWithContext(ctx); err == nil {
			t.threads += n
		}
		if n := numFDs(ctx, p); n >= 0 {
			t.fds = max(t.fds, 0) + n
		}
	}
	for pid, m := range g.prev {
		if _, ok := seen[pid]; !ok && m.missed < keepMissing {
			seen[pid] = cpuMark{sec: m.sec, missed: m.missed + 1}
		}
	}
	for pid := range g.procs {
		if _, ok := seen[pid]; !ok {
			delete(g.procs, pid)
		}
	}
	g.prev = seen
	return t
}

func (g *procGroup) proc(ctx context.Context, pid int32) (*process.Process, error) {
	if p, ok := g.procs[pid]; ok {
		return p, nil
	}
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return nil, err
	}
	g.procs[pid] = p
	return p, nil
}

// numFDs is the open file descriptor count, or -1 where the OS does not say
// (Windows has handles, which are not the same thing) or will not tell us.
func numFDs(ctx context.Context, p *process.Process) int32 {
	if runtime.GOOS == "windows" {
		return -1
	}
	n, err := p.NumFDsWithContext(ctx)
	if err != nil {
		return -1
	}
	return n
}

// running says whether p is still the process it was (same PID, same
// creation time) and has not exited unreaped.
func running(ctx context.Context, p *process.Process) bool {
	ok, err := p.IsRunningWithContext(ctx)
	return err == nil && ok && !zombie(p.Pid)
}

// CheckPID returns an error naming pid if no such process is running.
func CheckPID(pid int32) error {
	if pid <= 0 {
		return fmt.Errorf("pid %d: not a process id", pid)
	}
	ctx := context.Background()
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil || !running(ctx, p) {
		return fmt.Errorf("pid %d: no such process", pid)
	}
	return nil
}

// tree lists root and all its descendants, root first.
func tree(ctx context.Context, root int32) []int32 {
	kids := childTable(ctx)
	out := []int32{root}
	seen := map[int32]bool{root: true}
	for i := 0; i < len(out); i++ {
		for _, k := range kids(out[i]) {
			if !seen[k] { // PID reuse on Windows can fake a cycle
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}
