//go:build unix && !linux

package web

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// startLowered starts cmd, then lowers the child's priority by childNice:
// elsewhere than on Linux a nice value belongs to the whole process.
func startLowered(cmd *exec.Cmd) error {
	// A group of its own: a Ctrl-C meant for the server must not stop the
	// ingest the server is waiting for.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	if p, err := unix.Getpriority(unix.PRIO_PROCESS, cmd.Process.Pid); err == nil {
		_ = unix.Setpriority(unix.PRIO_PROCESS, cmd.Process.Pid, min(19, p+childNice))
	}
	return nil
}
