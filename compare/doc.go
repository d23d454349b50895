// Package compare answers "is it really better?" for two sides of a
// comparison, each one run or a group of repeated runs of one
// configuration.
//
// In: per run, the latencies of its answered requests with the second each
// started in (Run.Lat, Run.Sec) and its successful responses per steady
// second (Run.Throughput); per side, the runs (Side); optionally a Noise
// measured by an earlier calibration; Gates to check. Out: a Change per
// Figure, with a 95% interval of the change in percent, where that
// interval's noise came from (Source) and a Judgement; a GateResult per
// gate. It reads no store and prints nothing.
//
// The method, in the words the README uses:
//   - Across repeats the run is the unit. Each run gives one value of a
//     figure; the change is the ratio of the two sides' geometric means,
//     and its interval a Student t interval on the log values with the
//     variance pooled over every side with two runs or more (and a
//     calibration's, when given). Run-to-run noise, which no single run
//     can see, is in that spread.
//   - With one run a side (and no calibration) the run-to-run noise is
//     unknown. The interval is then a circular block bootstrap over the
//     run's seconds, blocks as long as Carlstein's rule gives for the
//     seconds' lag-1 autocorrelation, so a slow drift is not taken for
//     independent requests; it covers only the variation within each run,
//     and a change beyond it is Undecided, never Real.
//   - Below MinRequests (per latency figure) or MinSeconds steady seconds a
//     figure is TooLittleData.
package compare
