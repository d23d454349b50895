// Package experiment is the load engine and the analysis of one run.
//
// Data enters as a RunConfig (parsed from flags with ParseTasks, ParseWait,
// ParseStages, ParseRateStages and checked by Validate). NewEngine(cfg).Run
// sends the load, closed model (virtual users following a UserSchedule,
// each with its own connection and think time, as Locust users) or open
// model (arrivals at the intended times of a RateSchedule, latency measured
// from the intended time, so a stalled server shows its full cost). Every
// request leaves as one Sample value on a channel; nothing on the request
// path touches storage.
//
// Collect fans the channel out to Recorders (the store's writer, the Live
// window of the progress line). Analyzer turns samples back into a Summary
// (exact nearest-rank percentiles by endpoint, for the run and per second),
// normally fed from the store so a summary can always be rebuilt.
package experiment
