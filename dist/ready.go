package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"exp/load"
	"exp/monitor"
)

// Clock states a worker reports.
const (
	ClockSynchronised   = "synchronised"
	ClockUnsynchronised = "unsynchronised"
	ClockUnknown        = "unknown"
)

// Ready is what a worker writes to DIR/ready/I: who it is and its clock.
type Ready struct {
	Worker    int       `json:"worker"`
	Workers   int       `json:"workers"`
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Cores     int       `json:"cores"`
	Clock     time.Time `json:"clock"`
	ClockSync string    `json:"clock_sync"`
	// Test is TestKey of the whole test it was given: workers started
	// with different flags refuse to run together.
	Test string `json:"test"`
}

// Errors of the common start.
var (
	// ErrNotReady: not every worker was ready within the ready timeout.
	ErrNotReady = errors.New("not every worker became ready")
	// ErrAborted: a worker gave up (DIR/aborted); so does this one.
	ErrAborted = errors.New("the test was aborted by a worker")
)

// poll is how often a waiting worker looks at the directory.
const poll = 50 * time.Millisecond

// Barrier makes worker seg.Index ready in dir and waits for the others.
// It returns the common start: the latest of their clock readings plus
// margin. It gives up with ErrNotReady after timeout (and writes
// DIR/aborted, so that the others give up too), or with ErrAborted when
// another worker did. A late worker whose start would already be past,
// or which came after the first worker's timeout, gives up likewise.
func Barrier(ctx context.Context, dir string, seg load.Segment, test string, timeout, margin time.Duration) (time.Time, []Ready, error) {
	rd := filepath.Join(dir, "ready")
	if err := os.MkdirAll(rd, 0o755); err != nil {
		return time.Time{}, nil, fmt.Errorf("results directory: %w", err)
	}
	if err := aborted(dir); err != nil {
		return time.Time{}, nil, err
	}
	mine := filepath.Join(rd, strconv.Itoa(seg.Index))
	if _, err := os.Stat(mine); err == nil {
		return time.Time{}, nil, fmt.Errorf("worker %d: %s exists: another worker has this index, or %s holds an earlier test (use a fresh directory)", seg.Index, mine, dir)
	}
	host, _ := os.Hostname()
	me := Ready{Worker: seg.Index, Workers: seg.Count, Host: host, PID: os.Getpid(), Cores: monitor.LogicalCores(),
		Clock: time.Now().UTC(), ClockSync: clockSync(), Test: test}
	if err := writeJSON(mine, me); err != nil {
		return time.Time{}, nil, err
	}
	deadline := me.Clock.Add(timeout)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := aborted(dir); err != nil {
			return time.Time{}, nil, err
		}
		all, err := ReadReady(dir)
		if err != nil {
			return time.Time{}, nil, err
		}
		if missing := Missing(all, seg.Count); len(missing) == 0 {
			start, err := commonStart(all, seg.Count, test, timeout, margin)
			if err != nil {
				return time.Time{}, nil, abort(dir, fmt.Sprintf("worker %d: %v", seg.Index, err), err)
			}
			return start, all, nil
		} else if time.Now().After(deadline) {
			err := fmt.Errorf("%w within %v: missing worker %s of %d", ErrNotReady, timeout, joinInts(missing), seg.Count)
			return time.Time{}, nil, abort(dir, fmt.Sprintf("worker %d: %v", seg.Index, err), err)
		}
		select {
		case <-ctx.Done():
			err := fmt.Errorf("%w while waiting for the other workers", ctx.Err())
			return time.Time{}, nil, abort(dir, fmt.Sprintf("worker %d: interrupted while waiting for the others", seg.Index), err)
		case <-t.C:
		}
	}
}

// commonStart is the latest clock reading plus margin, the same for
// every worker; an error when the workers run different tests, the
// readings span more than the timeout (the first worker has given up or
// is about to) or the start is past.
func commonStart(all []Ready, n int, test string, timeout, margin time.Duration) (time.Time, error) {
	first, last := all[0].Clock, all[0].Clock
	for _, r := range all {
		if r.Workers != n {
			return time.Time{}, fmt.Errorf("worker %d was started as one of %d workers, this one of %d", r.Worker, r.Workers, n)
		}
		if r.Test != test {
			return time.Time{}, fmt.Errorf("worker %d was started with another test (its exp run flags differ from this one's)", r.Worker)
		}
		first, last = minTime(first, r.Clock), maxTime(last, r.Clock)
	}
	if last.Sub(first) > timeout {
		return time.Time{}, fmt.Errorf("%w: the last worker came %v after the first, beyond the ready timeout %v", ErrNotReady, last.Sub(first).Round(time.Millisecond), timeout)
	}
	start := last.Add(margin)
	if late := time.Since(start); late >= 0 {
		return time.Time{}, &LateStartError{Late: late, Margin: margin}
	}
	return start, nil
}

// ReadReady reads the ready files of dir, by worker.
func ReadReady(dir string) ([]Ready, error) {
	ents, err := os.ReadDir(filepath.Join(dir, "ready"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("results directory: %w", err)
	}
	var out []Ready
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue // a file being written (.tmp), or not ours
		}
		var r Ready
		b, err := os.ReadFile(filepath.Join(dir, "ready", e.Name()))
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err != nil {
			return nil, fmt.Errorf("ready file of worker %s: %w", e.Name(), err)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Ready) int { return a.Worker - b.Worker })
	return out, nil
}

// Missing are the workers of 0..n-1 without a ready file.
func Missing(all []Ready, n int) []int {
	have := map[int]bool{}
	for _, r := range all {
		have[r.Worker] = true
	}
	var out []int
	for i := range n {
		if !have[i] {
			out = append(out, i)
		}
	}
	return out
}

// aborted is ErrAborted with the reason a worker wrote, when one did.
func aborted(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "aborted"))
	if err != nil {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrAborted, strings.TrimSpace(string(b)))
}

// abort tells the other workers to give up (the first reason stays) and
// returns err, saying so when they could not be told: they would then
// wait out their ready timeout.
func abort(dir, why string, err error) error {
	f, oerr := os.OpenFile(filepath.Join(dir, "aborted"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(oerr, fs.ErrExist) {
		return err // told already
	}
	if oerr == nil {
		_, oerr = fmt.Fprintln(f, why)
		if cerr := f.Close(); oerr == nil {
			oerr = cerr
		}
	}
	if oerr != nil {
		return fmt.Errorf("%w (the other workers could not be told: %v)", err, oerr)
	}
	return err
}

// writeJSON writes v to path whole: others never read half a file.
func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("results directory: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("results directory: %w", err)
	}
	return nil
}

func joinInts(s []int) string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
