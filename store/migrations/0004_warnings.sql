-- 0004_warnings: each warning of a run gets a code that programs decide
-- from (the verdict, the web UI), beside its text for people; and "no
-- variant" (an external target) is '' in plan_runs as it is in runs.

-- One row per warning of a run, in the order they were raised. runs.warnings
-- (a JSON array of the same texts) stays, kept in step, for readers of older
-- versions.
CREATE TABLE run_warnings (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,  -- 0-based, in the order raised
    code   TEXT    NOT NULL,  -- generator-saturated, target-stopped, scheduler-late, other
    text   TEXT    NOT NULL,  -- the warning as printed
    PRIMARY KEY (run_id, seq)
);

-- Warnings of older files, coded by the text exp wrote for each code.
INSERT INTO run_warnings (run_id, seq, code, text)
SELECT r.id, j.key,
       CASE
           WHEN j.value LIKE 'generator CPU above%' THEN 'generator-saturated'
           WHEN j.value LIKE 'the target stopped answering%' THEN 'target-stopped'
           WHEN j.value LIKE 'the open-model scheduler fell behind%' THEN 'scheduler-late'
           ELSE 'other'
       END,
       j.value
FROM runs r, json_each(r.warnings) j;

UPDATE plan_runs SET variant = '' WHERE variant = '-';
