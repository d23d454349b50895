-- 0003_plans: sweeps of runs made by `exp plan`, and what an import from
-- Locust keeps beyond the figures of endpoint_stats and seconds. Only new
-- tables: the rows of older files stay as they were.

-- One row per plan: a sweep of runs over server variants and load levels.
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    status      TEXT    NOT NULL,  -- running, completed, aborted (Ctrl-C), failed
    started_at  TEXT    NOT NULL,  -- RFC 3339 with nanoseconds, UTC
    ended_at    TEXT,              -- NULL while running
    target_url  TEXT,              -- --url; NULL for the built-in target
    variants    TEXT    NOT NULL,  -- JSON array of variant names; [] with --url
    levels      TEXT    NOT NULL,  -- JSON array of {users, spawn_rate}
    duration_s  REAL    NOT NULL,  -- length of each run (cell)
    config      TEXT    NOT NULL,  -- JSON: tasks, wait, thresholds and the other settings of every cell
    out_dir     TEXT               -- where the report was written last
);

-- One row per cell of a plan: a (variant, load level) and the run that
-- measured it. run_name is recorded before the run starts, run_id once it
-- exists, so a plan killed mid-cell still names its runs.
CREATE TABLE plan_runs (
    plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    cell       INTEGER NOT NULL,  -- 1-based, in the order the cells ran
    variant    TEXT    NOT NULL,  -- built-in target variant; '-' for an external target (--url)
    users      INTEGER NOT NULL,
    spawn_rate REAL    NOT NULL,
    run_name   TEXT    NOT NULL,  -- runs.name
    run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,  -- NULL until the run exists
    PRIMARY KEY (plan_id, cell)
);

-- One line per cell of every plan with the figures of its run.
CREATE VIEW plan_summary AS
SELECT p.name AS plan, c.cell, c.variant, c.users, c.spawn_rate, c.run_name AS run,
       r.status, r.duration_s, s.requests, s.failures, s.fail_rate, s.rps,
       s.avg_ms, s.p50_ms, s.p95_ms, s.p99_ms
FROM plan_runs c
JOIN plans p ON p.id = c.plan_id
LEFT JOIN runs r ON r.id = c.run_id
LEFT JOIN endpoint_stats s ON s.run_id = c.run_id AND s.endpoint_id = -1;

-- Percentiles of an endpoint over a whole run beyond the columns of
-- endpoint_stats, such as Locust's 66%, 75%, 80%, 98% and 99.99%. Filled
-- by `exp import locust` (which has no samples to compute them from); a
-- run with samples computes them when asked.
CREATE TABLE endpoint_percentiles (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    endpoint_id INTEGER NOT NULL,  -- endpoints.id; -1 for the Aggregated row
    percentile  REAL    NOT NULL,  -- 50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100
    ms          REAL    NOT NULL,
    PRIMARY KEY (run_id, endpoint_id, percentile)
);

-- Locust's _stats_history.csv rows of an imported run, as Locust wrote
-- them: its figures are moving windows and running totals, which the
-- per-second table cannot hold. Percentile columns are NULL where Locust
-- wrote N/A.
CREATE TABLE locust_history (
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    row             INTEGER NOT NULL,  -- 0-based line of the file, header excluded
    timestamp       INTEGER NOT NULL,  -- Unix seconds
    user_count      INTEGER NOT NULL,
    type            TEXT    NOT NULL,  -- '' for the Aggregated row
    name            TEXT    NOT NULL,
    rps             REAL    NOT NULL,  -- Locust's current requests/s (a moving window)
    fail_per_s      REAL    NOT NULL,
    p50_ms REAL, p66_ms REAL, p75_ms REAL, p80_ms REAL, p90_ms REAL, p95_ms REAL,
    p98_ms REAL, p99_ms REAL, p999_ms REAL, p9999_ms REAL, p100_ms REAL,
    total_requests  INTEGER NOT NULL,
    total_failures  INTEGER NOT NULL,
    total_median_ms REAL    NOT NULL,
    total_avg_ms    REAL    NOT NULL,
    total_min_ms    REAL    NOT NULL,
    total_max_ms    REAL    NOT NULL,
    total_avg_bytes REAL    NOT NULL,
    PRIMARY KEY (run_id, row)
);
