-- 0002_resources: CPU, memory and connection readings taken during a run,
-- once per interval for each scope.
CREATE TABLE resources (
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    t_ms            INTEGER NOT NULL,  -- offset from the run start
    scope           TEXT    NOT NULL,  -- target (server under test, children included), generator (exp itself), system (whole machine)
    cpu_pct         REAL    NOT NULL,  -- percent of one core; above 100 on several cores, like top
    machine_pct     REAL    NOT NULL,  -- percent of the whole machine, like Task Manager
    rss_bytes       INTEGER NOT NULL,  -- resident memory
    mem_pct         REAL    NOT NULL,  -- rss as percent of system memory (system scope: memory used)
    threads         INTEGER NOT NULL,
    fds             INTEGER NOT NULL,  -- open file descriptors; -1 where the OS does not say
    tcp_established INTEGER NOT NULL,  -- connections to or from the target's port (system scope: all)
    tcp_time_wait   INTEGER NOT NULL,  -- same, in TIME_WAIT
    tcp_other       INTEGER NOT NULL,  -- same, in any other state
    sys_time_wait   INTEGER NOT NULL   -- the machine's whole TIME_WAIT count
);
CREATE INDEX resources_run_scope_t ON resources (run_id, scope, t_ms);
