package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"exp/load"
)

// What a run's row learns after it was created: the load a run followed
// when it was changed while it ran, and a merged run's common start.

// SetStartedAt sets when the run started: a run merged from workers
// started at their common start, not when it was merged.
func (db *DB) SetStartedAt(ctx context.Context, id int64, at time.Time) error {
	return db.updateRun(ctx, id, "set start of", `UPDATE runs SET started_at = ? WHERE id = ?`, formatTime(at), id)
}

// SetStages records the stages a closed-model run followed when its users
// were changed while it ran (the web UI's "edit running test"): they go
// into runs.config and runs.stages, and runs.users becomes their peak, so
// the store says what load ran when.
func (db *DB) SetStages(ctx context.Context, id int64, stages []load.Stage) error {
	return db.setLoad(ctx, id, "stages", "users", stages, load.StagesPeak(stages))
}

// SetRateStages records the rate stages an open-model run followed when
// its rate was changed while it ran: into runs.config and
// runs.rate_stages; runs.rate becomes 0, as for any run of rate stages.
func (db *DB) SetRateStages(ctx context.Context, id int64, stages []load.RateStage) error {
	return db.setLoad(ctx, id, "rate_stages", "rate", stages, 0)
}

// setLoad sets column col and the config's key of the same name to
// stages, and column and key single to v.
func (db *DB) setLoad(ctx context.Context, id int64, col, single string, stages any, v any) error {
	var raw string
	if err := db.x.GetContext(ctx, &raw, `SELECT config FROM runs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("set %s of run %d: %w", col, id, err)
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return fmt.Errorf("set %s of run %d: config: %w", col, id, err)
	}
	st, err := json.Marshal(stages)
	if err != nil {
		return err
	}
	cfg[col], cfg[single] = json.RawMessage(st), v
	b, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	// col and single are this file's constants, never input.
	return db.updateRun(ctx, id, "set "+col+" of", `UPDATE runs SET config = ?, `+col+` = ?, `+single+` = ? WHERE id = ?`,
		string(b), string(st), v, id)
}
