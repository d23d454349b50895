package store

import (
	"context"
	"fmt"

	"exp/analysis"
)

// AddWarning records a warning of the run, once per text: in run_warnings
// with its code, and its text in runs.warnings for readers of older
// versions.
func (db *DB) AddWarning(ctx context.Context, id int64, w analysis.Warning) error {
	if w.Code == "" {
		w.Code = analysis.OtherWarning
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add warning to run %d: %w", id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO run_warnings (run_id, seq, code, text)
		SELECT ?, (SELECT count(*) FROM run_warnings WHERE run_id = ?), ?, ?
		WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)
		AND NOT EXISTS (SELECT 1 FROM run_warnings WHERE run_id = ? AND text = ?)`,
		id, id, string(w.Code), w.Text, id, id, w.Text)
	if err != nil {
		return fmt.Errorf("add warning to run %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET warnings = json_insert(warnings, '$[#]', ?)
		WHERE id = ? AND NOT EXISTS (SELECT 1 FROM json_each(warnings) WHERE value = ?)`, w.Text, id, w.Text); err != nil {
		return fmt.Errorf("add warning to run %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var runs int
		if err := tx.GetContext(ctx, &runs, `SELECT count(*) FROM runs WHERE id = ?`, id); err != nil {
			return fmt.Errorf("add warning to run %d: %w", id, err)
		}
		if runs == 0 {
			return fmt.Errorf("add warning to run %d: %w", id, ErrNotFound)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add warning to run %d: %w", id, err)
	}
	return nil
}

// legacyWarningCode codes the warnings of a file opened read-only that
// lacks migration 0004, by the rule that migration applies to older files.
const legacyWarningCode = `CASE
	WHEN j.value LIKE 'generator CPU above%' THEN 'generator-saturated'
	WHEN j.value LIKE 'the target stopped answering%' THEN 'target-stopped'
	WHEN j.value LIKE 'the open-model scheduler fell behind%' THEN 'scheduler-late'
	ELSE 'other' END`

// warnings reads a run's warnings in the order raised.
func (db *DB) warnings(ctx context.Context, id int64) ([]analysis.Warning, error) {
	var rows []struct {
		Code string `db:"code"`
		Text string `db:"text"`
	}
	q := `SELECT code, text FROM run_warnings WHERE run_id = ? ORDER BY seq`
	if !db.applied["0004_warnings.sql"] {
		q = `SELECT ` + legacyWarningCode + ` AS code, j.value AS text
			FROM runs r, json_each(r.warnings) j WHERE r.id = ? ORDER BY j.key`
	}
	if err := db.x.SelectContext(ctx, &rows, q, id); err != nil {
		return nil, fmt.Errorf("read warnings of run %d: %w", id, err)
	}
	out := make([]analysis.Warning, len(rows))
	for i, r := range rows {
		out[i] = analysis.Warning{Code: analysis.WarningCode(r.Code), Text: r.Text}
	}
	return out, nil
}
