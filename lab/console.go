package lab

import (
	"fmt"
	"io"
	"os"
	"strings"

	"exp/report"
	"exp/units"
)

// Console prints a lab's events as a terminal user reads them: progress on
// w (one line redrawn on a terminal, plain lines otherwise), notices on
// errw, each message on a line of its own. The CLI and a distributed
// worker give it as Lab.Events; the web UI, which draws its own page, does
// not.
func Console(w, errw io.Writer) func(Event) {
	term := isTerminal(w)
	drawn := false // a progress line is on the terminal, unfinished
	endLine := func() {
		if drawn {
			fmt.Fprintln(w)
			drawn = false
		}
	}
	return func(e Event) {
		switch e.Kind {
		case RunStarted:
			fmt.Fprintf(errw, "exp: run %s: %s\n", e.Run, e.Text)
		case Progressed:
			p := e.Progress
			line := report.Line(p.Elapsed, p.Total, p.Active, p.ActiveLabel, p.Window)
			if term {
				fmt.Fprintf(w, "\r\033[K%s", line)
				drawn = true
			} else {
				fmt.Fprintln(w, line)
			}
		case ProgressEnded:
			endLine()
		case Warned:
			endLine()
			fmt.Fprintf(errw, "exp: warning: %s\n", e.Warning.Text)
		case TargetExited:
			endLine()
			fmt.Fprintf(errw, "exp: the target process exited (%v); the run goes on recording errors\n", e.Err)
		case StoreFailed, PlanNotice:
			endLine()
			fmt.Fprintf(errw, "exp: %v\n", e.Err)
		case CellStarted:
			fmt.Fprintf(errw, "exp: %s\n", e.Text)
		}
	}
}

// isTerminal reports whether w is a terminal, where progress lines redraw.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// PrintRecovered says, each on its own line, which runs of a dead process
// opening the store finished, or why they could not be.
func PrintRecovered(w io.Writer, o Opened) error {
	ew := &report.ErrWriter{W: w}
	if o.Stale > 0 {
		fmt.Fprintf(ew, "exp: %d runs were left running by a process that died; they stay so until %s can be written: %v\n",
			o.Stale, o.DB.Path(), o.WriteErr)
	}
	for _, r := range o.Recovered {
		if r.Err != nil {
			fmt.Fprintf(ew, "exp: recover run %s: %v\n", r.Name, r.Err)
			continue
		}
		fmt.Fprintf(ew, "exp: run %s was left running by a process that died; marked incomplete (%d requests kept)\n", r.Name, r.Requests)
	}
	return ew.Err
}

// PrintCell is the line a finished plan cell leaves.
func PrintCell(w io.Writer, c CellResult) error {
	t := c.Outcome.Summary.Total
	_, err := fmt.Fprintf(w, "cell %d/%d %s: %.1f req/s, avg %s ms, p95 %s ms, %d failures of %d (run %s, %s)\n",
		c.Cell, c.Of, c.Label, t.RPS, units.Ms(t.Avg), units.Ms(t.P95), t.Failures, t.Requests,
		c.Outcome.Name, c.Outcome.Status)
	return err
}

// PrintPlanReport prints a plan's summary table, its threshold breaches
// and where its report went; it returns the number of breaches.
func PrintPlanReport(w io.Writer, r PlanReport) (int, error) {
	if _, err := fmt.Fprintf(w, "\nPlan %s (%s):\n\n", r.Plan.Name, r.Plan.Status); err != nil {
		return 0, err
	}
	if err := report.SummaryTable(w, r.Report); err != nil {
		return 0, err
	}
	n, err := report.Breaches(w, r.Report)
	if err != nil {
		return n, err
	}
	_, err = fmt.Fprintf(w, "\nReport: %s\n", strings.Join(r.Files, " and "))
	return n, err
}

// PrintPlots names the chart files written on w, and on errw the charts
// left out for having nothing to draw.
func PrintPlots(w, errw io.Writer, written, skipped []string) error {
	ew := &report.ErrWriter{W: w}
	if len(written) > 0 {
		fmt.Fprintln(ew, "Plots:")
	}
	for _, p := range written {
		fmt.Fprintf(ew, "  %s\n", p)
	}
	for _, s := range skipped {
		fmt.Fprintf(errw, "exp: plot skipped: %s\n", s)
	}
	return ew.Err
}
