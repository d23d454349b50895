-- 0009_workers: runs merged from the workers of a split test (exp merge,
-- exp dist local). Only a new column (NULL in older rows) and a new table.

-- The worker whose machine took a reading, in a merged run: its index
-- (0-based, as worker-I.db and JOB_COMPLETION_INDEX count); NULL for the
-- run's own machine.
ALTER TABLE resources ADD COLUMN worker INTEGER;

-- One row per worker of a merged run: where it ran and what it gave.
CREATE TABLE run_workers (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    worker         INTEGER NOT NULL,  -- index, from 0
    file           TEXT    NOT NULL,  -- its worker-I.db as merged ('' when missing)
    status         TEXT    NOT NULL,  -- its run's status: completed, aborted, failed, incomplete, running (it died), missing
    host           TEXT    NOT NULL,  -- host name ('' when unknown)
    pid            INTEGER NOT NULL,  -- process ID on that host (0 when unknown)
    cores          INTEGER NOT NULL,  -- logical CPUs of that host
    clock_sync     TEXT    NOT NULL,  -- synchronised, unsynchronised or unknown (the kernel's NTP state when it was ready)
    samples        INTEGER NOT NULL,  -- samples it stored
    last_sample_ms INTEGER NOT NULL,  -- start of its last sample, from the common start (0 without samples)
    PRIMARY KEY (run_id, worker)
);
