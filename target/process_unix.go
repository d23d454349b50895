//go:build unix

package target

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup makes the child lead its own process group, so a
// terminal's Ctrl-C reaches only the parent (which stops the target when
// the run is done with it) and Stop can signal the child's whole tree.
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

func shellCommand(cmdline string) *exec.Cmd { return exec.Command("sh", "-c", cmdline) }

func terminate(p *Process) error { return signalGroup(p.PID, syscall.SIGTERM) }

func kill(p *Process) error { return signalGroup(p.PID, syscall.SIGKILL) }

// signalGroup signals every process of the group led by pgid; a group that
// is already gone is not an error.
func signalGroup(pgid int, sig syscall.Signal) error {
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// reapGroup waits, until deadline, for the rest of the group (a shell's
// workers, say) to leave after its leader has, then kills what is left.
func reapGroup(p *Process, deadline time.Time) error {
	for groupAlive(p.PID) {
		if time.Now().After(deadline) {
			return signalGroup(p.PID, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// groupHasMembers asks the kernel whether signal 0 reaches anyone in the
// group; zombies count.
func groupHasMembers(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }
