package dist

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Local runs a split test on this machine: Workers processes of
// `exp run --segment I/N --results Dir`, the same path as on N machines.
type Local struct {
	Workers      int
	Exe          string   // the exp binary
	Args         []string // exp run's arguments for the whole test (with --url)
	Dir          string   // the results directory, created
	ReadyTimeout time.Duration
	Margin       time.Duration
	// WorkerArgs adds arguments to worker i's (nil: none), such as the
	// target's PID for one worker to monitor.
	WorkerArgs func(i int) []string
	// Output takes the workers' messages (stderr: progress, warnings,
	// errors), each line prefixed "[worker I]"; their summaries (stdout)
	// are left out, the merged run's says it all.
	Output io.Writer
}

// WorkerExit is how a worker process ended.
type WorkerExit struct {
	Worker int
	PID    int
	Err    error // nil: exit status 0
}

// Run starts the workers, waits for them all and says how each ended.
// Cancelling ctx interrupts them as Ctrl-C would (each keeps its run,
// aborted).
func (l Local) Run(ctx context.Context) ([]WorkerExit, error) {
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("results directory: %w", err)
	}
	out := &lockedWriter{w: l.Output}
	exits := make([]WorkerExit, l.Workers)
	var wg sync.WaitGroup
	for i := range l.Workers {
		args := []string{"run", "--segment", fmt.Sprintf("%d/%d", i, l.Workers), "--results", l.Dir,
			"--ready-timeout", l.ReadyTimeout.String(), "--start-margin", l.Margin.String()}
		args = append(args, l.Args...)
		if l.WorkerArgs != nil {
			args = append(args, l.WorkerArgs(i)...)
		}
		cmd := exec.CommandContext(ctx, l.Exe, args...)
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 30 * time.Second
		prefix := "[worker " + strconv.Itoa(i) + "] "
		pw := out.prefixed(prefix)
		cmd.Stdout, cmd.Stderr = io.Discard, pw
		if err := cmd.Start(); err != nil {
			// The workers started already give up at the barrier.
			err = abort(l.Dir, fmt.Sprintf("worker %d could not start: %v", i, err), fmt.Errorf("start worker %d: %w", i, err))
			pw.Close()
			wg.Wait()
			return nil, err
		}
		exits[i] = WorkerExit{Worker: i, PID: cmd.Process.Pid}
		wg.Go(func() {
			exits[i].Err = cmd.Wait()
			pw.Close()
		})
	}
	wg.Wait()
	return exits, nil
}

// lockedWriter keeps the workers' lines whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// prefixed is a writer whose every line goes to w with prefix.
func (l *lockedWriter) prefixed(prefix string) io.WriteCloser {
	r, w := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l.mu.Lock()
			if l.w != nil {
				fmt.Fprintln(l.w, prefix+sc.Text())
			}
			l.mu.Unlock()
		}
		io.Copy(io.Discard, r)
	}()
	return &prefixWriter{w, done}
}

// prefixWriter's Close returns once its last line is written.
type prefixWriter struct {
	*io.PipeWriter
	done chan struct{}
}

func (p *prefixWriter) Close() error {
	err := p.PipeWriter.Close()
	<-p.done
	return err
}
