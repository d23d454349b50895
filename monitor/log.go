package monitor

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"exp/input"
)

// LogSpec is a watch of one running process written out, as exp monitor
// does: a reading per interval, as CSV into a file or as lines.
type LogSpec struct {
	PID      int32
	Interval time.Duration
	CSV      string        // a file for CSV rows; "" for aligned lines on the writer
	Duration time.Duration // 0: until ctx ends or the process exits
}

// Logged is what a Log wrote.
type Logged struct {
	Readings int
	Gone     bool // the process exited
}

// Check refuses a spec that cannot be watched, before any file is made:
// an *input.Error naming the field ("pid", "interval", "duration").
func (s LogSpec) Check() error {
	switch {
	case s.PID == 0:
		return input.Errorf("pid", "is required")
	case s.Interval <= 0:
		return input.Errorf("interval", "%v: must be positive", s.Interval)
	case s.Duration < 0:
		return input.Errorf("duration", "%v: must not be negative", s.Duration)
	}
	return input.Wrap("pid", CheckPID(s.PID))
}

// Log checks s, then writes the process's readings until ctx ends,
// s.Duration passes or the process exits. A CSV file that cannot be made
// is an *input.Error ("csv").
func Log(ctx context.Context, s LogSpec, stdout io.Writer) (Logged, error) {
	if err := s.Check(); err != nil {
		return Logged{}, err
	}
	sm, err := NewSampler(Config{TargetPID: s.PID, Interval: s.Interval})
	if err != nil {
		return Logged{}, input.Wrap("pid", err)
	}
	write, closeOut, err := logOutput(s.CSV, stdout)
	if err != nil {
		return Logged{}, input.Wrap("csv", err)
	}
	if s.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Duration)
		defer cancel()
	}
	var out Logged
	out.Readings, out.Gone, err = Watch(ctx, sm, write)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return out, err
}

// logOutput writes CSV to path, or aligned lines to stdout when path is
// empty; close closes the file.
func logOutput(path string, stdout io.Writer) (func(time.Time, Usage) error, func() error, error) {
	if path == "" {
		l, err := NewUsageLines(stdout)
		return l.Write, func() error { return nil }, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("create: %w", err)
	}
	c, err := NewUsageCSV(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("write %s: %w", path, err)
	}
	write := func(at time.Time, u Usage) error {
		if err := c.Write(at, u); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	return write, func() error {
		if err := f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", path, err)
		}
		return nil
	}, nil
}
