package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"exp/analysis"
)

// TestWarningsOfOlderFiles: a file written before warnings had codes gets
// them from their text, the same read-only (migration 0004 not applied)
// and after the migration; a plan cell without a variant reads as "".
func TestWarningsOfOlderFiles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreateRun(t, db, "old")
	// Make it a file of before 0004: no run_warnings, texts in runs.warnings.
	db.x.MustExec(`DROP TABLE run_warnings`)
	db.x.MustExec(`DELETE FROM migrations WHERE name = '0004_warnings.sql'`)
	db.x.MustExec(`UPDATE runs SET warnings = ? WHERE id = ?`,
		`["generator CPU above 90% for 12 s: figures may be limited by the load generator, not the server",`+
			`"the target stopped answering: target (pid 7) exited: signal: killed","something else"]`, id)
	db.Close()
	want := []analysis.Warning{
		{Code: analysis.GeneratorSaturated, Text: "generator CPU above 90% for 12 s: figures may be limited by the load generator, not the server"},
		{Code: analysis.TargetStopped, Text: "the target stopped answering: target (pid 7) exited: signal: killed"},
		{Code: analysis.OtherWarning, Text: "something else"},
	}
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	run, err := ro.FindRun(ctx, "old")
	ro.Close()
	if err != nil || !reflect.DeepEqual(run.Warnings, want) {
		t.Fatalf("read-only, before the migration: %+v, %v", run.Warnings, err)
	}
	rw, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if run, err = rw.FindRun(ctx, "old"); err != nil || !reflect.DeepEqual(run.Warnings, want) {
		t.Fatalf("after the migration: %+v, %v", run.Warnings, err)
	}
	more := analysis.Warning{Code: analysis.SchedulerLate, Text: "late"}
	if err := rw.AddWarning(ctx, id, more); err != nil {
		t.Fatal(err)
	}
	var texts string
	if err := rw.x.Get(&texts, `SELECT warnings FROM runs WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if run, _ = rw.FindRun(ctx, "old"); !reflect.DeepEqual(run.Warnings, append(want, more)) ||
		texts != `["generator CPU above 90% for 12 s: figures may be limited by the load generator, not the server",`+
			`"the target stopped answering: target (pid 7) exited: signal: killed","something else","late"]` {
		t.Errorf("added to a migrated file: %+v; runs.warnings %s", run.Warnings, texts)
	}
}
