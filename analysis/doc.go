// Package analysis turns the samples of one run into its figures.
//
// Data enters as load.Sample values, added one by one to an Analyzer
// (normally fed from the store, so a summary can always be rebuilt from
// what was stored), and as monitor.Usage rows. What leaves: a Summary
// (Locust's statistics per endpoint and aggregated, exact nearest-rank
// percentiles, per-second figures, failures by class, PhaseStats: where
// the time went by phase and the connections opened), Resources (the
// resource readings reduced), the latency Spectrum, Threshold results, and
// the Warning type with its codes that the rest of the program decides
// from.
//
// The Analyzer's memory follows the spread of latencies, not the number
// of samples: whole-run percentiles come from exact counts per distinct
// latency, and a second's latencies are kept only until no more of its
// samples can come.
package analysis
