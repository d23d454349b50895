package tmpfs

import (
	"os/exec"
	"testing"

	"exp/internal/skiplog"
)

// Mount mounts a tmpfs of size on a new directory for the test, or skips
// it (loudly) where that cannot be done: it needs root.
func Mount(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		skiplog.Skip(t, "cannot mount a small tmpfs for the disk-full test (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}
