// Package lab is the run lifecycle of exp as a library: what the CLI, the
// web UI and a distributed worker call to make, watch, finish, read back
// and sweep runs, none of them re-implementing it. An experiment happens
// in a lab: it brings up the server under test, sends the load, records
// everything in the store, and reads it back as figures and verdicts.
//
// What enters:
//   - a RunSpec (the load as a load.RunConfig, the Target, the resource
//     interval, thresholds) to Lab.Run, which starts the target (the
//     built-in one as a child process, a user's command, or nothing for an
//     external URL), the monitor, the engine and the store writer, and
//     returns an Outcome: the stored run's id, name, status, Summary and
//     Resources;
//   - a PlanSpec (variants × levels, and the RunSpec every cell shares) to
//     Lab.RunPlan, which lays the plan out as RunSpecs (PlanSpec.Cells),
//     runs them in order and writes its report (WritePlanReport);
//   - a run's id to Load, which reads a stored run back as Stored: run row,
//     summary, resources, latencies and the verdict decided from them
//     (VerdictInput decodes the built-in target's parameters in one place).
//
// Beside runs, the lab compares (LoadSides, Comparison: sides by the name
// of a run or a group of repeats), repeats and calibrates (RunRepeats,
// Calibrate: a Repeated group and its compare.Noise), exports (Export, an
// ExportSpec: Locust's CSV files, JSON, every sample) and imports Locust's
// CSV files (ReadLocust, StoreImported). Console prints its Events as a
// terminal user reads them; PrintRun prints a stored run (report.Run).
//
// What leaves: Outcome and Stored values, Events while a run goes (its
// start, progress every two seconds, warnings the moment they are raised,
// the target's exit), and errors whose kind a caller tells with errors.Is
// and input.As: *input.Error for a bad value (the field named by its spec
// name), store.ErrNotFound and its siblings for bad names and files,
// ErrInterrupted when the context was cancelled (the run is kept, aborted).
// Nothing here knows of cobra or exit statuses; IsBadInput tells the
// errors that are the user's input at fault.
//
// Every target process the lab starts is registered until stopped, so
// KillTargets can end them all at once when the process must exit now (a
// second Ctrl-C).
package lab
