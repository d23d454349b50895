package lab

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"exp/compare"
	"exp/input"
	"exp/store"
	"exp/verdict"
)

// Repeated is what a group of repeated runs left: the group and the
// outcome of each run made (fewer than asked when one failed or was
// interrupted).
type Repeated struct {
	GroupID  int64
	Group    string
	Outcomes []Outcome
}

// MaxRepeats bounds --repeat.
const MaxRepeats = 100

// RunRepeats makes spec n times, each with a fresh target process, stored
// as the runs NAME-1 ... NAME-n of the group NAME (spec.Load.Name, or the
// next free VARIANT-LOAD-group-K). kind is store.GroupRepeat or
// store.GroupCalibration. It stops at the first run that does not
// complete and returns what was made with the error.
func (l *Lab) RunRepeats(ctx context.Context, spec RunSpec, n int, kind string) (Repeated, error) {
	if n < 1 || n > MaxRepeats {
		return Repeated{}, input.Errorf("repeat", "must be 1 to %d, got %d", MaxRepeats, n)
	}
	if err := spec.Check(); err != nil {
		return Repeated{}, err
	}
	name := spec.Load.Name
	var err error
	if name == "" {
		if name, err = l.DB.NextGroupName(ctx, namePrefix(spec)+"-group"); err != nil {
			return Repeated{}, err
		}
	}
	gid, err := l.DB.CreateGroup(ctx, name, kind, n)
	if errors.Is(err, store.ErrNameTaken) {
		return Repeated{}, input.Wrap("name", err)
	}
	if err != nil {
		return Repeated{}, err
	}
	rep := Repeated{GroupID: gid, Group: name}
	for i := 1; i <= n; i++ {
		s := spec
		s.Load.Name = fmt.Sprintf("%s-%d", name, i)
		out, err := l.Run(ctx, s)
		if out.RunID != 0 {
			rep.Outcomes = append(rep.Outcomes, out)
			if lerr := l.DB.AddGroupRun(context.WithoutCancel(ctx), gid, i, out.RunID); lerr != nil {
				return rep, lerr
			}
		}
		if err != nil {
			return rep, err
		}
		if out.Status != store.StatusCompleted {
			return rep, fmt.Errorf("group %s: run %s ended %s: the repeats stop there", name, out.Name, out.Status)
		}
	}
	return rep, nil
}

// Side is one side of a comparison as stored: a run, or a group's runs.
type Side struct {
	Name  string
	Group *store.Group // nil for a single run
	Runs  []Stored
}

// LoadSide loads a group by name, or else a run.
func LoadSide(ctx context.Context, db *store.DB, name string) (Side, error) {
	g, err := db.FindGroup(ctx, name)
	if err == nil {
		if len(g.RunIDs) == 0 {
			return Side{}, input.Errorf("runs", "group %s has no runs", g.Name)
		}
		runs, err := LoadAll(ctx, db, g.RunIDs)
		return Side{Name: g.Name, Group: &g, Runs: runs}, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return Side{}, err
	}
	r, err := db.FindRun(ctx, name)
	if err != nil {
		return Side{}, fmt.Errorf("%q is neither a group nor a run: %w", name, err)
	}
	s, err := Load(ctx, db, r.ID)
	return Side{Name: s.Run.Name, Runs: []Stored{s}}, err
}

// SideNames are the sides of a comparison, the baseline ("" for the
// first name) first, each once; fewer than two is an *input.Error.
func SideNames(names []string, baseline string) ([]string, error) {
	if baseline != "" {
		names = append([]string{baseline}, names...)
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) < 2 {
		return nil, input.Errorf("runs", "compare needs at least two different runs or groups")
	}
	return out, nil
}

// LoadSides loads the sides of a comparison by name (a group's or a
// run's), refusing a run that would be on two of them.
func LoadSides(ctx context.Context, db *store.DB, names []string) ([]Side, error) {
	sides := make([]Side, len(names))
	seen := map[int64]string{}
	for i, n := range names {
		s, err := LoadSide(ctx, db, n)
		if err != nil {
			return nil, err
		}
		for _, r := range s.Runs {
			if other, ok := seen[r.Run.ID]; ok {
				return nil, input.Errorf("runs", "run %s is on two sides (%s and %s)", r.Run.Name, other, s.Name)
			}
			seen[r.Run.ID] = s.Name
		}
		sides[i] = s
	}
	return sides, nil
}

// CompareRun is what the comparison needs of a stored run: its answered
// latencies with their seconds, and its successful responses per steady
// second (the seconds at its top load).
func CompareRun(s Stored) compare.Run {
	steady := verdict.SteadySeconds(s.Run.Config.Model, s.Summary)
	per := make([]float64, len(steady))
	for i, sec := range steady {
		per[i] = float64(sec.Successes)
	}
	return compare.Run{Name: s.Run.Name, Lat: s.Latencies, Sec: s.Seconds, Throughput: per}
}

// CompareSide is a side as the comparison sees it.
func CompareSide(s Side) compare.Side {
	out := compare.Side{Name: s.Name, Runs: make([]compare.Run, len(s.Runs))}
	for i, r := range s.Runs {
		out.Runs[i] = CompareRun(r)
	}
	return out
}

// Compare gives the changes of every other side against base, with their
// intervals.
func Compare(base Side, others []Side, noise *compare.Noise) [][]compare.Change {
	b := CompareSide(base)
	out := make([][]compare.Change, len(others))
	for i, o := range others {
		out[i] = compare.Compare(b, CompareSide(o), noise)
	}
	return out
}

// LoadNoise is the run-to-run noise of a group: what a calibration
// stored, or else measured from its runs (it needs two at least).
func LoadNoise(ctx context.Context, db *store.DB, name string) (*compare.Noise, error) {
	g, err := db.FindGroup(ctx, name)
	if err != nil {
		return nil, input.Wrap("noise", err)
	}
	stored, err := db.Noise(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	if len(stored) > 0 {
		n := &compare.Noise{Group: g.Name, SDLog: map[compare.Figure]float64{}}
		for _, s := range stored {
			n.SDLog[compare.Figure(s.Figure)] = s.SDLog
			n.Runs = s.Runs
		}
		return n, nil
	}
	side, err := LoadSide(ctx, db, g.Name)
	if err != nil {
		return nil, err
	}
	if len(side.Runs) < 2 {
		return nil, input.Errorf("noise", "group %s has %d run: its spread needs two at least", g.Name, len(side.Runs))
	}
	n := compare.Measure(g.Name, CompareSide(side).Runs)
	return &n, nil
}

// Calibrate runs spec n times as a calibration group and stores the
// spread of each figure across the runs, the run-to-run noise exp compare
// --noise uses.
func (l *Lab) Calibrate(ctx context.Context, spec RunSpec, n int) (Repeated, compare.Noise, error) {
	if n < 3 {
		return Repeated{}, compare.Noise{}, input.Errorf("repeat", "a calibration needs 3 runs at least, got %d", n)
	}
	rep, err := l.RunRepeats(ctx, spec, n, store.GroupCalibration)
	if err != nil {
		return rep, compare.Noise{}, err
	}
	side, err := LoadSide(ctx, l.DB, rep.Group)
	if err != nil {
		return rep, compare.Noise{}, err
	}
	noise := compare.Measure(rep.Group, CompareSide(side).Runs)
	var rows []store.GroupNoise
	for _, f := range compare.Figures {
		if sd, ok := noise.SDLog[f]; ok {
			rows = append(rows, store.GroupNoise{Figure: string(f), Runs: noise.Runs, SDLog: sd})
		}
	}
	return rep, noise, l.DB.SaveNoise(context.WithoutCancel(ctx), rep.GroupID, rows)
}
