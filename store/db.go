package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Errors that callers tell apart with errors.Is. Every returned error wraps
// one of them or carries its own context.
var (
	ErrNotFound    = errors.New("not found")
	ErrNotExpDB    = errors.New("is not an exp database")
	ErrNewerSchema = errors.New("was written by a newer exp (unknown schema migrations)")
	ErrNameTaken   = errors.New("run name already taken")
	ErrNoDatabase  = errors.New("no such database file")
)

// Per-connection settings: a pragma run with Exec would reach only one
// connection of the pool. WAL lets readers and one writer work at once;
// synchronous FULL syncs the WAL at every commit, so a commit survives a
// power or OS crash too (NORMAL could lose the last commits there): the
// writer commits a batch at least every half second, two syncs a second
// (their cost: BenchmarkWriterCommits, README "Failure behaviour");
// trusted_schema(0) lets the file's views and
// indexes call only side-effect-free functions; _txlock=immediate takes the write lock at BEGIN, so
// two writers queue on the busy timeout instead of failing on lock upgrade.
var (
	busyTimeoutMS = "10000"
	rwParams      = "_pragma=busy_timeout(" + busyTimeoutMS + ")&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(" + synchronous + ")&_pragma=foreign_keys(ON)&_pragma=trusted_schema(0)&_txlock=immediate"
	// synchronous is FULL; BenchmarkWriterCommits measures it against
	// NORMAL by changing it.
	synchronous = "FULL"
	roParams    = "mode=ro&_pragma=busy_timeout(" + busyTimeoutMS + ")&_pragma=trusted_schema(0)"
)

// DB is an open exp database.
type DB struct {
	x        *sqlx.DB
	path     string
	readOnly bool
	applied  map[string]bool // migration names recorded in the file
}

// Open opens the database at path for reading and writing, creating the file
// when it is missing and applying any migration it lacks. An existing file is
// checked first, without changing it: a directory, a file that is not an exp
// database (ErrNotExpDB) or one with migrations this binary does not know
// (ErrNewerSchema) is refused.
func Open(path string) (*DB, error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		if fi.IsDir() {
			return nil, isDir(path)
		}
		if _, err := inspect(path); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
		// Created below, in a directory that must exist: SQLite's own
		// error for a missing one says only "unable to open".
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	default:
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	x, err := sqlx.Open("sqlite", fileURI(path)+"?"+rwParams)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db := &DB{x: x, path: path}
	if err := db.migrateRetrying(context.Background()); err != nil {
		x.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// OpenReadOnly opens an existing database for reading only: it never
// creates the file (ErrNoDatabase) nor writes to it, and refuses what Open
// refuses. A file lacking newer migrations is read as it is.
func OpenReadOnly(path string) (*DB, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open store %s: %w", path, ErrNoDatabase)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if fi.IsDir() {
		return nil, isDir(path)
	}
	applied, err := inspect(path)
	if err != nil {
		return nil, err
	}
	x, err := sqlx.Open("sqlite", fileURI(path)+"?"+roParams)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &DB{x: x, path: path, readOnly: true, applied: applied}, nil
}

// isDir is the error for a --db that names a directory: a *fs.PathError,
// as the user's input at fault.
func isDir(path string) error {
	return &fs.PathError{Op: "open store", Path: path, Err: syscall.EISDIR}
}

// Close releases the database; the last connection to close checkpoints the
// WAL into the main file.
func (db *DB) Close() error {
	if err := db.x.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", db.path, err)
	}
	return nil
}

// Path is the file the database was opened from.
func (db *DB) Path() string { return db.path }

// fileURI names a file as an SQLite URI: only that form honours mode=ro,
// and escaped, a path may hold '?' or '#'.
func fileURI(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23", " ", "%20")
	return "file://" + r.Replace(p)
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// inspect checks an existing file through a read-only connection, so a
// refused file is left byte-for-byte as it was. It returns the migration
// names recorded in the file (none for an empty database).
func inspect(path string) (map[string]bool, error) {
	if err := checkMagic(path); err != nil {
		return nil, err
	}
	x, err := sqlx.Open("sqlite", fileURI(path)+"?"+roParams)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	defer x.Close()
	var tables []string
	if err := x.Select(&tables, `SELECT name FROM sqlite_master WHERE type = 'table'`); err != nil {
		return nil, notExpDB(path, err)
	}
	if err := noTriggers(x, path); err != nil {
		return nil, err
	}
	if !contains(tables, "migrations") {
		if len(tables) > 0 {
			return nil, fmt.Errorf("open store %s: %w (it has tables %s but no migrations table)",
				path, ErrNotExpDB, strings.Join(tables, ", "))
		}
		return map[string]bool{}, nil
	}
	var names []string
	if err := x.Select(&names, `SELECT name FROM migrations`); err != nil {
		return nil, notExpDB(path, err)
	}
	return checkKnown(path, names)
}

// notExpDB is the error of a file whose schema could not be read: not an
// exp database, unless the read failed for a reason that may pass (a full
// disk cannot create the file's -shm; another process holds the lock),
// which is no fault of the file's and is said as it is.
func notExpDB(path string, err error) error {
	if isTransient(err) {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	return fmt.Errorf("open store %s: %w: %v", path, ErrNotExpDB, err)
}

// noTriggers refuses a file holding triggers. Our migrations create none,
// and a trigger would run its own SQL on every insert of ours: opening a
// database must never run anything but our migrations. (Views run only
// SELECTs, and trusted_schema(0) keeps functions with side effects out of
// them; tables of the user's own are left alone.)
func noTriggers(x *sqlx.DB, path string) error {
	var trig []string
	if err := x.Select(&trig, `SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`); err != nil {
		return notExpDB(path, err)
	}
	if len(trig) > 0 {
		return fmt.Errorf("open store %s: %w (it has triggers exp did not create and will not run: %s)",
			path, ErrNotExpDB, strings.Join(trig, ", "))
	}
	return nil
}

func checkMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, _ := f.Read(head)
	if n == 0 {
		return nil // an empty file is an empty database
	}
	if string(head[:n]) != sqliteMagic {
		return fmt.Errorf("open store %s: %w (not an SQLite file)", path, ErrNotExpDB)
	}
	return nil
}

// checkKnown refuses migration names this binary does not have.
func checkKnown(path string, names []string) (map[string]bool, error) {
	known, err := migrationNames()
	if err != nil {
		return nil, err
	}
	applied := make(map[string]bool, len(names))
	for _, n := range names {
		if !migrationName.MatchString(n) {
			return nil, fmt.Errorf("open store %s: %w (its migrations table records %q)", path, ErrNotExpDB, n)
		}
		if !contains(known, n) {
			return nil, fmt.Errorf("open store %s: %w: %s", path, ErrNewerSchema, n)
		}
		applied[n] = true
	}
	return applied, nil
}

// migrationName is the form of our migration file names; a migrations table
// holding anything else belongs to some other tool.
var migrationName = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// migrationFiles holds the schema as numbered SQL files, embedded as
// benbjohnson/wtf does. A file, once released, is never edited: the schema
// changes only by a new file, because users' exp.db files hold the old ones.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationFS is migrationFiles with names as the migrations table records
// them ("0001_init.sql").
var migrationFS, _ = fs.Sub(migrationFiles, "migrations")

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies every missing migration in name order, each in its own
// transaction. A second process migrating the same new file at once waits
// on the write lock and then finds the migration recorded.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.x.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name       TEXT PRIMARY KEY,  -- file name in store/migrations
		applied_at TEXT NOT NULL      -- RFC 3339, UTC
	)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := db.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	var recorded []string
	if err := db.x.SelectContext(ctx, &recorded, `SELECT name FROM migrations`); err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	db.applied, err = checkKnown(db.path, recorded)
	return err
}

// migrateRetrying is migrate, tried again while another process holds
// the file: SQLite answers SQLITE_BUSY at once, without its busy timeout,
// while a second process creates the same new file in WAL mode.
func (db *DB) migrateRetrying(ctx context.Context) error {
	deadline := time.Now().Add(busyWait)
	for {
		err := db.migrate(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// busyWait bounds how long Open waits for another process's migration.
const busyWait = 10 * time.Second

func (db *DB) applyMigration(ctx context.Context, name string) error {
	body, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return fmt.Errorf("read migration %s: %w", name, err)
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM migrations WHERE name = ?`, name); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, formatTime(time.Now())); err != nil {
		return fmt.Errorf("record migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
