package lab

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// forbidden are imports that the layers allow but the design does not:
// the store keeps a generic percentile ladder, the Locust format lives in
// locust alone.
var forbidden = map[[2]string]bool{{"exp/store", "exp/locust"}: true}

// diagramPackage is a package's line of the README's architecture
// diagram: its layer and what it imports.
type diagramPackage struct {
	layer   int
	imports []string // exp/..., sorted
}

// column splits a diagram line at runs of two spaces or more.
var column = regexp.MustCompile(`\s{2,}`)

// readDiagram reads the README's diagram (section "Architecture", the
// first fenced block): "layer  package  imports  what crosses", an imports
// list that goes on over the next lines (no layer) when long, "-" for none.
func readDiagram(t *testing.T) map[string]diagramPackage {
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]diagramPackage{}
	in, fence, last := false, 0, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## Architecture"):
			in = true
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "```"):
			if fence++; fence == 2 {
				return out
			}
			continue
		case fence == 0:
			continue
		}
		cols := column.Split(strings.TrimSpace(line), -1)
		layer, err := strconv.Atoi(cols[0])
		if err != nil { // the imports of the line above, continued
			if last != "" && len(cols) > 0 {
				p := out[last]
				p.imports = append(p.imports, importList(cols[0])...)
				slices.Sort(p.imports)
				out[last] = p
			}
			continue
		}
		if len(cols) < 3 {
			t.Fatalf("README diagram line %q: want layer, package, imports", line)
		}
		last = "exp/" + cols[1]
		out[last] = diagramPackage{layer: layer, imports: importList(cols[2])}
	}
	t.Fatal("README: no architecture diagram")
	return nil
}

func importList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && p != "-" {
			out = append(out, "exp/"+p)
		}
	}
	slices.Sort(out)
	return out
}

// TestLayers fails when a package imports one of its layer or above (or
// beside it where that is forbidden), or when the README's diagram says
// otherwise than `go list` over the whole module.
func TestLayers(t *testing.T) {
	layer := readDiagram(t)
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "exp/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := f[0]
		d, ok := layer[pkg]
		if !ok {
			t.Errorf("package %s is not in the README's architecture diagram", pkg)
			continue
		}
		seen++
		var imports []string
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, "exp/") {
				continue
			}
			imports = append(imports, imp)
			li, ok := layer[imp]
			switch {
			case !ok:
				t.Errorf("%s imports %s, which is not in the diagram", pkg, imp)
			case li.layer >= d.layer:
				t.Errorf("%s (layer %d) imports %s (layer %d): a package imports only lower layers", pkg, d.layer, imp, li.layer)
			case forbidden[[2]string{pkg, imp}]:
				t.Errorf("%s must not import %s", pkg, imp)
			}
		}
		slices.Sort(imports)
		if !slices.Equal(imports, d.imports) {
			t.Errorf("%s imports %v; the README's diagram says %v", pkg, imports, d.imports)
		}
	}
	if seen != len(layer) {
		t.Errorf("go list gave %d of the %d packages of the diagram", seen, len(layer))
	}
}
