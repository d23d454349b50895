// Package plots draws the PNG charts of one or more runs with
// gonum.org/v1/plot: one function per chart, plain data in, an error out.
//
// Data enters as []RunSeries, one per run, holding what the store keeps
// of it (whole seconds, resource readings, the latency spectrum, the
// per-endpoint figures, the plateau and the phases), so any past run can be plotted
// again; the package never opens the store itself (lab.Stored.Series
// gives the series). PNG files leave, 96 dots per inch:
//
//   - Throughput: requests per second over time, active users in a panel
//     under it;
//   - Plateau: requests per second against active users (or offered
//     rate), one dot per second, a line through the mean of each load
//     level, and a ring where throughput stopped growing;
//   - Latency: p50 (solid), p95 (dashed) and p99 (dotted) against active
//     users when every run had at least three load levels, over time
//     otherwise; log scale;
//   - Percentiles: the latency percentile spectrum, x on a log(1/(1−p))
//     axis marked 50, 90, 99, 99.9, 99.99 as HdrHistogram plots it;
//   - Endpoints: grouped bars of p95 latency per endpoint and run;
//   - Phases: where the time went, one bar per run stacked from the mean
//     DNS, connect, TLS, wait and read time of its answered requests,
//     outlined in the run's colour;
//   - Resources: the target's CPU (generator dashed) over time, its RSS in
//     a panel under it.
//
// Each run keeps its colour (RunSeries.Color, an index into the palette)
// in every chart, and every chart has a title, axis labels with units and
// a legend of run names. A chart with nothing to draw returns an error
// wrapping ErrNoData; WriteAll writes every chart it can and names the
// ones it skipped.
package plots
