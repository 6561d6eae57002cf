package web

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestStartLowered checks that a child starts childNice below the
// server, and that no thread of the server is left lowered.
func TestStartLowered(t *testing.T) {
	before := threadNices(t)
	cmd := exec.Command("cat", "/proc/self/stat")
	var out strings.Builder
	cmd.Stdout = &out
	if err := startLowered(cmd); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if got, want := statNice(t, out.String()), min(19, nice()+childNice); got != want {
		t.Errorf("child's nice %d, want %d", got, want)
	}
	for tid, n := range threadNices(t) {
		if n != nice() {
			t.Errorf("thread %s of the server at nice %d after the start (%v before)", tid, n, before)
		}
	}
}

// threadNices is the nice value of each of this process's threads.
func threadNices(t *testing.T) map[string]int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	nices := map[string]int{}
	for _, task := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/stat")
		if err != nil {
			continue // the thread ended
		}
		nices[task.Name()] = statNice(t, string(b))
	}
	return nices
}

// statNice reads the nice field of a /proc stat line: the 17th after
// the command name, which is in parentheses and may hold spaces.
func statNice(t *testing.T, stat string) int {
	t.Helper()
	fields := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	if len(fields) < 17 {
		t.Fatalf("short stat line %q", stat)
	}
	n, err := strconv.Atoi(fields[16])
	if err != nil {
		t.Fatalf("stat line %q: %v", stat, err)
	}
	return n
}
