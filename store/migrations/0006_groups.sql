-- 0006_groups: runs repeated as one group (exp run/plan --repeat, exp
-- calibrate), which exp compare takes as one side, and the run-to-run
-- noise a calibration measured.

CREATE TABLE groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,  -- what compare and --baseline accept, like a run name
    kind       TEXT NOT NULL,         -- 'repeat' (run or plan --repeat) or 'calibration' (exp calibrate)
    repeats    INTEGER NOT NULL,      -- runs asked for (fewer are linked when interrupted)
    created_at TEXT NOT NULL          -- RFC 3339, UTC
);

CREATE TABLE group_runs (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    repeat   INTEGER NOT NULL,                   -- 1..repeats, in the order run
    run_id   INTEGER NOT NULL UNIQUE REFERENCES runs(id),  -- a run is in one group at most
    PRIMARY KEY (group_id, repeat)
);

-- The spread a calibration measured: per figure, over the group's
-- completed runs. exp compare --noise GROUP uses it as run-to-run noise.
CREATE TABLE group_noise (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    figure   TEXT NOT NULL,    -- p50, p95, p99 (latency) or throughput (successful req/s over steady seconds)
    runs     INTEGER NOT NULL, -- runs it was measured over
    sd_log   REAL NOT NULL,    -- sample standard deviation of the figure's natural log across them (0.03: about 3%)
    PRIMARY KEY (group_id, figure)
);
