package k8s

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestREADMEObjects: the objects that the README's "Running on
// Kubernetes" has you apply besides the rendered Jobs — the results claim
// and the pod that copies the database out — decode strictly into
// core/v1 types and fit what Render gives: a ReadWriteMany claim of the
// default name, mounted at the results directory.
func TestREADMEObjects(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Running on Kubernetes")
	if !ok {
		t.Fatal(`README.md has no "Running on Kubernetes" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)\n( *)```yaml\n(.*?)\n *```").FindAllStringSubmatch(section, -1)
	var pvc, pod bool
	for _, m := range blocks {
		// The blocks are indented under list items.
		doc := regexp.MustCompile("(?m)^"+m[1]).ReplaceAllString(m[2], "")
		var head struct{ Kind string }
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		switch head.Kind {
		case "PersistentVolumeClaim":
			var c corev1.PersistentVolumeClaim
			strictDecode(t, []byte(doc), &c)
			if c.APIVersion != "v1" || c.Name != Defaults().PVC || !slices.Contains(c.Spec.AccessModes, corev1.ReadWriteMany) {
				t.Errorf("the README's claim %s %q modes %v: want v1, %q, ReadWriteMany", c.APIVersion, c.Name, c.Spec.AccessModes, Defaults().PVC)
			}
			if _, ok := c.Spec.Resources.Requests[corev1.ResourceStorage]; !ok {
				t.Error("the README's claim requests no storage")
			}
			pvc = true
		case "Pod":
			var p corev1.Pod
			strictDecode(t, []byte(doc), &p)
			mounted := false
			for _, v := range p.Spec.Volumes {
				if v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != Defaults().PVC {
					continue
				}
				for _, vm := range p.Spec.Containers[0].VolumeMounts {
					mounted = mounted || vm.Name == v.Name && vm.MountPath == ResultsMount
				}
			}
			if p.APIVersion != "v1" || !mounted {
				t.Errorf("the README's pod (%s) does not mount the claim %q at %s", p.APIVersion, Defaults().PVC, ResultsMount)
			}
			pod = true
		default:
			t.Errorf("a YAML block of kind %q: this test knows PersistentVolumeClaim and Pod", head.Kind)
		}
	}
	if !pvc || !pod {
		t.Errorf("found the claim: %v, the copying pod: %v; want both", pvc, pod)
	}
}
