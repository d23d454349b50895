// Package k8s renders a distributed run as Kubernetes objects: what
// `exp dist render` prints.
//
// In: a Spec — how many workers, the image, the ReadWriteMany claim that
// holds the results, the Job's name and namespace, each worker's CPU and
// memory request, and exp run's arguments (--url among them: the workers
// load an external server, one for all of them). Spec.Check refuses a bad
// value as an *input.Error naming the Spec's field ("workers", "image",
// "run-args", ...).
//
// Out: YAML text, two documents. The first is an Indexed Job of N pods,
// each running `exp run --segments N --results /results/NAME RUN ARGS...`
// (the worker's index is JOB_COMPLETION_INDEX, set by Kubernetes); no
// failed pod is ever replaced (backoffLimit 0 and a pod failure policy
// that fails the Job), since a second pod with the same index would double
// that share of the load. Topology spread puts the workers on different
// nodes. The second is the merge Job, `exp merge /results/NAME --into
// /results/NAME/exp.db --name NAME`, created suspended: it is resumed once
// the workers' Job has finished (the kubectl lines are in the YAML's
// header comment and in the README, "Running on Kubernetes").
//
// The YAML is written from a template, every string through one quoting
// function; the package does not depend on k8s.io/api (its test decodes
// the output strictly into k8s.io/api's types).
package k8s
