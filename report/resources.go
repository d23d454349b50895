package report

import (
	"exp/analysis"
	"fmt"
	"io"
)

// Resources prints the Resources section of a summary.
func Resources(w io.Writer, r analysis.Resources, cores int) error {
	ew := &ErrWriter{W: w}
	w = ew
	fmt.Fprintln(w, "Resources:")
	if r.Readings == 0 {
		fmt.Fprintln(w, "  no resource samples were recorded")
		return ew.Err
	}
	if r.HasTarget {
		fmt.Fprintf(w, "  target CPU     mean %6.1f%% of a core (%5.1f%% of %d cores)   max %6.1f%% (%5.1f%%)\n",
			r.TargetCPUMean, r.TargetMachMean, cores, r.TargetCPUMax, r.TargetMachineMax)
		fmt.Fprintf(w, "  target memory  max RSS %s\n", MB(r.TargetRSSMax))
	} else {
		fmt.Fprintln(w, "  target         not monitored (give --target-pid or --target-cmd with --url)")
	}
	fmt.Fprintf(w, "  generator CPU  mean %6.1f%% of a core   max %6.1f%%   max RSS %s\n", r.GeneratorCPUMean, r.GeneratorCPUMax, MB(r.GeneratorRSSMax))
	fmt.Fprintf(w, "  machine CPU    max %5.1f%%   peak TIME_WAIT %d   peak connections to target %d\n", r.SystemCPUMax, r.PeakTimeWait, r.PeakEstablished)
	return ew.Err
}

// MB formats bytes as megabytes.
func MB(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
