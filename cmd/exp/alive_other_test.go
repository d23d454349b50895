//go:build !unix

package main

import "testing"

func assertGone(t *testing.T, pid int) { t.Logf("process check of %d skipped on this OS", pid) }
