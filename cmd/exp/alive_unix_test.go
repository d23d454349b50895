//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// assertGone fails unless process pid has exited (and been reaped).
func assertGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("target process %d still alive after the run", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
