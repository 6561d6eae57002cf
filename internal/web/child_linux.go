package web

import (
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// startLowered starts cmd at childNice below the caller's priority. On
// Linux a nice value belongs to a thread and a child inherits its forking
// thread's, so the fork is made from a thread of its own, lowered first
// and left locked, so that it ends with its goroutine rather than serve
// the server at the lower priority.
func startLowered(cmd *exec.Cmd) error {
	// A group of its own: a Ctrl-C meant for the server must not stop the
	// ingest the server is waiting for.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if unix.Gettid() == unix.Getpid() {
			// The main thread never ends (the runtime parks it for good),
			// so the fork is left to another, which holding this one
			// makes sure of.
			started <- startLowered(cmd)
			runtime.UnlockOSThread()
			return
		}
		// Lowering can only fail for want of a thread ID; the child then
		// runs at the server's priority, correct but in the readers' way.
		_ = unix.Setpriority(unix.PRIO_PROCESS, 0, min(19, nice()+childNice))
		started <- cmd.Start()
	}()
	return <-started
}

// nice is the calling thread's nice value.
func nice() int {
	// The raw getpriority system call answers 20 - nice, never negative.
	p, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		return 0
	}
	return 20 - p
}
