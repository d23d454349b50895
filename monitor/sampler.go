package monitor

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/shirou/gopsutil/v4/process"
)

// DefaultInterval is the sampling interval when Config leaves it zero.
const DefaultInterval = time.Second

// Config says what a Sampler watches. The zero value watches the generator
// (this process) and the machine, every second.
type Config struct {
	// TargetPID is the root of the server's process tree: it and all its
	// descendants form the target. 0: no target rows.
	TargetPID int32
	// TargetPort is the TCP port the server listens on. 0: the target row
	// counts the root process's own connections instead (see doc.go).
	TargetPort int
	// GeneratorPID is the load generator's process; 0 means os.Getpid().
	GeneratorPID int32
	// Interval between readings; 0 means DefaultInterval.
	Interval time.Duration
}

// Sampler reads the target, generator and system usage once per interval.
// Build it with NewSampler; Run it once.
type Sampler struct {
	cfg   Config
	cores int

	root      *process.Process // nil: no target, or it has gone
	target    *procGroup
	generator *procGroup
	prevSys   cpu.TimesStat
	last      time.Time // when the previous reading was taken

	gone     chan struct{}
	goneOnce sync.Once
}

// NewSampler checks the target PID exists and takes a first reading of
// every scope, so the first row Run emits covers a real interval.
func NewSampler(cfg Config) (*Sampler, error) {
	if cfg.GeneratorPID == 0 {
		cfg.GeneratorPID = int32(os.Getpid())
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.TargetPort < 0 || cfg.TargetPort > 65535 {
		return nil, fmt.Errorf("target port %d: out of range", cfg.TargetPort)
	}
	s := &Sampler{
		cfg:       cfg,
		cores:     LogicalCores(),
		target:    newProcGroup(),
		generator: newProcGroup(),
		gone:      make(chan struct{}),
	}
	ctx := context.Background()
	if cfg.TargetPID != 0 {
		if err := CheckPID(cfg.TargetPID); err != nil {
			return nil, fmt.Errorf("target: %w", err)
		}
		root, err := process.NewProcessWithContext(ctx, cfg.TargetPID)
		if err != nil {
			return nil, fmt.Errorf("target pid %d: %w", cfg.TargetPID, err)
		}
		s.root = root
	}
	s.prime(ctx)
	return s, nil
}

// prime takes the readings the next tick's deltas start from.
func (s *Sampler) prime(ctx context.Context) {
	if s.root != nil {
		s.target.read(ctx, tree(ctx, s.root.Pid))
	}
	s.generator.read(ctx, []int32{s.cfg.GeneratorPID})
	s.prevSys, _ = systemTimes(ctx)
	s.last = time.Now()
}

// Interval is the interval Run ticks at.
func (s *Sampler) Interval() time.Duration { return s.cfg.Interval }

// TargetGone is closed once the target's root process has exited; target
// rows stop from then on. Never closed when there is no target.
func (s *Sampler) TargetGone() <-chan struct{} { return s.gone }

// Run emits one Usage per scope every interval until ctx is done, in the
// order target, generator, system. T is the time since start. emit is called
// from Run's goroutine; it should not block for long.
//
// Run primes the readings again as it starts, so the first row covers one
// interval even when the Sampler was built long before (say, while waiting
// for the target to answer).
func (s *Sampler) Run(ctx context.Context, start time.Time, emit func(Usage)) {
	s.prime(ctx)
	tk := time.NewTicker(s.cfg.Interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
			for _, u := range s.tick(ctx, start) {
				emit(u)
			}
		}
	}
}

// tick takes one reading of every scope.
func (s *Sampler) tick(ctx context.Context, start time.Time) []Usage {
	now := time.Now()
	wall := now.Sub(s.last).Seconds()
	s.last = now
	t := now.Sub(start)

	var memTotal uint64
	vm, vmErr := mem.VirtualMemoryWithContext(ctx)
	if vmErr == nil {
		memTotal = vm.Total
	}
	conns, _ := scanTCP(ctx) // on error the counts read 0 for this tick
	port := uint32(s.cfg.TargetPort)
	tcp := tally(conns, port)

	rows := make([]Usage, 0, 3)
	if u, ok := s.targetUsage(ctx, wall, memTotal, tcp.server); ok {
		rows = append(rows, u)
	}
	gen := s.procUsage(ScopeGenerator, s.generator.read(ctx, []int32{s.cfg.GeneratorPID}), wall, memTotal)
	setTCP(&gen, tcp.client)
	rows = append(rows, gen)
	rows = append(rows, s.systemUsage(ctx, vm, tcp.all))
	for i := range rows {
		rows[i].T = t
		rows[i].SysTimeWait = tcp.all.timeWait
	}
	return rows
}

// targetUsage reads the target's tree; ok is false when there is no target
// or it has gone.
func (s *Sampler) targetUsage(ctx context.Context, wall float64, memTotal uint64, server tcpCounts) (Usage, bool) {
	if s.root == nil {
		return Usage{}, false
	}
	if !running(ctx, s.root) {
		s.root = nil
		s.goneOnce.Do(func() { close(s.gone) })
		return Usage{}, false
	}
	u := s.procUsage(ScopeTarget, s.target.read(ctx, tree(ctx, s.root.Pid)), wall, memTotal)
	if s.cfg.TargetPort == 0 {
		server, _ = pidTCP(ctx, s.root.Pid)
	}
	setTCP(&u, server)
	return u, true
}

func (s *Sampler) procUsage(scope string, p procTotals, wall float64, memTotal uint64) Usage {
	u := Usage{Scope: scope, RSS: p.rss, Threads: p.threads, FDs: p.fds}
	if wall > 0 {
		u.CPUPct = p.cpuSec / wall * 100
		u.MachinePct = u.CPUPct / float64(s.cores)
	}
	if memTotal > 0 {
		u.MemPct = float64(p.rss) / float64(memTotal) * 100
	}
	return u
}

func (s *Sampler) systemUsage(ctx context.Context, vm *mem.VirtualMemoryStat, all tcpCounts) Usage {
	u := Usage{Scope: ScopeSystem, FDs: -1}
	if cur, err := systemTimes(ctx); err == nil {
		u.MachinePct = busyPct(s.prevSys, cur)
		u.CPUPct = u.MachinePct * float64(s.cores)
		s.prevSys = cur
	}
	if vm != nil {
		u.RSS = vm.Used
		u.MemPct = vm.UsedPercent
	}
	setTCP(&u, all)
	return u
}

func setTCP(u *Usage, c tcpCounts) {
	u.TCPEstablished, u.TCPTimeWait, u.TCPOther = c.established, c.timeWait, c.other
}

func systemTimes(ctx context.Context) (cpu.TimesStat, error) {
	ts, err := cpu.TimesWithContext(ctx, false)
	if err != nil || len(ts) == 0 {
		return cpu.TimesStat{}, fmt.Errorf("system cpu times: %w", err)
	}
	return ts[0], nil
}

// busyPct is the machine's busy share between two readings: everything but
// idle and iowait, with guest time left out on Linux where it is already
// counted in user.
func busyPct(a, b cpu.TimesStat) float64 {
	ta, ba := allBusy(a)
	tb, bb := allBusy(b)
	if tb <= ta {
		return 0
	}
	return min(100, max(0, (bb-ba)/(tb-ta)*100))
}

func allBusy(t cpu.TimesStat) (total, busy float64) {
	total = t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal
	return total, total - t.Idle - t.Iowait
}

// LogicalCores is the machine's logical CPUs, all of them: not
// runtime.NumCPU, which counts only those this process may run on (a
// generator pinned with taskset to one core of two would call the machine
// one core, and an external target's CPU limit with it).
func LogicalCores() int {
	if n, err := cpu.Counts(true); err == nil && n > 0 {
		return n
	}
	return runtime.NumCPU()
}
