package lab

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"exp/input"
	"exp/load"
	"exp/locustfile"
	"exp/scenario"
	"exp/store"
)

// ReadScenario reads and compiles a scenario file (YAML).
func ReadScenario(path string) (*scenario.Scenario, error) {
	sc, _, err := scenario.Read(path, scenarioOptions())
	return sc, err
}

func scenarioOptions() scenario.Options {
	return scenario.Options{CheckWait: func(s string) error {
		_, err := load.ParseWait(s)
		return err
	}}
}

// UseScenario makes cfg run sc: its endpoints as the run's tasks, and the
// scenario as written (secrets redacted) with its data files' hashes
// stored with the run. The scenario runs the closed model.
func UseScenario(cfg *load.RunConfig, sc *scenario.Scenario) error {
	cfg.Scenario = sc
	cfg.Tasks = load.ScenarioTasks(sc)
	y, err := scenario.Marshal(scenario.Redacted(sc.File, load.IsSecret))
	if err != nil {
		return input.Errorf("scenario", "print: %v", err)
	}
	cfg.ScenarioFile = string(y)
	cfg.ScenarioData = nil
	for _, f := range sc.Feeders {
		cfg.ScenarioData = append(cfg.ScenarioData, load.ScenarioData{Name: f.Name, File: f.Path, SHA256: f.SHA256, Rows: f.Rows()})
	}
	return nil
}

// ReadLocustfile reads a locustfile as a scenario.
func ReadLocustfile(path string) (*scenario.Scenario, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, input.Errorf("locustfile", "%v", err)
	}
	f, err := locustfile.Parse(path, src)
	if err != nil {
		return nil, err
	}
	opt := scenarioOptions()
	opt.Dir = filepath.Dir(path)
	sc, err := scenario.Compile(f, opt)
	if err != nil {
		// The scenario it gave names no line of the Python: say where
		// the model went wrong.
		return nil, input.Errorf("locustfile", "%s: %v", path, err)
	}
	return sc, nil
}

// PrintScenario prints the scenario stored with a run (nothing for a run
// without one): the file as written, secrets redacted, and its data files.
func PrintScenario(w io.Writer, r store.Run) error {
	if r.Config.ScenarioFile == "" {
		return nil
	}
	fmt.Fprintln(w, "\nScenario (as stored, secrets redacted):")
	for _, line := range strings.SplitAfter(strings.TrimRight(r.Config.ScenarioFile, "\n"), "\n") {
		fmt.Fprintf(w, "  %s", line)
	}
	fmt.Fprintln(w)
	for _, d := range r.Config.ScenarioData {
		fmt.Fprintf(w, "Data %s: %s, %d rows, sha256 %s\n", d.Name, d.File, d.Rows, d.SHA256)
	}
	return nil
}

// ScenarioYAML is the scenario a run of spec would run, as YAML: what
// `exp run --print-scenario` prints. A spec without one is an
// *input.Error ("print-scenario").
func ScenarioYAML(spec RunSpec) ([]byte, error) {
	sc := spec.Load.Scenario
	if sc == nil {
		return nil, input.Errorf("print-scenario", "goes with --scenario or --locustfile")
	}
	return scenario.Marshal(sc.File)
}
