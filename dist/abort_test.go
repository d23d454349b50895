package dist

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// abort keeps the first reason, and says so when the others cannot be
// told (they would wait out their ready timeout).
func TestAbort(t *testing.T) {
	dir := t.TempDir()
	base := errors.New("worker 1: boom")
	if err := abort(dir, "first", base); err != base {
		t.Fatalf("abort = %v, want the error unchanged", err)
	}
	if err := abort(dir, "second", base); err != base {
		t.Fatalf("second abort = %v, want the error unchanged", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "aborted")); strings.TrimSpace(string(b)) != "first" {
		t.Errorf("aborted holds %q, want the first reason", b)
	}
	if err := aborted(dir); !errors.Is(err, ErrAborted) || !strings.Contains(err.Error(), "first") {
		t.Errorf("aborted(dir) = %v", err)
	}
	gone := filepath.Join(dir, "no", "such")
	err := abort(gone, "x", base)
	if !errors.Is(err, base) || !strings.Contains(err.Error(), "could not be told") {
		t.Errorf("abort into a missing directory = %v, want base saying the others were not told", err)
	}
}
