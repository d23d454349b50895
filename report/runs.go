package report

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"exp/load"
	"exp/store"
	"exp/units"
)

// Runs prints one line per run, as `exp list` shows them.
func Runs(w io.Writer, rows []store.RunRow) error {
	ew := &ErrWriter{W: w}
	w = ew
	if len(rows) == 0 {
		fmt.Fprintln(w, "no runs yet: start one with `exp run`")
		return ew.Err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVARIANT\tLOAD\tDURATION\tREQUESTS\tRPS\tP95 (ms)\tFAILURES\tSTATUS\tSTARTED")
	for _, r := range rows {
		variant := r.Variant
		if variant == "" {
			variant = "-"
		}
		given := fmt.Sprintf("%d users", r.Users)
		if r.Model == load.Open {
			given = units.Exact(r.Rate) + "/s open"
		}
		ran := time.Duration(r.DurationS * float64(time.Second))
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d (%.2f%%)\t%s\t%s\n", r.Name, variant, given, units.RunLength(ran),
			r.Requests, units.Rate(r.RPS), units.Ms(units.FromMillis(r.P95MS)), r.Failures, 100*r.FailRate, r.Status,
			r.StartedAt.Local().Format("2006-01-02 15:04:05"))
	}
	tw.Flush()
	return ew.Err
}
