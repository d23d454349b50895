-- 0010_phases: where each request's time went, and the HTTP version it
-- went over. (0008 and 0009 are another change's numbers.)
--
-- The five phases follow one another and partition service_us:
--   dns_us + connect_us + tls_us + wait_us + read_us = service_us
-- exactly (each is cut at whole microseconds of their running total).
-- A phase that did not happen is 0: a request over a kept-alive connection
-- has no dns_us, connect_us or tls_us; one to an IP address no dns_us.
-- Rows written before this migration hold 0 in all five and NULL protocol.
ALTER TABLE samples ADD COLUMN dns_us     INTEGER NOT NULL DEFAULT 0;  -- µs resolving the host name
ALTER TABLE samples ADD COLUMN connect_us INTEGER NOT NULL DEFAULT 0;  -- µs of the TCP handshake
ALTER TABLE samples ADD COLUMN tls_us     INTEGER NOT NULL DEFAULT 0;  -- µs of the TLS handshake
ALTER TABLE samples ADD COLUMN wait_us    INTEGER NOT NULL DEFAULT 0;  -- µs writing the request and waiting for the first byte of the answer
ALTER TABLE samples ADD COLUMN read_us    INTEGER NOT NULL DEFAULT 0;  -- µs from the first byte to the end of the body
ALTER TABLE samples ADD COLUMN protocol   TEXT;                        -- HTTP/1.1 or HTTP/2; NULL when the request got no connection or answer

-- A run's phases over its answered requests (the requests latency
-- figures are over), one row per phase.
CREATE TABLE phase_stats (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    phase   TEXT    NOT NULL,  -- dns, connect, tls, wait, read
    mean_ms REAL    NOT NULL,  -- mean over answered requests (0 counted where the phase did not happen)
    p95_ms  REAL    NOT NULL,  -- nearest-rank 95th percentile, same requests
    share   REAL    NOT NULL,  -- sum of the phase / sum of latency_us, 0..1
    PRIMARY KEY (run_id, phase)
);

-- A run's connections: how many requests opened one, how many went over
-- a kept-alive one, and by which protocol.
CREATE TABLE connection_stats (
    run_id          INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    sent            INTEGER NOT NULL,  -- requests sent (not dropped, not stopped for want of data)
    new_connections INTEGER NOT NULL,  -- sent requests not over a kept-alive connection: each dialled one (refused dials included)
    reused          INTEGER NOT NULL,  -- sent requests over a kept-alive connection (samples.reused = 1)
    http1_requests  INTEGER NOT NULL,  -- samples with protocol HTTP/1.1
    http2_requests  INTEGER NOT NULL   -- samples with protocol HTTP/2
);
