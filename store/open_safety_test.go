package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Opening never runs SQL of the file's own: a file holding a trigger is
// refused unchanged by both opens, while a table of the user's own is
// left alone and the file stays usable.
func TestOpenRefusesTriggersKeepsUserTables(t *testing.T) {
	dir := t.TempDir()
	mk := func(name, extra string) string {
		path := filepath.Join(dir, name)
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		mustCreateRun(t, db, "a")
		db.x.MustExec(extra)
		db.Close()
		return path
	}
	trig := mk("trigger.db", `CREATE TRIGGER wipe AFTER INSERT ON runs BEGIN DELETE FROM samples; END`)
	user := mk("user.db", `CREATE TABLE my_notes (run TEXT, note TEXT)`)

	for _, open := range []func(string) (*DB, error){Open, OpenReadOnly} {
		before := fileHash(t, trig)
		db, err := open(trig)
		if err == nil {
			db.Close()
			t.Fatal("a file with a trigger was opened")
		}
		if !errors.Is(err, ErrNotExpDB) || !strings.Contains(err.Error(), "wipe") {
			t.Errorf("error %v, want ErrNotExpDB naming the trigger", err)
		}
		if fileHash(t, trig) != before {
			t.Error("refused file changed")
		}
		db, err = open(user)
		if err != nil {
			t.Fatalf("a file with a table of the user's own: %v", err)
		}
		var n int
		if err := db.x.Get(&n, `SELECT count(*) FROM sqlite_master WHERE name = 'my_notes'`); err != nil || n != 1 {
			t.Errorf("the user's table is gone (%d, %v)", n, err)
		}
		db.Close()
	}
}

// A --db naming a directory, or a file in a directory that does not exist,
// is refused with a path error (the user's input) and creates nothing.
func TestOpenBadPaths(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{dir, filepath.Join(dir, "missing", "exp.db")} {
		for _, open := range []func(string) (*DB, error){Open, OpenReadOnly} {
			db, err := open(path)
			if err == nil {
				db.Close()
				t.Fatalf("%s opened", path)
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) && !errors.Is(err, ErrNoDatabase) {
				t.Errorf("%s: error %v is not a path error", path, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused open created its directory: %v", err)
	}
}
