-- 0005_definitions: the figures that stay true when the server is in
-- trouble. Latency statistics are over requests that got a response,
-- throughput is completed responses per second by completion time over
-- the time the load ran, successful throughput and drops are counted
-- apart, and every failure class keeps its mean latency. Rows written
-- before this migration have NULL in the new columns: their figures were
-- computed the old way (latency over every request, requests by start),
-- and exp reads them as such (responses = requests, successes = requests
-- less failures, the floor the fastest request).

ALTER TABLE endpoint_stats ADD COLUMN responses      INTEGER;  -- got an HTTP answer, any status
ALTER TABLE endpoint_stats ADD COLUMN successes      INTEGER;  -- answered 2xx or 3xx
ALTER TABLE endpoint_stats ADD COLUMN dropped        INTEGER;  -- open model: never sent
ALTER TABLE endpoint_stats ADD COLUMN cancelled      INTEGER;  -- in flight when the run ended
ALTER TABLE endpoint_stats ADD COLUMN success_rps    REAL;  -- successful responses per second
ALTER TABLE endpoint_stats ADD COLUMN floor_ms       REAL;  -- latency floor: 0.1th percentile of successful latencies, at least the 2nd fastest
ALTER TABLE endpoint_stats ADD COLUMN success_p50_ms REAL;  -- median of successful latencies

ALTER TABLE seconds ADD COLUMN responses INTEGER;  -- responses completed in this second
ALTER TABLE seconds ADD COLUMN successes INTEGER;  -- successful responses completed in it
ALTER TABLE seconds ADD COLUMN dropped   INTEGER;  -- requests dropped, by scheduled second

ALTER TABLE failures ADD COLUMN mean_ms REAL;  -- mean latency of the class; NULL for dropped (never sent)

ALTER TABLE runs ADD COLUMN gomaxprocs   INTEGER;  -- cores the generator could use (GOMAXPROCS: affinity, cgroups)
ALTER TABLE runs ADD COLUMN scheduled    INTEGER;  -- open model: arrivals scheduled (= samples stored)
ALTER TABLE runs ADD COLUMN lost_samples INTEGER;  -- samples the store could not write; status incomplete when > 0
-- Open model: the generator's lateness, intended time -> actual send
-- (samples.latency_us - samples.service_us), over the requests it sent.
ALTER TABLE runs ADD COLUMN lateness_p50_ms REAL;
ALTER TABLE runs ADD COLUMN lateness_p99_ms REAL;
ALTER TABLE runs ADD COLUMN lateness_max_ms REAL;

DROP VIEW run_summary;
CREATE VIEW run_summary AS
SELECT r.id, r.name, r.status, r.variant, r.model, r.users, r.rate,
       r.started_at, r.duration_s,
       s.requests, s.failures, s.fail_rate, s.rps,
       s.avg_ms, s.p50_ms, s.p95_ms, s.p99_ms,
       s.responses, s.successes, s.success_rps, s.dropped
FROM runs r
LEFT JOIN endpoint_stats s ON s.run_id = r.id AND s.endpoint_id = -1;
