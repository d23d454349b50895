package load

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux the open model's scheduler sleeps with nanosleep on a thread
// of its own whose timer slack is 1 ns. A Go timer there wakes through
// the netpoller, whose epoll wait counts in whole milliseconds: a 200 µs
// sleep could last a millisecond, and that lateness would be counted as
// the server's latency (it counts from the intended time).

// precise is a sleeper of the scheduler's goroutine; start it on the
// goroutine that sleeps.
type precise struct{ ok, locked bool }

// newSleeper locks the calling goroutine to its thread and sets the
// thread's timer slack; when that fails, or when the process has one P
// (GOMAXPROCS 1, a generator pinned to one core), it sleeps with a timer.
// With one P, the sleeping thread gives up and takes back the only P at
// every arrival, in turn with the workers: measured with bench/open.sh at
// 4,000 req/s on one core, nanosleep gave lateness p99 4.9 ms at 116 µs of
// CPU a request, the timer 2.7 ms at 51 µs. With two P (BenchmarkOpenEngine,
// 5,000 req/s), nanosleep gave lateness p50 72–81 µs and p99 197–273 µs
// against the timer's 336 µs and 1.2 ms, at 88–95 µs of CPU a request
// against 54.
//
// What would take the one-core lateness (about 0.5 ms at the median, the
// epoll wait's millisecond) down: a runtime timer that wakes through
// epoll_pwait2 or a timerfd, or a design in which the worker due next
// waits for its own intended time on a precise clock, so that waking and
// sending happen on one goroutine.
func newSleeper() *precise {
	if runtime.GOMAXPROCS(0) < 2 {
		return &precise{}
	}
	runtime.LockOSThread()
	err := unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	return &precise{ok: err == nil, locked: true}
}

// sleep waits d, at most maxSleep at once (the caller checks for the end
// of the load between calls).
func (p *precise) sleep(d time.Duration) {
	d = min(d, maxSleep)
	if !p.ok {
		time.Sleep(d)
		return
	}
	ts := unix.NsecToTimespec(int64(d))
	for unix.Nanosleep(&ts, &ts) == unix.EINTR {
	}
}

// done releases the thread.
func (p *precise) done() {
	if p.locked {
		runtime.UnlockOSThread()
	}
}
