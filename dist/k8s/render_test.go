package k8s

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"exp/input"
)

// awkward are arguments YAML would misread if written bare: quotes,
// spaces, comment and mapping signs, YAML 1.1 booleans and numbers,
// escapes, non-ASCII text.
var awkward = []string{
	"-H", `Authorization: Bearer "a b"`, "-H", "X-Note: it's # not a comment",
	"--threshold", "p95<300ms", "--threshold=fail_rate<1%",
	"--name", "yes", "--tasks", "/a:1,/b?x=1&y=2:3",
	"on", "off", "No", "null", "~", "true", "0x1F", "010", "1:20", "1e3", ".5", "-1", "-", "---", "...",
	"", " lead", "trail ", "a: b", "a:", "#hash", "- item", "{x: 1}", "[y]", "*star", "&anchor", "!tag",
	"|", ">", "%d", "@at", "`tick", "'single'", `"double"`, `back\slash`, "tab\there", "new\nline",
	"é ✓ 日本", "\u2028", "\x00", "\x7f",
}

// TestRenderDecodesStrictly: for each spec the YAML holds exactly two
// documents that decode into k8s.io/api's batch/v1 Job with no field
// unknown, and say what a distributed run needs.
func TestRenderDecodesStrictly(t *testing.T) {
	url := []string{"--url", "http://svc:8080"}
	cases := []struct {
		name string
		spec func(*Spec)
	}{
		{"one worker, defaults", func(s *Spec) { s.Workers = 1; s.RunArgs = url }},
		{"eight workers", func(s *Spec) {
			s.Workers = 8
			s.RunArgs = []string{"--url", "http://svc:8080", "--users", "800", "--duration", "5m"}
		}},
		{"namespace, claim, name, resources", func(s *Spec) {
			s.Workers, s.Namespace, s.PVC, s.Name = 8, "load", "shared.results-1", "shop-800"
			s.CPU, s.Memory, s.Image = "500m", "2Gi", "registry.example:5000/team/exp@sha256:"+strings.Repeat("ab", 32)
			s.RunArgs = []string{"--url=http://shop.default.svc.cluster.local/api?x=1", "--rate", "2000"}
		}},
		{"awkward arguments", func(s *Spec) {
			s.Workers, s.Namespace, s.Name, s.CPU, s.Memory = 3, "a", "a", "1.5", "1e9"
			s.RunArgs = append(slices.Clone(url), awkward...)
		}},
		{"the most workers", func(s *Spec) { s.Workers = MaxWorkers; s.RunArgs = url }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Defaults()
			s.Image = "ghcr.io/example/exp:1"
			c.spec(&s)
			out, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			docs := documents(t, out)
			if len(docs) != 2 {
				t.Fatalf("%d documents, want the workers' Job and the merge Job:\n%s", len(docs), out)
			}
			workers, merge := decodeJob(t, docs[0]), decodeJob(t, docs[1])
			checkWorkers(t, s, workers)
			checkMerge(t, s, merge)
			// The spread counts the workers only, not the merge's pod.
			sel, err := metav1.LabelSelectorAsSelector(workers.Spec.Template.Spec.TopologySpreadConstraints[0].LabelSelector)
			if err != nil {
				t.Fatal(err)
			}
			if !sel.Matches(labels.Set(workers.Spec.Template.Labels)) || sel.Matches(labels.Set(merge.Spec.Template.Labels)) {
				t.Errorf("spread selector %v: workers' labels %v must match, the merge's %v must not",
					sel, workers.Spec.Template.Labels, merge.Spec.Template.Labels)
			}
		})
	}
}

// documents splits a YAML stream, leaving out documents of comments only.
func documents(t *testing.T, out []byte) [][]byte {
	t.Helper()
	var docs [][]byte
	for _, d := range bytes.Split(out, []byte("\n---\n")) {
		var y any
		if err := yaml.Unmarshal(d, &y); err != nil {
			t.Fatalf("document does not parse: %v\n%s", err, d)
		}
		if y != nil {
			docs = append(docs, d)
		}
	}
	return docs
}

// decodeJob decodes as Kubernetes does (YAML to JSON), failing on a
// duplicate key, an unknown field or a value of the wrong type.
func decodeJob(t *testing.T, doc []byte) batchv1.Job {
	t.Helper()
	var job batchv1.Job
	strictDecode(t, doc, &job)
	if job.APIVersion != "batch/v1" || job.Kind != "Job" {
		t.Fatalf("apiVersion %q kind %q, want batch/v1 Job", job.APIVersion, job.Kind)
	}
	return job
}

func strictDecode(t *testing.T, doc []byte, into any) {
	t.Helper()
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		t.Fatalf("YAML to JSON: %v\n%s", err, doc)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("strict decode into %T: %v\n%s", into, err, doc)
	}
}

func checkWorkers(t *testing.T, s Spec, job batchv1.Job) {
	t.Helper()
	js := job.Spec
	if job.Name != s.Name || job.Namespace != s.Namespace {
		t.Errorf("Job %s/%s, want %s/%s", job.Namespace, job.Name, s.Namespace, s.Name)
	}
	if js.CompletionMode == nil || *js.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode %v, want Indexed", js.CompletionMode)
	}
	if js.Completions == nil || js.Parallelism == nil || int(*js.Completions) != s.Workers || int(*js.Parallelism) != s.Workers {
		t.Errorf("completions %v parallelism %v, want both %d", deref(js.Completions), deref(js.Parallelism), s.Workers)
	}
	if js.BackoffLimit == nil || *js.BackoffLimit != 0 {
		t.Errorf("backoffLimit %v, want 0", deref(js.BackoffLimit))
	}
	if js.Suspend != nil && *js.Suspend {
		t.Error("the workers' Job is suspended")
	}
	checkFailurePolicy(t, js.PodFailurePolicy)
	pod := js.Template.Spec
	c := checkPod(t, s, pod, "worker")
	want := append([]string{"run", "--segments", strconv.Itoa(s.Workers), "--results", "/results/" + s.Name}, s.RunArgs...)
	if !reflect.DeepEqual(c.Args, want) {
		t.Errorf("worker args differ from the given ones:\n got %q\nwant %q", c.Args, want)
	}
	if len(pod.TopologySpreadConstraints) != 1 {
		t.Fatalf("%d topology spread constraints, want 1", len(pod.TopologySpreadConstraints))
	}
	tsc := pod.TopologySpreadConstraints[0]
	if tsc.TopologyKey != "kubernetes.io/hostname" || tsc.MaxSkew != 1 || tsc.WhenUnsatisfiable != corev1.DoNotSchedule || tsc.LabelSelector == nil {
		t.Errorf("topology spread %+v, want at most one worker more per node than on another", tsc)
	}
}

// checkFailurePolicy: any failed or disrupted worker fails the Job, so
// no pod is started again with its index.
func checkFailurePolicy(t *testing.T, p *batchv1.PodFailurePolicy) {
	t.Helper()
	if p == nil {
		t.Fatal("no podFailurePolicy")
	}
	var disruption, exitCodes bool
	for _, r := range p.Rules {
		if r.Action != batchv1.PodFailurePolicyActionFailJob {
			t.Errorf("rule %+v: action %s, want FailJob", r, r.Action)
		}
		for _, pc := range r.OnPodConditions {
			disruption = disruption || pc.Type == corev1.DisruptionTarget
		}
		if e := r.OnExitCodes; e != nil {
			exitCodes = e.Operator == batchv1.PodFailurePolicyOnExitCodesOpNotIn && slices.Equal(e.Values, []int32{0}) &&
				e.ContainerName != nil && *e.ContainerName == "exp"
		}
	}
	if !disruption || !exitCodes {
		t.Errorf("podFailurePolicy %+v: want FailJob on DisruptionTarget and on any exit code but 0", p)
	}
}

func checkMerge(t *testing.T, s Spec, job batchv1.Job) {
	t.Helper()
	if job.Name != s.Name+"-merge" || job.Namespace != s.Namespace {
		t.Errorf("merge Job %s/%s, want %s/%s-merge", job.Namespace, job.Name, s.Namespace, s.Name)
	}
	js := job.Spec
	if js.Suspend == nil || !*js.Suspend {
		t.Error("the merge Job is not suspended: it would merge before the workers are done")
	}
	if js.BackoffLimit == nil || *js.BackoffLimit != 0 {
		t.Errorf("merge backoffLimit %v, want 0", deref(js.BackoffLimit))
	}
	if js.Completions != nil && *js.Completions != 1 || js.Parallelism != nil && *js.Parallelism != 1 {
		t.Errorf("merge completions %v parallelism %v, want one pod", deref(js.Completions), deref(js.Parallelism))
	}
	c := checkPod(t, s, js.Template.Spec, "merge")
	dir := "/results/" + s.Name
	if want := []string{"merge", dir, "--into", dir + "/exp.db", "--name", s.Name}; !reflect.DeepEqual(c.Args, want) {
		t.Errorf("merge args %q, want %q", c.Args, want)
	}
}

// checkPod: what the workers' and the merge's pods share (restart policy,
// image, results claim, resources, no root) and gives their container.
func checkPod(t *testing.T, s Spec, pod corev1.PodSpec, what string) corev1.Container {
	t.Helper()
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("%s restartPolicy %q, want Never", what, pod.RestartPolicy)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", what, len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Name != "exp" || c.Image != s.Image || len(c.Command) != 0 {
		t.Errorf("%s container %q image %q command %q, want exp, %q and the image's entrypoint", what, c.Name, c.Image, c.Command, s.Image)
	}
	claim := ""
	for _, v := range pod.Volumes {
		if v.PersistentVolumeClaim != nil {
			claim = v.PersistentVolumeClaim.ClaimName
			for _, m := range c.VolumeMounts {
				if m.Name == v.Name && (m.MountPath != "/results" || m.ReadOnly) {
					t.Errorf("%s: the claim is mounted at %s (read-only %v), want /results read-write", what, m.MountPath, m.ReadOnly)
				}
			}
			if !slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.Name == v.Name }) {
				t.Errorf("%s: volume %s is not mounted", what, v.Name)
			}
		}
	}
	if claim != s.PVC {
		t.Errorf("%s: claim %q, want %q", what, claim, s.PVC)
	}
	req, lim := c.Resources.Requests, c.Resources.Limits
	if !sameQuantity(req[corev1.ResourceCPU], s.CPU) || !sameQuantity(req[corev1.ResourceMemory], s.Memory) || !sameQuantity(lim[corev1.ResourceMemory], s.Memory) {
		t.Errorf("%s resources %v, want cpu %s and memory %s requested, memory limited alike", what, c.Resources, s.CPU, s.Memory)
	}
	if _, ok := lim[corev1.ResourceCPU]; ok {
		t.Errorf("%s: a CPU limit throttles the generator", what)
	}
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Errorf("%s pod may run as root: %+v", what, sc)
	}
	return c
}

func sameQuantity(q resource.Quantity, want string) bool {
	return q.Cmp(resource.MustParse(want)) == 0 && !q.IsZero()
}

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestCheckRefuses: each bad value is an *input.Error naming its field,
// and nothing is rendered.
func TestCheckRefuses(t *testing.T) {
	url := []string{"--url", "http://svc:8080"}
	cases := []struct {
		field string
		spec  func(*Spec)
	}{
		{"workers", func(s *Spec) { s.Workers = 0 }},
		{"workers", func(s *Spec) { s.Workers = MaxWorkers + 1 }},
		{"image", func(s *Spec) { s.Image = "" }},
		{"image", func(s *Spec) { s.Image = "exp latest" }},
		{"image", func(s *Spec) { s.Image = "exp:1\n" }},
		{"name", func(s *Spec) { s.Name = "" }},
		{"name", func(s *Spec) { s.Name = "Shop" }},
		{"name", func(s *Spec) { s.Name = "shop_800" }},
		{"name", func(s *Spec) { s.Name = "shop-" }},
		{"name", func(s *Spec) { s.Name = strings.Repeat("a", 58) }},
		{"namespace", func(s *Spec) { s.Namespace = "load.test" }},
		{"namespace", func(s *Spec) { s.Namespace = strings.Repeat("n", 64) }},
		{"pvc", func(s *Spec) { s.PVC = "" }},
		{"pvc", func(s *Spec) { s.PVC = "Results" }},
		{"cpu", func(s *Spec) { s.CPU = "0" }},
		{"cpu", func(s *Spec) { s.CPU = "0.0m" }},
		{"cpu", func(s *Spec) { s.CPU = "one" }},
		{"cpu", func(s *Spec) { s.CPU = "-1" }},
		{"memory", func(s *Spec) { s.Memory = "512MB" }},
		{"memory", func(s *Spec) { s.Memory = "" }},
		{"run-args", func(s *Spec) { s.RunArgs = nil }},
		{"run-args", func(s *Spec) { s.RunArgs = []string{"--users", "800"} }},
		{"run-args", func(s *Spec) { s.RunArgs = []string{"--url"} }},
		{"run-args", func(s *Spec) { s.RunArgs = []string{"--url="} }},
		{"run-args", func(s *Spec) { s.RunArgs = []string{"--url", "--users", "8"} }},
		{"run-args", func(s *Spec) { s.RunArgs = []string{"--variant", "pooled"} }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--segments", "4") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--segment=1/4") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--results", "/tmp") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--target-cmd", "python app.py") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--target-pid=7") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "--", "x") }},
		{"run-args", func(s *Spec) { s.RunArgs = append(slices.Clone(url), "-H", "X: \xff") }},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d-%s", i, c.field), func(t *testing.T) {
			s := Defaults()
			s.Workers, s.Image, s.RunArgs = 2, "exp:1", url
			c.spec(&s)
			out, err := Render(s)
			e, ok := input.As(err)
			if !ok || e.Field != c.field || out != nil {
				t.Fatalf("Render(%+v) = %d bytes, %v; want an input error on %q and nothing", s, len(out), err, c.field)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error on more than one line: %q", err)
			}
		})
	}
}

// FuzzQuote: a quoted string reads back as itself through Kubernetes's
// YAML reader, as a value and as an item of a list.
func FuzzQuote(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Add("http://svc:8080")
	f.Add("--users")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("Check refuses text that is not UTF-8")
		}
		doc := "v: " + quote(s) + "\nl:\n- " + quote(s) + "\n"
		var got struct {
			V string   `json:"v"`
			L []string `json:"l"`
		}
		strictDecode(t, []byte(doc), &got)
		if got.V != s || len(got.L) != 1 || got.L[0] != s {
			t.Fatalf("quote(%q) = %s reads back as %q and %q", s, quote(s), got.V, got.L)
		}
	})
}
