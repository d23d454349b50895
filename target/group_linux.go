package target

import (
	"os"
	"strconv"
	"strings"
)

// groupAlive reports whether any live process is in process group pgid.
// Zombies do not count: an orphaned worker lingers as one until init reaps
// it, and some inits (in containers and VMs) take seconds to.
func groupAlive(pgid int) bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return groupHasMembers(pgid)
	}
	want := strconv.Itoa(pgid)
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // it just left
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and ')'.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) >= 3 && fields[2] == want && fields[0] != "Z" {
			return true
		}
	}
	return false
}
