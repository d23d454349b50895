package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestMigrationsAppliedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exp.db")
	for range 2 {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	db, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []struct {
		Name string `db:"name"`
		N    int    `db:"n"`
	}
	if err := db.x.Select(&rows, `SELECT name, count(*) AS n FROM migrations GROUP BY name`); err != nil {
		t.Fatal(err)
	}
	want, _ := migrationNames()
	if len(rows) != len(want) {
		t.Fatalf("migrations table has %v, want each of %v", rows, want)
	}
	for i, r := range rows {
		if r.Name != want[i] || r.N != 1 {
			t.Errorf("migration %s recorded %d times, want %s once", r.Name, r.N, want[i])
		}
	}
}

func TestOpenRefusesAndLeavesFileUnchanged(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not a database\n"), 0o644)

	newer := filepath.Join(dir, "newer.db")
	db, err := Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	db.x.MustExec(`INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', 'x')`)
	db.Close()

	other := filepath.Join(dir, "other.db")
	db, err = Open(other)
	if err != nil {
		t.Fatal(err)
	}
	db.x.MustExec(`DROP TABLE migrations`) // now some other tool's SQLite file
	db.Close()

	tests := []struct {
		name, path string
		want       error
	}{
		{"text file", text, ErrNotExpDB},
		{"newer schema", newer, ErrNewerSchema},
		{"sqlite without migrations", other, ErrNotExpDB},
		{"directory", dir, nil},
	}
	for _, tt := range tests {
		for _, open := range []func(string) (*DB, error){Open, OpenReadOnly} {
			var before [32]byte
			if tt.want != nil {
				before = fileHash(t, tt.path)
			}
			db, err := open(tt.path)
			if err == nil {
				db.Close()
				t.Fatalf("%s: opened, want an error", tt.name)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
			}
			if tt.want != nil && fileHash(t, tt.path) != before {
				t.Errorf("%s: file changed by a refused open", tt.name)
			}
		}
	}
}

func TestOpenReadOnlyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	_, err := OpenReadOnly(path)
	if !errors.Is(err, ErrNoDatabase) {
		t.Fatalf("error %v, want ErrNoDatabase", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", path)
	}
}

func TestReadOnlyNeverWrites(t *testing.T) {
	db := MustOpenDB(t)
	mustCreateRun(t, db, "a")
	ro, err := OpenReadOnly(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.FindRun(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := ro.CreateRun(context.Background(), testConfig("b"), "", nil, Host{}); err == nil {
		t.Error("CreateRun on a read-only database succeeded")
	}
}

// A file from an older exp (without the newest migration) is read as it is
// read-only, and brought up to date by Open.
func TestOlderSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exp.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreateRun(t, db, "old")
	// 0009 alters resources: a file without 0002 has not had it either.
	db.x.MustExec(`DROP TABLE resources`)
	db.x.MustExec(`DROP TABLE run_workers`)
	db.x.MustExec(`DELETE FROM migrations WHERE name IN ('0002_resources.sql', '0009_workers.sql')`)
	db.Close()

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := ro.Usage(context.Background(), id); err != nil || u != nil {
		t.Errorf("Usage on a file without resources = %v, %v", u, err)
	}
	ro.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.applied["0002_resources.sql"] {
		t.Error("Open did not apply 0002_resources.sql")
	}
	if _, err := db.Usage(context.Background(), id); err != nil {
		t.Error(err)
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(path, nil, 0o644)
	db, err := Open(path)
	if err != nil {
		t.Fatalf("an empty file is an empty database: %v", err)
	}
	db.Close()
}

func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my runs #1")
	os.Mkdir(dir, 0o755)
	path := filepath.Join(dir, "exp 100%?.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateRun(t, db, "a")
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.FindRun(context.Background(), "a"); err != nil {
		t.Error(err)
	}
}
