// Package dist runs one test split across N workers, on N machines or N
// processes of one, and merges what they stored into one run with exact
// figures.
//
// There is no coordinator: the workers share a results directory (a
// ReadWriteMany volume on Kubernetes, a plain directory locally). In:
// a lab.RunSpec of the whole test, the worker's load.Segment and that
// directory (RunWorker); the directory of a finished test and the store to
// merge into (Merge); N and the arguments of `exp run` (Local, which
// starts N worker processes). Out: each worker's run in DIR/worker-I.db,
// and one merged run in the store, its samples the union of the workers',
// its resources kept per worker, and status incomplete, with warnings
// naming them, when a worker died or never stored its run.
//
// The common start (Barrier): each worker writes DIR/ready/I with its
// clock reading, waits until all N are there, and starts at the latest
// reading plus a margin, which every worker computes alike. A worker that
// waits past the ready timeout writes DIR/aborted, and every worker that
// sees it gives up before any load: a failed test rather than one run
// short-handed. Clocks are assumed synchronised; each worker records its
// kernel's NTP state, and the merged run warns when one is not known to
// be synchronised.
package dist
