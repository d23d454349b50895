//go:build windows

package target

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// setProcessGroup keeps a console Ctrl-C from reaching the child directly:
// the parent stops the target when the run is done with it.
func setProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= syscall.CREATE_NEW_PROCESS_GROUP
}

// shellCommand passes cmdline to cmd.exe verbatim: Go's argument quoting
// would garble the quotes cmd /C expects.
func shellCommand(cmdline string) *exec.Cmd {
	shell := os.Getenv("ComSpec")
	if shell == "" {
		shell = "cmd.exe"
	}
	cmd := exec.Command(shell)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `"` + shell + `" /C ` + cmdline}
	return cmd
}

// terminate: `exp serve` shuts down gracefully when Stop closes its stdin;
// an arbitrary command has no graceful signal on Windows, so its tree is
// ended at once.
func terminate(p *Process) error {
	if p.stdin != nil {
		return nil
	}
	return killTree(p)
}

func kill(p *Process) error {
	_ = killTree(p)
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

func killTree(p *Process) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	// taskkill /T reaches the children of cmd.exe (a Python server and
	// its workers); errors mean the tree is already gone.
	_ = exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(p.PID)).Run()
	return nil
}

func reapGroup(*Process, time.Time) error { return nil }
