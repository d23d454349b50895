// Package runflags is exp's flags as a library, so the CLI and the web
// UI's form define, check and refuse a value the same way.
//
// What enters: a pflag.FlagSet with the flags bound on it and what was
// given. What leaves:
//   - Flags (exp run's): Bind defines them, Spec gives a checked
//     lab.RunSpec;
//   - Plan (exp plan's): Bind, and Spec gives a lab.PlanSpec; Given and
//     Args turn what was given back into a command line (a plan keeps its
//     flags so it can be started again; exp dist local hands its workers
//     the run's flags with the built-in target's, BuiltinFlag, left out);
//   - Worker (a split test's worker flags): Spec gives a dist.Worker;
//   - ErrorText and Flag: an error as the CLI says it (an *input.Error's
//     field spelled as its flag) and which flag it is about, for the UI to
//     put it beside its field.
package runflags
