package store

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestGroups(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	gid, err := db.CreateGroup(ctx, "before", GroupRepeat, 3)
	if err != nil {
		t.Fatal(err)
	}
	var runs []int64
	for i, name := range []string{"before-1", "before-2", "before-3"} {
		id := mustCreateRun(t, db, name)
		runs = append(runs, id)
		if err := db.AddGroupRun(ctx, gid, i+1, id); err != nil {
			t.Fatal(err)
		}
	}
	g, err := db.FindGroup(ctx, "before")
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "before" || g.Kind != GroupRepeat || g.Repeats != 3 || !slices.Equal(g.RunIDs, runs) || g.CreatedAt.IsZero() {
		t.Errorf("FindGroup = %+v, want the 3 runs %v", g, runs)
	}
	if _, err := db.CreateGroup(ctx, "before", GroupRepeat, 2); !errors.Is(err, ErrNameTaken) {
		t.Errorf("second group of the same name: %v, want ErrNameTaken", err)
	}
	if _, err := db.CreateGroup(ctx, "before-1", GroupRepeat, 2); !errors.Is(err, ErrNameTaken) {
		t.Errorf("group named as a run: %v, want ErrNameTaken", err)
	}
	if err := db.AddGroupRun(ctx, gid, 4, runs[0]); err == nil {
		t.Error("a run joined two places of groups")
	}
	if _, err := db.FindGroup(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindGroup(nope) = %v, want ErrNotFound", err)
	}
	if next, err := db.NextGroupName(ctx, "before"); err != nil || next != "before-1" {
		t.Errorf("NextGroupName = %q, %v", next, err)
	}

	want := []GroupNoise{{"p50", 5, 0.021}, {"throughput", 5, 0.013}}
	if err := db.SaveNoise(ctx, gid, want); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveNoise(ctx, gid, want); err != nil { // replaces
		t.Fatal(err)
	}
	got, err := db.Noise(ctx, gid)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("Noise = %v, %v; want %v", got, err, want)
	}
}
