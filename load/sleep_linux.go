package load

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux the open model's scheduler sleeps on a timerfd. A Go timer
// wakes through the netpoller, whose epoll wait counts in whole
// milliseconds: a 200 µs sleep lasts a millisecond, arrivals go out in
// bursts, and that lateness is counted as the server's latency (latency
// counts from the intended time). A timerfd is a file the netpoller
// watches: epoll returns when it fires, to the nanosecond, whatever its
// own timeout, and no thread is held (with one P, a thread locked in
// nanosleep had to win the only P back from the workers at every arrival).
//
// Measured with bench/open.sh (generator on one core, GOMAXPROCS 1) at
// 4,000 req/s: lateness p50 0.06 ms against 0.52 ms with a Go timer, and
// exp's p50 1.04× vegeta's instead of 3.5×. The price is a wake-up per
// arrival instead of one per millisecond: 117 µs of CPU a request against
// 40–43 (BenchmarkOpenEngine shows the same on two P: 113 against 42 µs,
// lateness p50 58 against 452 µs; nanosleep on a locked thread: 90 µs,
// p50 72 µs, p99 241–278 against the timerfd's 128–157). Exactness wins:
// a cheap generator that reports its own lateness as the server's latency
// is the defect this scheduler exists to avoid.
//
// What is left is the tail on one core: with one P, a goroutine runs
// until it blocks (or for 10 ms), and the netpoller that would wake the
// scheduler is consulted only when no goroutine is runnable, so an arrival
// due while the store writer inserts (0.7 ms for 256 rows) or commits
// waits for it (lateness p99 about 2 ms at 4,000 req/s; parking the writer
// between statements did not lower it). What would move it: the writer on
// a thread the kernel can preempt (a second P, or a process of its own),
// or fewer, cheaper rows (the samples as a column-packed blob per batch).

// precise is a sleeper of the scheduler's goroutine.
type precise struct {
	f   *os.File // the timerfd, read through the netpoller; nil: time.Sleep
	fd  int      // f's descriptor (f.Fd() would make it blocking)
	buf [8]byte
}

func newSleeper() *precise {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return &precise{}
	}
	return &precise{fd: fd, f: os.NewFile(uintptr(fd), "timerfd")}
}

// sleep waits d, at most maxSleep at once (the caller checks for the end
// of the load between calls).
func (p *precise) sleep(d time.Duration) {
	d = min(d, maxSleep)
	if d <= 0 {
		return // a zero timerfd value disarms it: the read would never end
	}
	if p.f == nil {
		time.Sleep(d)
		return
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(int64(d))}
	if err := unix.TimerfdSettime(p.fd, 0, &spec, nil); err != nil {
		time.Sleep(d)
		return
	}
	// Blocks in the netpoller until the timer fires; the 8 bytes are the
	// count of expirations, not needed.
	if _, err := p.f.Read(p.buf[:]); err != nil {
		time.Sleep(d)
	}
}

func (p *precise) done() {
	if p.f != nil {
		p.f.Close()
	}
}
