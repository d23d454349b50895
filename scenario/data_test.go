package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A queue split across workers hands out each row once in all.
func TestFeederSplit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rows.csv")
	var b strings.Builder
	b.WriteString("id\n")
	for i := range 10 {
		fmt.Fprintf(&b, "%d\n", i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 4; n++ {
		var used []string
		for i := range n {
			f, err := loadFeeder(DataSpec{Name: "rows", Strategy: Queue}, path)
			if err != nil {
				t.Fatal(err)
			}
			f.Split(i, n)
			for {
				r, err := f.Row(&State{})
				if errors.Is(err, ErrDataUsedUp) {
					break
				}
				used = append(used, r[0])
			}
		}
		slices.Sort(used)
		if want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(used, want) {
			t.Errorf("%d workers used rows %v, want each once", n, used)
		}
	}
}
