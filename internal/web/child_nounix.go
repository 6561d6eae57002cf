//go:build !unix

package web

import "os/exec"

// startLowered starts cmd at the server's priority: there is no nice
// value to lower here.
func startLowered(cmd *exec.Cmd) error { return cmd.Start() }
