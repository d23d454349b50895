// Package tmpfs gives a test a small file system of its own, to fill up:
// a size in ("3m"), the directory of a mounted tmpfs out, unmounted when
// the test ends, or a loud skip (internal/skiplog) where it cannot be
// mounted (not root, not Linux). The store's and the CLI's disk-full
// tests use it.
package tmpfs
