package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"exp/analysis"
	"exp/load"
	"exp/monitor"
	"exp/units"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Run statuses, as stored in runs.status.
const (
	StatusRunning    = "running"
	StatusCompleted  = "completed"
	StatusAborted    = "aborted"    // stopped by Ctrl-C or SIGTERM
	StatusFailed     = "failed"     // could not complete
	StatusIncomplete = "incomplete" // its process died mid-run
	StatusImported   = "imported"
)

// Host describes the machine and process that generated a run's load.
type Host struct {
	Name     string
	OS, Arch string
	Cores    int // logical CPUs
	// GOMAXPROCS is the cores the generator could use (it follows CPU
	// affinity and cgroup limits); 0 when not recorded (older runs).
	GOMAXPROCS  int
	GoVersion   string
	ToolVersion string
	PID         int
}

// ThisHost describes the current machine and process.
func ThisHost(toolVersion string) Host {
	name, _ := os.Hostname()
	return Host{
		Name: name, OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: monitor.LogicalCores(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion: runtime.Version(), ToolVersion: toolVersion, PID: os.Getpid(),
	}
}

// Run is a row of runs, with its JSON columns decoded.
type Run struct {
	ID            int64
	Name          string
	Status        string
	StartedAt     time.Time
	EndedAt       time.Time // zero while running
	DurationS     float64   // how long it actually lasted; 0 until finished
	TargetURL     string
	Variant       string // "" for an external target
	VariantParams string // JSON object; "" when none
	Model         load.Model
	Config        load.RunConfig // from runs.config, Wait parsed back
	Host          Host
	Warnings      []analysis.Warning // in the order raised
	Notes         string
	Scheduled     int64 // open model: arrivals scheduled; 0 when not recorded
	LostSamples   int64 // samples the store could not write
	// Lateness is the generator's, as SaveSummary stored it (open model);
	// its Requests are filled in by Summary (the requests sent).
	Lateness analysis.Lateness
}

// runRow is the runs columns that Run reads.
type runRow struct {
	ID            int64           `db:"id"`
	Name          string          `db:"name"`
	Status        string          `db:"status"`
	StartedAt     string          `db:"started_at"`
	EndedAt       sql.NullString  `db:"ended_at"`
	DurationS     sql.NullFloat64 `db:"duration_s"`
	TargetURL     string          `db:"target_url"`
	Variant       sql.NullString  `db:"variant"`
	VariantParams sql.NullString  `db:"variant_params"`
	Model         string          `db:"model"`
	Config        string          `db:"config"`
	HostName      sql.NullString  `db:"host_name"`
	HostOS        sql.NullString  `db:"host_os"`
	HostArch      sql.NullString  `db:"host_arch"`
	HostCores     sql.NullInt64   `db:"host_cores"`
	GoVersion     sql.NullString  `db:"go_version"`
	ToolVersion   sql.NullString  `db:"tool_version"`
	PID           sql.NullInt64   `db:"pid"`
	Warnings      string          `db:"warnings"`
	Notes         sql.NullString  `db:"notes"`
	GOMAXPROCS    sql.NullInt64   `db:"gomaxprocs"`
	Scheduled     sql.NullInt64   `db:"scheduled"`
	LostSamples   sql.NullInt64   `db:"lost_samples"`
	LateP50       sql.NullFloat64 `db:"lateness_p50_ms"`
	LateP99       sql.NullFloat64 `db:"lateness_p99_ms"`
	LateMax       sql.NullFloat64 `db:"lateness_max_ms"`
}

// runColumns are the columns of a runs row, those of migration 0005 NULL
// in a file that lacks it.
func (db *DB) runColumns() string {
	return `id, name, status, started_at, ended_at, duration_s, target_url, variant,
	variant_params, model, config, host_name, host_os, host_arch, host_cores, go_version,
	tool_version, pid, warnings, notes, ` + db.since(definitionsMigration, "gomaxprocs", "scheduled", "lost_samples",
		"lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms")
}

func (r runRow) run() (Run, error) {
	out := Run{
		ID: r.ID, Name: r.Name, Status: r.Status, DurationS: r.DurationS.Float64,
		TargetURL: r.TargetURL, Variant: r.Variant.String, VariantParams: r.VariantParams.String,
		Model: load.Model(r.Model), Notes: r.Notes.String,
		Host: Host{
			Name: r.HostName.String, OS: r.HostOS.String, Arch: r.HostArch.String,
			Cores: int(r.HostCores.Int64), GoVersion: r.GoVersion.String,
			ToolVersion: r.ToolVersion.String, PID: int(r.PID.Int64), GOMAXPROCS: int(r.GOMAXPROCS.Int64),
		},
		Scheduled: r.Scheduled.Int64, LostSamples: r.LostSamples.Int64,
	}
	if r.LateP50.Valid {
		out.Lateness = analysis.Lateness{P50: units.FromMillis(r.LateP50.Float64), P99: units.FromMillis(r.LateP99.Float64),
			Max: units.FromMillis(r.LateMax.Float64)}
	}
	var err error
	if out.StartedAt, err = parseTime(r.StartedAt); err != nil {
		return Run{}, fmt.Errorf("run %s: started_at: %w", r.Name, err)
	}
	if out.EndedAt, err = parseTime(r.EndedAt.String); err != nil {
		return Run{}, fmt.Errorf("run %s: ended_at: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(r.Config), &out.Config); err != nil {
		return Run{}, fmt.Errorf("run %s: config: %w", r.Name, err)
	}
	if out.Config.WaitS != "" {
		if out.Config.Wait, err = load.ParseWait(out.Config.WaitS); err != nil {
			return Run{}, fmt.Errorf("run %s: config: %w", r.Name, err)
		}
	}
	return out, nil
}

// CreateRun records a new run, status running, started now, with its
// endpoints (one per task, id = task index). cfg.Name must be unused
// (ErrNameTaken otherwise). variant is "" for an external target;
// variantParams is stored as JSON (nil: none).
func (db *DB) CreateRun(ctx context.Context, cfg load.RunConfig, variant string,
	variantParams any, host Host) (int64, error) {
	if cfg.Name == "" {
		return 0, errors.New("create run: the run has no name")
	}
	if cfg.WaitS == "" {
		cfg.WaitS = cfg.Wait.String()
	}
	cols, err := runInsertColumns(cfg, variant, variantParams, host)
	if err != nil {
		return 0, fmt.Errorf("create run %s: %w", cfg.Name, err)
	}
	tx, err := db.x.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create run %s: %w", cfg.Name, err)
	}
	defer tx.Rollback()
	res, err := tx.NamedExecContext(ctx, `INSERT INTO runs (`+insertNames(cols)+`)
		VALUES (`+insertParams(cols)+`)`, cols)
	if err != nil {
		if isUnique(err) {
			return 0, fmt.Errorf("create run %q in %s: %w", cfg.Name, db.path, ErrNameTaken)
		}
		return 0, fmt.Errorf("create run %s: %w", cfg.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create run %s: %w", cfg.Name, err)
	}
	for i, t := range cfg.Tasks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO endpoints (run_id, id, method, path, weight)
			VALUES (?, ?, ?, ?, ?)`, id, i, t.Method, t.Path, t.Weight); err != nil {
			return 0, fmt.Errorf("create run %s: endpoint %d: %w", cfg.Name, i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create run %s: commit: %w", cfg.Name, err)
	}
	return id, nil
}

// runInsertColumns maps a config to the runs columns, by column name.
func runInsertColumns(cfg load.RunConfig, variant string, params any,
	host Host) (map[string]any, error) {
	js := func(v any, empty bool) (any, error) {
		if empty {
			return nil, nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	c := map[string]any{
		"name": cfg.Name, "status": StatusRunning, "started_at": formatTime(time.Now()),
		"target_url": cfg.URL, "variant": nullString(variant), "model": cfg.Model,
		"planned_duration_s": cfg.TotalDuration().Seconds(), "wait": cfg.WaitS,
		"timeout_s": cfg.Timeout.Seconds(), "keepalive": cfg.KeepAlive,
		"host_name": host.Name, "host_os": host.OS, "host_arch": host.Arch,
		"host_cores": host.Cores, "go_version": host.GoVersion,
		"tool_version": host.ToolVersion, "pid": host.PID, "gomaxprocs": nullInt(host.GOMAXPROCS),
		"users": nil, "spawn_rate": nil, "rate": nil, "arrivals": nil, "max_inflight": nil,
	}
	if cfg.Model == load.Closed {
		c["users"], c["spawn_rate"] = cfg.Users, cfg.SpawnRate
	} else {
		c["rate"], c["arrivals"], c["max_inflight"] = cfg.Rate, cfg.Arrivals, cfg.MaxInflight
	}
	var err error
	for _, j := range []struct {
		col   string
		v     any
		empty bool
	}{
		{"variant_params", params, params == nil},
		{"stages", cfg.Stages, len(cfg.Stages) == 0},
		{"rate_stages", cfg.RateStages, len(cfg.RateStages) == 0},
		{"tasks", cfg.Tasks, false},
		{"headers", cfg.Headers, len(cfg.Headers) == 0},
		{"config", cfg, false},
	} {
		if c[j.col], err = js(j.v, j.empty); err != nil {
			return nil, fmt.Errorf("%s: %w", j.col, err)
		}
	}
	return c, nil
}

func insertNames(cols map[string]any) string {
	return strings.Join(sortedKeys(cols), ", ")
}

func insertParams(cols map[string]any) string {
	keys := sortedKeys(cols)
	for i, k := range keys {
		keys[i] = ":" + k
	}
	return strings.Join(keys, ", ")
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isBusy reports SQLITE_BUSY or SQLITE_LOCKED, in any of their extended
// forms: another connection holds the lock.
func isBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// isUnique reports a UNIQUE constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// NextRunName gives prefix-N for the smallest N above every N in use, so
// names keep their order of creation.
func (db *DB) NextRunName(ctx context.Context, prefix string) (string, error) {
	return db.nextName(ctx, "runs", prefix)
}

// nextName gives prefix-N for the smallest N above every N in use in the
// name column of table (a constant of ours, never user input).
func (db *DB) nextName(ctx context.Context, table, prefix string) (string, error) {
	var names []string
	if err := db.x.SelectContext(ctx, &names, `SELECT name FROM `+table); err != nil {
		return "", fmt.Errorf("next name %s in %s: %w", prefix, table, err)
	}
	last := 0
	for _, n := range names {
		if rest, ok := strings.CutPrefix(n, prefix+"-"); ok {
			if k, err := strconv.Atoi(rest); err == nil && k > last {
				last = k
			}
		}
	}
	return prefix + "-" + strconv.Itoa(last+1), nil
}

// SetCounts records what the load scheduled (open model; 0: not
// recorded) and how many samples the store could not write.
func (db *DB) SetCounts(ctx context.Context, id int64, scheduled, lost int64) error {
	sch := any(nil)
	if scheduled > 0 {
		sch = scheduled
	}
	return db.updateRun(ctx, id, "set counts", `UPDATE runs SET scheduled = ?, lost_samples = ? WHERE id = ?`, sch, lost, id)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// FinishRun records the end of a run: its status, when it ended and how
// long it actually lasted.
func (db *DB) FinishRun(ctx context.Context, id int64, status string, ended time.Time,
	actual time.Duration) error {
	return db.updateRun(ctx, id, "finish", `UPDATE runs SET status = ?, ended_at = ?, duration_s = ?
		WHERE id = ?`, status, formatTime(ended), actual.Seconds(), id)
}

// SetNotes replaces the run's free-text notes.
func (db *DB) SetNotes(ctx context.Context, id int64, notes string) error {
	return db.updateRun(ctx, id, "set notes", `UPDATE runs SET notes = ? WHERE id = ?`, nullString(notes), id)
}

func (db *DB) updateRun(ctx context.Context, id int64, what, query string, args ...any) error {
	if _, err := db.x.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s run %d: %w", what, id, err)
	}
	var n int
	if err := db.x.GetContext(ctx, &n, `SELECT count(*) FROM runs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("%s run %d: %w", what, id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s run %d: %w", what, id, ErrNotFound)
	}
	return nil
}

// FindRun looks a run up by name, then by numeric id.
func (db *DB) FindRun(ctx context.Context, nameOrID string) (Run, error) {
	var r runRow
	err := db.x.GetContext(ctx, &r, `SELECT `+db.runColumns()+` FROM runs WHERE name = ?`, nameOrID)
	if errors.Is(err, sql.ErrNoRows) {
		if id, perr := strconv.ParseInt(nameOrID, 10, 64); perr == nil {
			err = db.x.GetContext(ctx, &r, `SELECT `+db.runColumns()+` FROM runs WHERE id = ?`, id)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %q: %w in %s", nameOrID, ErrNotFound, db.path)
	}
	if err != nil {
		return Run{}, fmt.Errorf("find run %q: %w", nameOrID, err)
	}
	return db.runOf(ctx, r)
}

// runOf completes a runs row with its warnings.
func (db *DB) runOf(ctx context.Context, r runRow) (Run, error) {
	run, err := r.run()
	if err != nil {
		return run, err
	}
	run.Warnings, err = db.warnings(ctx, run.ID)
	return run, err
}

// RunByID reads the run with that id.
func (db *DB) RunByID(ctx context.Context, id int64) (Run, error) {
	var r runRow
	err := db.x.GetContext(ctx, &r, `SELECT `+db.runColumns()+` FROM runs WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %d: %w in %s", id, ErrNotFound, db.path)
	}
	if err != nil {
		return Run{}, fmt.Errorf("read run %d: %w", id, err)
	}
	return db.runOf(ctx, r)
}
