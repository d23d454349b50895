package k8s

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"unicode"
)

// Render checks s and gives its YAML: the workers' Indexed Job, then the
// suspended merge Job.
func Render(s Spec) ([]byte, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := jobs.Execute(&b, view{s, s.WorkerArgs(), s.MergeArgs()}); err != nil {
		// The template is fixed and every value is checked: a bug.
		panic("k8s: render: " + err.Error())
	}
	return b.Bytes(), nil
}

type view struct {
	Spec
	Args, Merge []string
}

// NS is kubectl's namespace flag for the header comment's lines.
func (v view) NS() string {
	if v.Namespace == "" {
		return ""
	}
	return " -n " + v.Namespace
}

// Labels are the labels of the run's objects, one a line at indent: the
// workers' pods are told apart from the merge's by their component.
func (v view) Labels(indent int, component string) string {
	pad := "\n" + strings.Repeat(" ", indent)
	return pad + "app.kubernetes.io/name: exp" +
		pad + "app.kubernetes.io/instance: " + quote(v.Name) +
		pad + "app.kubernetes.io/component: " + quote(component)
}

// Mount is where the results claim is mounted.
func (view) Mount() string { return ResultsMount }

// Why each setting is there:
//   - completionMode Indexed gives each pod its index in
//     JOB_COMPLETION_INDEX, the worker's segment;
//   - backoffLimit 0 and the pod failure policy (which needs restartPolicy
//     Never) fail the Job at the first failed or disrupted pod instead of
//     starting another pod with its index, which would run that segment
//     twice; the other workers are then stopped (SIGTERM: exp keeps what
//     they measured), and the merged run says which worker failed;
//   - the topology spread puts at most one more worker on a node than on
//     any other (different nodes while there are enough of them), over the
//     nodes that the pods may run on (nodeTaintsPolicy Honor);
//   - memory is requested and limited alike; CPU is requested, not
//     limited, since a throttled generator measures itself;
//   - the root filesystem is read-only, /tmp is the working directory.
var jobs = template.Must(template.New("jobs").Funcs(template.FuncMap{"q": quote}).Parse(`# exp dist render: {{.Workers}} workers of exp run (Job {{.Name}}), then exp merge
# (Job {{.MergeName}}, suspended until the workers are done):
#   kubectl{{.NS}} apply -f THIS_FILE
#   kubectl{{.NS}} wait --for=condition=complete --timeout=1h job/{{.Name}}
#   kubectl{{.NS}} patch job/{{.MergeName}} --type=merge -p '{"spec":{"suspend":false}}'
#   kubectl{{.NS}} wait --for=condition=complete --timeout=1h job/{{.MergeName}}
# (a --timeout longer than the run). If the workers' Job failed, resume the
# merge all the same: the merged run is incomplete and names the worker.
# The merged run is {{.ResultsDir}}/exp.db on the claim {{.PVC}}.
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{q .Name}}
{{- if .Namespace}}
  namespace: {{q .Namespace}}
{{- end}}
  labels:{{.Labels 4 "worker"}}
spec:
  completionMode: Indexed
  completions: {{.Workers}}
  parallelism: {{.Workers}}
  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: FailJob
      onPodConditions:
      - type: DisruptionTarget
    - action: FailJob
      onExitCodes:
        containerName: exp
        operator: NotIn
        values: [0]
  template:
    metadata:
      labels:{{.Labels 8 "worker"}}
    spec:
      restartPolicy: Never
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: DoNotSchedule
        nodeTaintsPolicy: Honor
        labelSelector:
          matchLabels:{{.Labels 12 "worker"}}
{{- template "pod" .}}
        args:
{{- range .Args}}
        - {{q .}}
{{- end}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{q .MergeName}}
{{- if .Namespace}}
  namespace: {{q .Namespace}}
{{- end}}
  labels:{{.Labels 4 "merge"}}
spec:
  suspend: true
  backoffLimit: 0
  template:
    metadata:
      labels:{{.Labels 8 "merge"}}
    spec:
      restartPolicy: Never
{{- template "pod" .}}
        args:
{{- range .Merge}}
        - {{q .}}
{{- end}}
{{- define "pod"}}
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      volumes:
      - name: results
        persistentVolumeClaim:
          claimName: {{q .PVC}}
      - name: tmp
        emptyDir: {}
      containers:
      - name: exp
        image: {{q .Image}}
        workingDir: /tmp
        resources:
          requests:
            cpu: {{q .CPU}}
            memory: {{q .Memory}}
          limits:
            memory: {{q .Memory}}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
        volumeMounts:
        - name: results
          mountPath: {{q .Mount}}
        - name: tmp
          mountPath: /tmp
{{- end}}
`))

// plain is a string YAML reads as that string when written bare, in
// YAML 1.1 (Kubernetes's reader) as in 1.2: it starts with a letter, a
// slash or one or two dashes and a letter, holds no space and nothing
// that begins a comment or a mapping.
var plain = regexp.MustCompile(`^(--?)?[A-Za-z/][A-Za-z0-9/._:@%+=-]*$`)

// boolish are words YAML 1.1 reads as booleans or null.
var boolish = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true}

// quote writes s as a YAML scalar: bare when that reads back as s, else
// double-quoted, with an escape for the quote, the backslash and every
// rune that is not printable (YAML allows no control character, not even
// DEL or C1, and would fold a raw line break).
func quote(s string) string {
	if plain.MatchString(s) && !strings.HasSuffix(s, ":") && !boolish[strings.ToLower(s)] {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
