package dist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"exp/analysis"
	"exp/input"
	"exp/lab"
	"exp/load"
	"exp/store"
	"exp/target"
	"exp/units"
)

// Warning codes of a merged run.
const (
	// WorkerLost: a worker died, failed or never stored its run; the
	// merged run lacks its share and is incomplete.
	WorkerLost analysis.WarningCode = "worker-lost"
	// ClockNotSynced: a worker's clock was not known to be synchronised,
	// so the workers' samples may not line up in time.
	ClockNotSynced analysis.WarningCode = "clock-not-synced"
)

// ErrNoWorkers: the directory holds no worker's file.
var ErrNoWorkers = errors.New("no worker files (worker-I.db or ready/I)")

// worker is one worker's part as found in the results directory.
type worker struct {
	store.RunWorker
	db    *store.DB // nil when missing
	run   store.Run
	ready *Ready
}

// MergeOptions name the merged run and what it loaded.
type MergeOptions struct {
	Name string // "" picks the workers' run name (or the next free one)
	// Variant and Params are the built-in target's when the workers
	// loaded one that `exp dist local` started ("": an external server).
	Variant target.Variant
	Params  any
}

// Merge builds one run in into from the workers' files in dir: every
// sample on the common time axis, per-worker resources and warnings, the
// summary and verdict over the union. A worker missing, dead or failed
// makes the run incomplete, with a warning naming it and what it lost;
// workers all interrupted (Ctrl-C) make it aborted. The workers must have
// run the same test.
func Merge(ctx context.Context, dir string, into *store.DB, o MergeOptions) (lab.Outcome, []store.RunWorker, error) {
	ws, n, err := openWorkers(ctx, dir)
	defer func() {
		for _, w := range ws {
			if w.db != nil {
				w.db.Close()
			}
		}
	}()
	if err != nil {
		return lab.Outcome{}, nil, err
	}
	base := firstStored(ws)
	if base == nil {
		return lab.Outcome{}, nil, fmt.Errorf("merge %s: none of the %d workers stored a run", dir, n)
	}
	if err := sameTest(ws, base); err != nil {
		return lab.Outcome{}, nil, err
	}
	cfg := base.run.Config
	cfg.Segment = load.Segment{}
	if cfg.Name, err = mergedName(ctx, into, o.Name, cfg.Name); err != nil {
		return lab.Outcome{}, nil, err
	}
	var params any
	if o.Variant != "" {
		params = o.Params
	}
	runID, err := into.CreateRun(ctx, cfg, string(o.Variant), params, mergedHost(ws, base.run.Host))
	if err != nil {
		return lab.Outcome{}, nil, err
	}
	if cfg.Seed != 0 { // the common start, as every worker computed it
		if err := into.SetStartedAt(ctx, runID, time.Unix(0, int64(cfg.Seed))); err != nil {
			return lab.Outcome{}, nil, err
		}
	}
	status, loadRan, err := copyWorkers(ctx, into, runID, ws, cfg)
	if err != nil {
		return lab.Outcome{}, nil, err
	}
	out, err := lab.FinishStored(ctx, into, runID, cfg, status, loadRan)
	rows := make([]store.RunWorker, len(ws))
	for i, w := range ws {
		rows[i] = w.RunWorker
	}
	return out, rows, err
}

// sameTest refuses workers that ran different tests: their files cannot
// make one run.
func sameTest(ws []*worker, base *worker) error {
	want := TestKey(base.run.Config)
	for _, w := range ws {
		if w.run.ID != 0 && TestKey(w.run.Config) != want {
			return fmt.Errorf("worker %d ran another test than worker %d (their exp run flags differ): not merged", w.Worker, base.Worker)
		}
	}
	return nil
}

// TestKey identifies the whole test a worker runs a share of: its config
// but for the segment, the seed and the name.
func TestKey(c load.RunConfig) string {
	c.Segment, c.Seed, c.Name = load.Segment{}, 0, ""
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// openWorkers finds workers 0..N-1 in dir; N is what the ready files and
// the workers' runs say.
func openWorkers(ctx context.Context, dir string) ([]*worker, int, error) {
	ready, err := ReadReady(dir)
	if err != nil {
		return nil, 0, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "worker-*.db"))
	n := 0
	for _, r := range ready {
		n = max(n, r.Workers)
	}
	num := regexp.MustCompile(`^worker-(\d+)\.db$`)
	found := map[int]string{}
	for _, f := range files {
		if m := num.FindStringSubmatch(filepath.Base(f)); m != nil {
			i, _ := strconv.Atoi(m[1])
			found[i] = f
			n = max(n, i+1)
		}
	}
	if n == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, 0, input.Errorf("dir", "%s: %w", dir, err)
		}
		return nil, 0, input.Errorf("dir", "%s: %w", dir, ErrNoWorkers)
	}
	ws := make([]*worker, n)
	for i := range n {
		w := &worker{RunWorker: store.RunWorker{Worker: i, Status: store.StatusMissing, ClockSync: ClockUnknown}}
		ws[i] = w
		for _, r := range ready {
			if r.Worker == i {
				w.ready = &r
				w.Host, w.PID, w.Cores, w.ClockSync = r.Host, r.PID, r.Cores, r.ClockSync
			}
		}
		if f, ok := found[i]; ok {
			if err := w.open(ctx, f); err != nil {
				return ws, n, err
			}
		}
	}
	return ws, n, nil
}

// open reads a worker's file: read-only, and as it is (a run a dead
// worker left running is not finished here: merging says it died).
func (w *worker) open(ctx context.Context, path string) error {
	db, err := store.OpenReadOnly(path)
	if err != nil {
		return fmt.Errorf("worker %d: %w", w.Worker, err)
	}
	w.db, w.File = db, path
	runs, err := db.ListRuns(ctx)
	if err != nil {
		return fmt.Errorf("worker %d: %w", w.Worker, err)
	}
	if len(runs) == 0 {
		return nil // opened, but it stored no run: missing
	}
	if w.run, err = db.RunByID(ctx, runs[0].ID); err != nil {
		return fmt.Errorf("worker %d: %w", w.Worker, err)
	}
	if seg := w.run.Config.Segment; seg.Index != w.Worker {
		return fmt.Errorf("worker %d: %s holds the run of segment %s", w.Worker, path, seg)
	}
	w.Status = w.run.Status
	w.Host, w.PID, w.Cores = w.run.Host.Name, w.run.Host.PID, w.run.Host.Cores
	return nil
}

func firstStored(ws []*worker) *worker {
	for _, w := range ws {
		if w.db != nil && w.run.ID != 0 {
			return w
		}
	}
	return nil
}

func mergedName(ctx context.Context, db *store.DB, name, workers string) (string, error) {
	if name != "" {
		return name, nil
	}
	if _, err := db.FindRun(ctx, workers); errors.Is(err, store.ErrNotFound) && workers != "" {
		return workers, nil
	}
	return db.NextRunName(ctx, "merged")
}

// mergedHost describes the workers' machines: their names, and the cores
// of one (the most): each worker's generator readings are of its own
// machine, and so are the target's, which one worker took.
func mergedHost(ws []*worker, h store.Host) store.Host {
	var names []string
	cores := 0
	for _, w := range ws {
		if w.Host != "" && !slices.Contains(names, w.Host) {
			names = append(names, w.Host)
		}
		cores = max(cores, w.Cores)
	}
	h.Name = fmt.Sprintf("%d workers on %s", len(ws), strings.Join(names, ", "))
	h.Cores, h.GOMAXPROCS, h.PID = cores, 0, 0
	return h
}

// copyWorkers copies each worker's samples, resources and warnings into
// the merged run, records the workers, and says its status and how long
// its load ran.
func copyWorkers(ctx context.Context, into *store.DB, runID int64, ws []*worker, cfg load.RunConfig) (string, time.Duration, error) {
	status := store.StatusCompleted
	together := allAborted(ws)
	if together {
		status = store.StatusAborted // interrupted together, as one run is by Ctrl-C
	}
	var loadRan time.Duration
	var scheduled, lost int64
	oneClock := oneHost(ws) // workers of one machine share its clock
	for _, w := range ws {
		if w.db != nil && w.run.ID != 0 {
			if err := copySamples(ctx, into, runID, w); err != nil {
				return "", 0, err
			}
			us, err := w.db.Usage(ctx, w.run.ID)
			if err != nil {
				return "", 0, err
			}
			for i := range us {
				us[i].Worker = w.Worker + 1
			}
			if err := into.InsertUsage(ctx, runID, us); err != nil {
				return "", 0, err
			}
			for _, wn := range w.run.Warnings {
				wn.Text = fmt.Sprintf("worker %d: %s", w.Worker, wn.Text)
				if err := into.AddWarning(ctx, runID, wn); err != nil {
					return "", 0, err
				}
			}
			loadRan = max(loadRan, time.Duration(w.run.DurationS*float64(time.Second)))
			scheduled += w.run.Scheduled
			lost += w.run.LostSamples
		}
		if lostText := w.lost(cfg); lostText != "" && !together {
			status = store.StatusIncomplete
			if err := into.AddWarning(ctx, runID, analysis.Warning{Code: WorkerLost, Text: lostText}); err != nil {
				return "", 0, err
			}
		}
		if w.ClockSync != ClockSynchronised && !oneClock {
			if err := into.AddWarning(ctx, runID, analysis.Warning{Code: ClockNotSynced, Text: fmt.Sprintf(
				"worker %d (%s): its clock is %s to be synchronised: the workers' samples may not line up in time", w.Worker, w.where(), clockWord(w.ClockSync))}); err != nil {
				return "", 0, err
			}
		}
		if err := into.AddRunWorker(ctx, runID, w.RunWorker); err != nil {
			return "", 0, err
		}
	}
	if loadRan == 0 {
		loadRan = cfg.TotalDuration()
	}
	return status, loadRan, into.SetCounts(ctx, runID, scheduled, lost)
}

// oneHost reports whether every worker ran on the same, known host.
func oneHost(ws []*worker) bool {
	for _, w := range ws {
		if w.Host == "" || w.Host != ws[0].Host {
			return false
		}
	}
	return true
}

func clockWord(s string) string {
	if s == ClockUnsynchronised {
		return "said by its kernel not"
	}
	return "not known"
}

// copySamples streams a worker's samples into the merged run.
func copySamples(ctx context.Context, into *store.DB, runID int64, w *worker) error {
	wr := store.NewWriter(into, runID)
	var last time.Duration
	err := w.db.EachSample(ctx, w.run.ID, func(s load.Sample) error {
		wr.Add(s)
		w.Samples++
		last = max(last, s.Start)
		return nil
	})
	w.LastSampleMS = last.Milliseconds()
	if cerr := wr.Close(); err == nil {
		err = cerr
	}
	if err == nil && wr.Lost() > 0 {
		err = fmt.Errorf("worker %d: %d samples could not be stored: %w", w.Worker, wr.Lost(), wr.Err())
	}
	return err
}

// allAborted reports whether every worker's run was interrupted: the test
// was stopped as a whole (exp dist local's Ctrl-C). One interrupted alone
// (a pod evicted) lost its share.
func allAborted(ws []*worker) bool {
	for _, w := range ws {
		if w.Status != store.StatusAborted {
			return false
		}
	}
	return true
}

// lost says what the merged run lacks of this worker ("" when nothing).
func (w *worker) lost(cfg load.RunConfig) string {
	planned := units.RunLength(cfg.TotalDuration())
	at := units.RunLength(time.Duration(w.LastSampleMS) * time.Millisecond)
	switch w.Status {
	case store.StatusCompleted:
		return ""
	case store.StatusMissing:
		if w.ready == nil {
			return fmt.Sprintf("worker %d never became ready and stored nothing: its share of the load is missing", w.Worker)
		}
		return fmt.Sprintf("worker %d (%s) was ready but stored no run: its share of the load is missing", w.Worker, w.where())
	case store.StatusRunning:
		return fmt.Sprintf("worker %d (%s) died mid-run: its last sample started at %s of %s, its %d samples are kept and the rest of its share is missing",
			w.Worker, w.where(), at, planned, w.Samples)
	}
	return fmt.Sprintf("worker %d (%s) ended %s: its last sample started at %s of %s (%d samples kept)", w.Worker, w.where(), w.Status, at, planned, w.Samples)
}

func (w *worker) where() string {
	if w.Host == "" {
		return "host unknown"
	}
	return fmt.Sprintf("pid %d on %s", w.PID, w.Host)
}
