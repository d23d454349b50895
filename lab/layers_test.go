package lab

import (
	"os/exec"
	"strings"
	"testing"
)

// layer is each package's place in the architecture (README, "Packages"):
// a package may import only packages of a lower layer.
var layer = map[string]int{
	"exp/input": 0, "exp/units": 0, "exp/internal/skiplog": 0,
	"exp/scenario": 1, "exp/monitor": 1,
	"exp/target": 2, "exp/load": 2, "exp/locustfile": 2, "exp/dist/k8s": 2,
	"exp/analysis": 3,
	"exp/verdict":  4, "exp/store": 4, "exp/locust": 4, "exp/compare": 4,
	"exp/plots": 5, "exp/report": 5,
	"exp/lab":      6,
	"exp/dist":     7,
	"exp/runflags": 8,
	"exp/ui":       9,
	"exp/cmd/exp":  10,
}

// forbidden are imports that the layers allow but the design does not:
// the store keeps a generic percentile ladder, the Locust format lives in
// locust alone.
var forbidden = map[[2]string]bool{{"exp/store", "exp/locust"}: true}

// TestLayers fails when a package imports one above it (or beside it
// where that is forbidden), read from `go list` over the whole module.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "exp/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := f[0]
		lp, ok := layer[pkg]
		if !ok {
			t.Errorf("package %s has no layer: add it to the README's diagram and to this table", pkg)
			continue
		}
		seen++
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, "exp/") {
				continue
			}
			li, ok := layer[imp]
			switch {
			case !ok:
				t.Errorf("%s imports %s, which has no layer", pkg, imp)
			case li >= lp:
				t.Errorf("%s (layer %d) imports %s (layer %d): a package imports only lower layers", pkg, lp, imp, li)
			case forbidden[[2]string{pkg, imp}]:
				t.Errorf("%s must not import %s", pkg, imp)
			}
		}
	}
	if seen != len(layer) {
		t.Errorf("go list gave %d of the %d packages of the table", seen, len(layer))
	}
}
