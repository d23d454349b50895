// Package verdict judges runs: where throughput stopped growing (the
// plateau), what the bottleneck was (Diagnose), how two runs differ and
// whether the difference is real (Compare), and the figures of a plan's
// cells that observations are written from (Cell, Step).
//
// Data enters as plain values: an analysis.Summary, analysis.Resources,
// the run's warnings (decided from by their code) and what the target and
// the generator can use (VerdictInput), or the sorted latencies and
// summary of two runs (RunSample). What leaves: a Verdict (a Kind, its
// evidence as lines of numbers, and the Plateau), Changes with their
// intervals, Steps between load levels. The sentences written from them
// for people live in report.
//
// # Plateau and bottleneck verdict
//
// Diagnose(VerdictInput) decides a stored run's bottleneck from plain
// values: its Summary, Resources, failure counts, warnings and what the
// target and generator can use. FindPlateau first groups the run's whole
// seconds by load (active users, or offered rate in the open model) into
// Levels. The highest sustained throughput is the best mean of
// SustainWindow (3) consecutive whole seconds, the first second left out
// (a closed run's users all send at once then). Throughput counts as flat
// when the load levels span FlatSpan (1.25×) and either the load rose
// FlatSpan past the knee (the first level reaching KneeShare, 90%, of the
// best level's throughput), or the throughput per user at the top fell
// below KeepUpShare (80%) of what it was at loads FlatSpan lower; in the
// closed model either needs latency growth as well (by Little's law more
// users at the same latency must give more throughput, so a flat stretch
// without queueing is the noise of short ramp levels). With
// one load (or loads closer than that) the latency decides: flat when the
// median sits QueueInflation (50%) and QueueMinExcess (1 ms) above its
// floor, each endpoint's fastest request.
//
// The verdict, first rule that holds:
//
//   - target stopped answering: the run stored TargetStoppedWarning (its
//     target process exited mid-run), so the rest measured a dead server;
//   - connection-bound: port-exhaustion, refused and reset failures reach
//     ConnFailShare (1%) of the requests (before generator-bound:
//     failed connections return at once, so users with no think time
//     spin and the generator's CPU rises for that reason);
//   - generator-bound: the generator's saturation warning is stored with
//     the run, or its mean CPU reached GeneratorShare (80%) of its cores;
//   - not saturated: throughput is not flat;
//   - saturated: flat, but the target's CPU was not monitored;
//   - cpu-bound: flat with the target's peak CPU at CPUShare (85%) of what
//     it can use (the machine's cores, one core for the single variant),
//     or at half of it with the machine's CPU at MachineShare (95%);
//   - concurrency-bound: flat with the target's CPU low; the evidence
//     gives Little's law, in flight = throughput × mean latency, against
//     the server's concurrency (1 for single, the pool for pooled), and
//     the share of 503 answers.
//
// Each verdict carries its evidence as lines of numbers.
//
// # Comparison
//
// Compare(base, other RunSample) gives the change in median and p95
// latency (over every stored request of each run) and in throughput (the
// mean requests per second over SteadySeconds, the whole seconds at the
// top load) with 95% percentile-bootstrap intervals, Resamples (1000)
// rounds from a fixed seed. A latency quantile of a resample is drawn
// exactly and in O(1) from the Beta law of uniform order statistics, so a
// run of millions of requests costs no more than a small one. A change is
// real when its whole interval lies beyond ±NoiseFloorPct (3%), the
// run-to-run noise of a shared machine, and so excludes zero; otherwise
// within noise.
package verdict
