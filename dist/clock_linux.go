package dist

import "golang.org/x/sys/unix"

// clockSync is the kernel's view of its clock discipline (adjtimex, read
// only): synchronised when NTP (or chrony, or the host of a container)
// keeps it, unsynchronised when the kernel says so.
func clockSync() string {
	var tx unix.Timex
	state, err := unix.Adjtimex(&tx)
	switch {
	case err != nil:
		return ClockUnknown
	case state == unix.TIME_ERROR || tx.Status&unix.STA_UNSYNC != 0:
		return ClockUnsynchronised
	}
	return ClockSynchronised
}
