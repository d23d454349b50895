// Package units is the one home of exp's number formatting: durations to
// and from milliseconds (the unit of every stored and printed latency),
// and the text forms of latencies, rates, ratios, percentages, sizes and
// loads that every text output (summary, compare, verdict evidence,
// observations, plan reports, plot ticks) prints. Plain values enter,
// strings or float64 leave; it imports nothing of exp.
//
// Numbers print as people write them: never in exponent form, with the
// digits that matter (three significant digits for latencies, four for
// loads).
package units
