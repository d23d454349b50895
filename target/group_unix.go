//go:build unix && !linux

package target

// groupAlive reports whether process group pgid has any member left.
func groupAlive(pgid int) bool { return groupHasMembers(pgid) }
