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
// values: its Summary, Resources, failure counts, coded warnings and what
// the target and the generator can use. FindPlateau first groups the run's
// whole seconds by load (active users, or offered rate in the open model)
// into Levels, each with its successful throughput (2xx/3xx responses by
// completion second: failures are never throughput). The highest sustained
// throughput is the best mean of SustainWindow (3) consecutive whole
// seconds at a steady load. Throughput counts as flat when the load levels
// span FlatSpan (1.25×) and either the load rose FlatSpan past the knee
// (the first level reaching KneeShare, 90%, of the peak level's
// throughput), or the throughput per user at the top fell below
// KeepUpShare (80%) of what it was at loads FlatSpan lower, or it fell past
// its peak to under FallShare (90%) of it (Collapsed, at the level where
// it fell); in the closed model the first two need latency growth as well
// (by Little's law more users at the same latency must give more
// throughput). With one load (or loads closer than that) the latency
// decides: flat when the median of successful requests sits
// QueueInflation (50%) and QueueMinExcess (1 ms) above its floor, a low
// percentile of successful latencies (analysis.FloorPercentile, never the
// fastest alone). An open-model run is also flat (saturated) when it
// achieved less than 1 − OfferedGap (95%) of the offered rate, dropped or
// failed more than OpenFailShare (1%) of its requests, or its latency rose
// over the seconds of one constant rate; the evidence says which.
//
// The verdict, first rule that holds:
//
//   - target stopped answering: a TargetStopped warning is stored with the
//     run, so the rest measured a dead server;
//   - incomplete: samples lost: a SamplesLost warning is stored; the
//     seconds missing them would look like a server answering less;
//   - connection-bound: port-exhaustion, refused and reset failures reach
//     ConnFailShare (1%) of the requests, or connect and TLS handshakes
//     take ConnPhaseShare (25%) of the latency while fewer than MaxReuse
//     (50%) of the requests reuse a connection; its evidence cites the
//     connect and TLS shares and the connections opened;
//   - overloaded: rejecting: 503 and 429 answers reach RejectingShare
//     (10%) of the requests (both before generator-bound: failed and
//     rejected requests return at once, so users with no think time spin
//     and the generator's CPU rises for that reason);
//   - generator-bound, the in-flight cap: an open run dropped more than
//     OpenFailShare (1%) of its requests with every one of its MaxInflight
//     slots taken (answers/s × mean latency at InflightFull, 80%, of them)
//     while its latency stayed near its floor: the cap, not the server;
//   - generator-bound: the GeneratorSaturated warning is stored, or the
//     generator's mean CPU reached GeneratorShare (80%) of the cores it may
//     use (GOMAXPROCS);
//   - machine-bound: the machine's median CPU at MachineShare (85%) while
//     neither the target nor the generator used ExplainShare (70%) of it
//     but together TogetherShare (40%); a full machine they explain less
//     is other processes' doing, said in any verdict's evidence;
//   - not saturated: throughput is not flat (in the closed model flat
//     needs the p50 to grow by half between load levels, and by 1 ms or,
//     below 2 ms, by half the lower level's p50);
//   - saturated: flat, but the target's CPU was not monitored;
//   - cpu-bound: flat with the target's median CPU at CPUShare (85%) of what
//     it can use (the machine's cores, one core for the single variant), or
//     held within WholeCoreSlack of a whole number of cores below that
//     while the machine left WholeCoreIdle (half a core) idle (a
//     single-threaded server, a Python server under its GIL);
//   - concurrency-bound: flat with the target's CPU low; the evidence
//     gives Little's law, in flight = throughput × mean latency, against
//     the server's concurrency (1 for single, the pool for pooled), and
//     the share of 503 answers.
//
// The CPU figures are VerdictInput.Resources: the caller gives those of
// the run's steady seconds (lab.VerdictInput does, when they hold three
// readings of the target) and names them in CPUWindow.
//
// Each verdict carries its evidence as lines of numbers.
//
// # Comparison
//
// Whether a change between runs is real is package compare's question.
package verdict
