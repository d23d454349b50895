-- 0001_init: runs, their endpoints, every request sample, and the analysis
-- of each run. This schema is a public interface: users query it with
-- sqlite3, Python or a notebook. Units are in column names (_us microseconds,
-- _ms milliseconds, _s seconds); times of day are RFC 3339 text in UTC.

-- One row per run (an experiment: one load test of one target).
CREATE TABLE runs (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL UNIQUE,
    -- running, completed, aborted (Ctrl-C), failed, incomplete (the process
    -- died mid-run), imported
    status             TEXT    NOT NULL,
    started_at         TEXT    NOT NULL,  -- RFC 3339 with nanoseconds, UTC
    ended_at           TEXT,              -- NULL while running
    duration_s         REAL,              -- how long the run actually lasted
    target_url         TEXT    NOT NULL,  -- base URL the load was sent to
    variant            TEXT,              -- built-in target variant; NULL for an external target
    variant_params     TEXT,              -- JSON object: pool size, keep-alive settings, ...
    model              TEXT    NOT NULL,  -- closed (virtual users) or open (arrival rate)
    users              INTEGER,           -- closed model: users at full load (without stages)
    spawn_rate         REAL,              -- closed model: users started per second
    planned_duration_s REAL,              -- the planned length, stages included
    stages             TEXT,              -- JSON array of {duration_ns, users}
    rate               REAL,              -- open model: requests per second
    rate_stages        TEXT,              -- JSON array of {duration_ns, rate}
    arrivals           TEXT,              -- open model: uniform or poisson
    max_inflight       INTEGER,           -- open model: requests in flight at most
    tasks              TEXT    NOT NULL,  -- JSON array of {method, path, weight}
    wait               TEXT,              -- think time: 0, 200ms, 100ms-500ms, pace:1s
    timeout_s          REAL,              -- per-request timeout
    keepalive          INTEGER,           -- 1 when client connections were kept alive
    headers            TEXT,              -- JSON object, secrets redacted
    config             TEXT    NOT NULL,  -- JSON of the whole run configuration
    host_name          TEXT,              -- machine that generated the load
    host_os            TEXT,              -- GOOS: linux, darwin, windows
    host_arch          TEXT,              -- GOARCH: amd64, arm64
    host_cores         INTEGER,           -- logical CPUs
    go_version         TEXT,              -- Go toolchain of the exp binary
    tool_version       TEXT,              -- exp version
    pid                INTEGER,           -- process id of the exp run, to spot runs whose process died
    warnings           TEXT    NOT NULL DEFAULT '[]',  -- JSON array of text, e.g. generator saturated
    notes              TEXT,
    first_sample_id    INTEGER,           -- the run's samples have samples.id in this range; NULL before any
    last_sample_id     INTEGER
);

-- One row per task of a run's task mix. id is the task index that
-- samples.endpoint_id and the other tables refer to.
CREATE TABLE endpoints (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    id     INTEGER NOT NULL,
    method TEXT    NOT NULL,  -- GET, POST, ...
    path   TEXT    NOT NULL,  -- path and query, e.g. /io?ms=200
    weight INTEGER NOT NULL,  -- relative share of the task mix
    PRIMARY KEY (run_id, id)
);

-- One row per request, in the order recorded. Written in batches while the
-- run goes on, so kept lean: no secondary index and no declared foreign key
-- (they cost a quarter and a sixth of the insert speed). A run's samples
-- lie between runs.first_sample_id and runs.last_sample_id (interleaved
-- with those of any run written at the same time), so
--   WHERE s.id BETWEEN r.first_sample_id AND r.last_sample_id AND s.run_id = r.id
-- reads one run without scanning the others; WHERE run_id = ? alone gives
-- the same rows by a full scan. run_id refers to runs.id; delete a run's
-- samples explicitly.
CREATE TABLE samples (
    id          INTEGER PRIMARY KEY,  -- in recording order
    run_id      INTEGER NOT NULL,     -- runs.id
    t_us        INTEGER NOT NULL,     -- start offset from the run start (intended send time in the open model)
    latency_us  INTEGER NOT NULL,     -- from t_us to the end of the body read
    service_us  INTEGER NOT NULL,     -- from the actual send to the end of the body read
    endpoint_id INTEGER NOT NULL,     -- endpoints.id
    status      INTEGER NOT NULL,     -- HTTP status; 0 when there was no response
    error_class TEXT,                 -- NULL on success; else refused, timeout, reset, port-exhaustion, dns, tls, dropped, other, http-503, ...
    bytes       INTEGER NOT NULL,     -- response body bytes
    user        INTEGER NOT NULL,     -- virtual user (closed model) or worker (open model)
    reused      INTEGER NOT NULL      -- 1 when the request went over a kept-alive connection
);

-- Figures per endpoint of a run, and one Aggregated row (endpoint_id -1),
-- as in Locust's statistics table. Latencies are milliseconds.
CREATE TABLE endpoint_stats (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    endpoint_id INTEGER NOT NULL,  -- endpoints.id; -1 for the Aggregated row
    method      TEXT    NOT NULL,  -- '' for the Aggregated row
    name        TEXT    NOT NULL,  -- path, or Aggregated
    requests    INTEGER NOT NULL,
    failures    INTEGER NOT NULL,
    fail_rate   REAL    NOT NULL,  -- failures / requests, 0..1
    rps         REAL    NOT NULL,  -- requests per second over the run's duration
    fail_per_s  REAL    NOT NULL,
    avg_bytes   REAL    NOT NULL,
    avg_ms      REAL    NOT NULL,
    min_ms      REAL    NOT NULL,
    max_ms      REAL    NOT NULL,
    p50_ms      REAL    NOT NULL,
    p90_ms      REAL    NOT NULL,
    p95_ms      REAL    NOT NULL,
    p99_ms      REAL    NOT NULL,
    p999_ms     REAL    NOT NULL,  -- 99.9th percentile
    PRIMARY KEY (run_id, endpoint_id)
);

-- Figures per second of a run, by the second in which each request started.
CREATE TABLE seconds (
    run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    t_s          INTEGER NOT NULL,  -- seconds since the run start
    active_users INTEGER NOT NULL,  -- closed model: scheduled virtual users
    target_rate  REAL    NOT NULL,  -- open model: scheduled requests per second
    requests     INTEGER NOT NULL,
    failures     INTEGER NOT NULL,
    p50_ms       REAL    NOT NULL,
    p95_ms       REAL    NOT NULL,
    p99_ms       REAL    NOT NULL,
    PRIMARY KEY (run_id, t_s)
);

-- Failures counted by class per endpoint of a run.
CREATE TABLE failures (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    endpoint_id INTEGER NOT NULL,  -- endpoints.id
    method      TEXT    NOT NULL,
    name        TEXT    NOT NULL,  -- path of the endpoint
    error_class TEXT    NOT NULL,  -- as samples.error_class
    count       INTEGER NOT NULL,
    PRIMARY KEY (run_id, endpoint_id, error_class)
);

-- One line per run: the answer a user wants first. Figures come from the
-- Aggregated row of endpoint_stats; they are NULL until the run is analysed.
CREATE VIEW run_summary AS
SELECT r.id, r.name, r.status, r.variant, r.model, r.users, r.rate,
       r.started_at, r.duration_s,
       s.requests, s.failures, s.fail_rate, s.rps,
       s.avg_ms, s.p50_ms, s.p95_ms, s.p99_ms
FROM runs r
LEFT JOIN endpoint_stats s ON s.run_id = r.id AND s.endpoint_id = -1;
