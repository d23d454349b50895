-- 0007_scenarios: a scenario's request keeps its step, its index in the
-- flow (task or on_start) it belongs to. 0 for runs without a scenario
-- and rows written before. The scenario itself is in runs.config
-- ("scenario": the file as written, secrets redacted; "scenario_data":
-- its data files' names and SHA-256).
ALTER TABLE samples ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
