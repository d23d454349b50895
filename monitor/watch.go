package monitor

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Watch runs s until ctx ends or the target process exits, handing each
// target reading to write with its wall-clock time. It returns the
// readings written, whether the process exited, and write's first error
// (which stops the watch).
func Watch(ctx context.Context, s *Sampler, write func(at time.Time, u Usage) error) (int, bool, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var n int
	var werr error
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, start, func(u Usage) {
			if u.Scope != ScopeTarget || werr != nil {
				return
			}
			if werr = write(start.Add(u.T), u); werr != nil {
				stop()
				return
			}
			n++
		})
	}()
	gone := false
	select {
	case <-ctx.Done():
	case <-s.TargetGone():
		gone = true
	}
	stop()
	<-done
	return n, gone, werr
}

// CSVHeader is the header of `exp monitor --csv`, a public format.
var CSVHeader = []string{"time", "cpu_pct", "rss_bytes", "mem_pct", "threads", "tcp_established", "tcp_time_wait"}

// CSVTime is the time column's format: RFC 3339 with milliseconds.
const CSVTime = "2006-01-02T15:04:05.000Z07:00"

// UsageCSV writes target readings as CSV rows under CSVHeader, each on
// disk at once (Ctrl-C or a crash loses nothing).
type UsageCSV struct{ w *csv.Writer }

// NewUsageCSV writes the header to w.
func NewUsageCSV(w io.Writer) (*UsageCSV, error) {
	c := &UsageCSV{w: csv.NewWriter(w)}
	c.w.Write(CSVHeader)
	c.w.Flush()
	return c, c.w.Error()
}

// Write writes one reading taken at wall-clock time at.
func (c *UsageCSV) Write(at time.Time, u Usage) error {
	c.w.Write([]string{
		at.Format(CSVTime),
		strconv.FormatFloat(u.CPUPct, 'f', 2, 64),
		strconv.FormatUint(u.RSS, 10),
		strconv.FormatFloat(u.MemPct, 'f', 3, 64),
		strconv.Itoa(int(u.Threads)),
		strconv.Itoa(u.TCPEstablished),
		strconv.Itoa(u.TCPTimeWait),
	})
	c.w.Flush()
	return c.w.Error()
}

// UsageLines writes target readings as aligned lines for a terminal.
type UsageLines struct{ w io.Writer }

// NewUsageLines writes the column heads to w.
func NewUsageLines(w io.Writer) (*UsageLines, error) {
	_, err := fmt.Fprintf(w, "%-12s %7s %9s %6s %7s %11s %9s\n",
		"time", "cpu%", "rss_MB", "mem%", "threads", "established", "time_wait")
	return &UsageLines{w: w}, err
}

// Write writes one reading taken at wall-clock time at.
func (l *UsageLines) Write(at time.Time, u Usage) error {
	_, err := fmt.Fprintf(l.w, "%-12s %7.1f %9.1f %6.2f %7d %11d %9d\n",
		at.Format("15:04:05.000"), u.CPUPct, float64(u.RSS)/(1<<20), u.MemPct,
		u.Threads, u.TCPEstablished, u.TCPTimeWait)
	return err
}
