package runflags

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"exp/input"
	"exp/lab"
	"exp/target"
)

// Plan defaults: the classic test plan.
const (
	DefaultVariants = "single,pooled,goroutine"
	DefaultLevels   = "10:2,50:5,100:10"
	DefaultCellTime = 3 * time.Minute
)

// PlanRunFlags are the flags of `exp run` that `exp plan` passes to every
// cell; users, spawn rate, variant and name are the plan's to set.
var PlanRunFlags = []string{"url", "duration", "tasks", "wait", "timeout", "keepalive", "header",
	"target-pid", "target-cmd", "sample-every", "threshold", "pool-size", "queue",
	"server-keepalive", "idle-timeout", "cpu-work", "stall-every", "stall-for"}

// Plan are the flags of `exp plan` (and the fields of the web UI's plan
// form): the sweep, and the run flags every cell shares.
type Plan struct {
	run              Flags // shared by every cell
	variants, levels string
	out, name        string
	repeat           int
}

// Bind defines the flags on fs.
func (p *Plan) Bind(fs *pflag.FlagSet) {
	all := pflag.NewFlagSet("run", pflag.ContinueOnError)
	p.run.Bind(all)
	d := all.Lookup("duration")
	d.Value.Set(DefaultCellTime.String())
	d.DefValue, d.Usage = d.Value.String(), "length of each run (cell), from its first user"
	for _, name := range PlanRunFlags {
		if fl := all.Lookup(name); fl != nil {
			fs.AddFlag(fl)
		}
	}
	fs.StringVar(&p.variants, "variants", DefaultVariants, "built-in target variants to sweep, comma-separated")
	fs.StringVar(&p.levels, "levels", DefaultLevels, "load levels users:spawn-rate,... (users per second)")
	fs.StringVar(&p.out, "out", "", "directory of the report (default ./plans/<plan name>/)")
	fs.StringVar(&p.name, "name", "", "unique name of the plan (default plan-N); runs are named <plan>-<variant>-<users>")
	fs.IntVar(&p.repeat, "repeat", 1, "run each cell N times, a group named <plan>-<variant>-<users> (runs ...-1 to ...-N); the report compares the groups")
}

// Spec turns the flags set on fl into a checked PlanSpec, which keeps
// them (Flags) so the plan can be started again as it was.
func (p *Plan) Spec(fl *pflag.FlagSet) (lab.PlanSpec, error) {
	s := lab.PlanSpec{Name: p.name, OutDir: p.out, Repeat: p.repeat, Flags: Given(fl)}
	delete(s.Flags, "name") // a plan started again needs a name of its own
	delete(s.Flags, "out")
	var err error
	if s.Levels, err = lab.ParseLevels(p.levels); err != nil {
		return s, err
	}
	switch {
	case p.run.URL() != "" && fl.Changed("variants"):
		return s, input.Errorf("variants", "sweeps the built-in target and cannot be used with %v", input.Name("url"))
	case p.run.URL() == "":
		if s.Variants, err = target.ParseVariants(p.variants); err != nil {
			return s, err
		}
	}
	if s.Cell, err = p.run.Spec(fl); err != nil {
		return s, err
	}
	return s, s.Check()
}

// Given are the flags set on fl, name → value; a repeatable flag's
// values one a line, as the web UI's form takes them.
func Given(fl *pflag.FlagSet) map[string]string {
	out := map[string]string{}
	fl.Visit(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			out[f.Name] = strings.Join(sv.GetSlice(), "\n")
			return
		}
		out[f.Name] = f.Value.String()
	})
	return out
}

// Args turns flags given (as Given gives them) back into command-line
// arguments, leaving out those drop says; a repeatable flag's values
// become one flag each.
func Args(given map[string]string, drop func(name string) bool) []string {
	names := make([]string, 0, len(given))
	for k := range given {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []string
	for _, k := range names {
		if drop != nil && drop(k) {
			continue
		}
		for _, v := range strings.Split(given[k], "\n") {
			out = append(out, "--"+k+"="+v)
		}
	}
	return out
}

// BuiltinFlag reports whether name is a flag of the built-in target
// (variant, pool-size, ...), which a run against --url does not take.
func BuiltinFlag(name string) bool {
	builtinOnce.Do(func() {
		builtinFlags = map[string]bool{}
		fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
		opts := target.DefaultOptions()
		opts.BindFlags(fs)
		fs.VisitAll(func(fl *pflag.Flag) { builtinFlags[fl.Name] = true })
		builtinFlags["server-keepalive"], builtinFlags["keepalive"] = true, false // renamed in Bind
	})
	return builtinFlags[name]
}

var (
	builtinOnce  sync.Once
	builtinFlags map[string]bool
)
