// Package monitor samples the CPU, memory and TCP use of the server under
// test, of the load generator itself and of the whole machine, once per
// interval, through github.com/shirou/gopsutil/v4.
//
// Data enters as a Config (the target's root PID and TCP port, the
// generator's PID, the interval) and leaves as plain Usage values handed to
// an emit callback, one per scope per tick, in the order target, generator,
// system. The caller (package lab, for a run) writes them to the store.
// `exp monitor` is Log: a LogSpec (PID, interval, a CSV file or lines,
// a duration) in, the target's readings written out, Logged (how many,
// whether the process exited) back. Nothing here touches the database or
// the request path.
//
// What each scope counts:
//
//   - target: the root PID and all its descendants, re-listed every tick, so a
//     server with worker processes counts whole. When the root exits (on
//     Linux also when it is an unreaped zombie), target rows stop and
//     TargetGone's channel closes.
//   - generator: the generator process only (its child, the target, is not
//     part of it).
//   - system: the whole machine. CPUPct is machine busy % × logical cores, so
//     "percent of one core" stays the unit in every scope; MachinePct is the
//     busy %. RSS is used memory and MemPct its percent; Threads is 0 and FDs
//     -1 (not measured).
//
// CPUPct is the process CPU time over the last interval divided by the wall
// time, ×100 (can exceed 100 on several cores); MachinePct is CPUPct divided
// by the logical cores. The previous readings are primed at construction, so
// the first row already covers a real interval.
//
// TCP: one scan of the machine's TCP table per tick serves every scope. With
// a target port, the target row counts the server ends (local port == port)
// and the generator row counts the client ends (remote port == port): on a
// load-test host the client ends are the generator's, and a loopback
// connection, which shows in the table once per end, is not counted twice.
// Without a port, the target row counts the root process's own connections
// (gopsutil ConnectionsPid), as the old helper script did. The system row
// counts every TCP connection of the machine. LISTEN sockets are not
// connections and are not counted. SysTimeWait, on every row, is the
// machine's TIME_WAIT count: the sign of local port exhaustion.
//
// Cost: on Linux the TCP table comes from the kernel's sock_diag netlink
// interface (what `ss` uses; /proc/net/tcp as a fallback), skipping IPv6
// while no IPv6 TCP socket is in use, and the target's tree from
// /proc/<pid>/task/*/children. gopsutil's net.Connections would also walk
// every process's fd table to name each socket's owner, which the counts do
// not need: on our shared 2-core VM it took 41 ms a call against 1.7 ms.
// One tick with 300 loopback connections open to the target port costs
// about 3 ms of CPU there (BenchmarkTick), most of it the kernel walking its
// connection hash table once per address family. On macOS gopsutil runs
// lsof for the TCP table, which is far slower: prefer a 2 s interval there.
//
// Saturation watches the generator's rows and warns once when the generator
// itself is the bottleneck, as Locust does.
package monitor
