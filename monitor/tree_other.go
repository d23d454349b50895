//go:build !linux

package monitor

import (
	"context"

	"github.com/shirou/gopsutil/v4/process"
)

// childTable asks gopsutil for each process's children (one process
// snapshot per call on Windows, a sysctl walk on macOS).
func childTable(ctx context.Context) func(pid int32) []int32 {
	return func(pid int32) []int32 {
		p := &process.Process{Pid: pid}
		cs, err := p.ChildrenWithContext(ctx)
		if err != nil {
			return nil
		}
		out := make([]int32, len(cs))
		for i, c := range cs {
			out[i] = c.Pid
		}
		return out
	}
}

// zombie is false where the OS keeps no zombies (Windows) or gopsutil would
// spawn ps to tell (macOS); exp run reaps its child at once anyway.
func zombie(int32) bool { return false }
