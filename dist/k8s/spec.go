package k8s

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"exp/input"
)

// ResultsMount is where the results claim is mounted in every pod; a
// run's files are in its own directory below it (Spec.ResultsDir).
const ResultsMount = "/results"

// Spec is a distributed run as Kubernetes will run it.
type Spec struct {
	Name      string // the workers' Job, the results directory and the merged run; the merge Job is Name-merge
	Namespace string // "" leaves it to kubectl (its current namespace)
	Workers   int    // pods of the Indexed Job, each running one segment of the load
	Image     string // an image of exp whose entrypoint is exp (the Dockerfile's)
	PVC       string // a ReadWriteMany PersistentVolumeClaim that every pod mounts at ResultsMount
	CPU       string // each pod's CPU request, a Kubernetes quantity ("1", "500m")
	Memory    string // each pod's memory request and limit ("512Mi")
	RunArgs   []string
}

// Defaults is a Spec with the defaults of exp dist render's flags; Workers,
// Image and RunArgs are left to the caller.
func Defaults() Spec {
	return Spec{Name: "exp", PVC: "exp-results", CPU: "1", Memory: "512Mi"}
}

// MaxWorkers is the most pods an Indexed Job may have (Kubernetes's own
// bound on completions and parallelism).
const MaxWorkers = 100000

// mergeSuffix names the merge Job after the workers' Job.
const mergeSuffix = "-merge"

// ResultsDir is the run's directory in the pods: the workers' ready/ and
// worker-I.db files, then the merged exp.db.
func (s Spec) ResultsDir() string { return ResultsMount + "/" + s.Name }

// MergeName is the merge Job's name.
func (s Spec) MergeName() string { return s.Name + mergeSuffix }

// WorkerArgs are the worker container's arguments (the image's entrypoint
// is exp).
func (s Spec) WorkerArgs() []string {
	a := []string{"run", "--segments", strconv.Itoa(s.Workers), "--results", s.ResultsDir()}
	return append(a, s.RunArgs...)
}

// MergeArgs are the merge container's arguments.
func (s Spec) MergeArgs() []string {
	return []string{"merge", s.ResultsDir(), "--into", s.ResultsDir() + "/exp.db", "--name", s.Name}
}

var (
	// A DNS-1123 label: what Kubernetes takes as a namespace, and as a Job
	// name whose pods' hostnames (NAME-INDEX) must be labels too.
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	// A DNS-1123 subdomain: a PersistentVolumeClaim's name.
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// A positive Kubernetes quantity: a decimal number, then a binary
	// (Ki..Ei) or decimal (m, k, M..E) suffix or a decimal exponent.
	quantity = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`)
)

// Check refuses what Kubernetes would refuse, or what would not make a
// distributed run, as an *input.Error naming the field.
func (s Spec) Check() error {
	switch {
	case s.Workers == 0:
		return input.Errorf("workers", "is required: how many worker pods share the load (1 to %d)", MaxWorkers)
	case s.Workers < 1 || s.Workers > MaxWorkers:
		return input.Errorf("workers", "must be from 1 to %d, got %d", MaxWorkers, s.Workers)
	case s.Image == "":
		return input.Errorf("image", "is required: an image of exp (build it with the Dockerfile)")
	case strings.IndexFunc(s.Image, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || strings.HasPrefix(s.Image, "-"):
		return input.Errorf("image", "%q is not an image reference", s.Image)
	case !dnsLabel.MatchString(s.Name) || len(s.Name) > 63-len(mergeSuffix):
		return input.Errorf("name", "%q: want lower-case letters, digits and '-', at most %d characters, starting and ending with a letter or digit (it names the Jobs, their pods and the results directory)", s.Name, 63-len(mergeSuffix))
	case s.Namespace != "" && (!dnsLabel.MatchString(s.Namespace) || len(s.Namespace) > 63):
		return input.Errorf("namespace", "%q: want lower-case letters, digits and '-', at most 63 characters", s.Namespace)
	case !dnsSubdomain.MatchString(s.PVC) || len(s.PVC) > 253:
		return input.Errorf("pvc", "%q is not a PersistentVolumeClaim name (lower-case letters, digits, '-' and '.')", s.PVC)
	case !positiveQuantity(s.CPU):
		return input.Errorf("cpu", "%q: want a Kubernetes quantity above zero such as 1, 2 or 500m", s.CPU)
	case !positiveQuantity(s.Memory):
		return input.Errorf("memory", "%q: want a Kubernetes quantity above zero such as 512Mi or 2Gi", s.Memory)
	}
	return checkRunArgs(s.RunArgs)
}

// positiveQuantity: a quantity whose number is not zero.
func positiveQuantity(q string) bool {
	m := quantity.FindStringSubmatch(q)
	return m != nil && strings.ContainsAny(m[1], "123456789")
}

// setByRender are exp run's flags that the rendering gives each worker.
var setByRender = []string{"segments", "segment", "results"}

// notInAPod are exp run's flags about a target that a worker's pod cannot
// see: the server runs apart from the workers, one for all of them.
var notInAPod = []string{"target-pid", "target-cmd"}

// checkRunArgs refuses exp run's arguments that would not make a
// distributed run; exp run itself checks the rest when the workers start.
func checkRunArgs(args []string) error {
	url := false
	for i, a := range args {
		if !utf8.ValidString(a) {
			return input.Errorf("run-args", "argument %d is not valid UTF-8 (Kubernetes keeps text as UTF-8)", i+1)
		}
		if a == "--" {
			return input.Errorf("run-args", "take no second --")
		}
		name, value, hasValue := flagOf(a)
		switch {
		case name == "url":
			if !hasValue && i+1 < len(args) {
				value = args[i+1]
			}
			url = value != "" && !strings.HasPrefix(value, "-")
		case slices.Contains(setByRender, name):
			return input.Errorf("run-args", "take no --%s: exp dist render gives each worker --segments and --results", name)
		case slices.Contains(notInAPod, name):
			return input.Errorf("run-args", "take no --%s: the server runs apart from the workers' pods, which cannot see or start it", name)
		}
	}
	if !url {
		return input.Errorf("run-args", "need --url URL: the workers load one external server (the built-in target would be one per worker)")
	}
	return nil
}

// flagOf splits a long flag argument "--name" or "--name=value".
func flagOf(a string) (name, value string, hasValue bool) {
	rest, ok := strings.CutPrefix(a, "--")
	if !ok {
		return "", "", false
	}
	name, value, hasValue = strings.Cut(rest, "=")
	return name, value, hasValue
}
