//go:build unix

package sqlite

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dossiernews/dossier/internal/store"
)

// lockChildEnv names the database the child process locks.
const lockChildEnv = "DOSSIER_SQLITE_LOCK_CHILD"

const childCommand = "lock test child"

// TestLockChild is the child process of TestLockAcrossProcesses, which runs
// this test binary again with lockChildEnv set. It takes the lock, says so
// on stdout, and holds it until its stdin closes.
func TestLockChild(t *testing.T) {
	path := os.Getenv(lockChildEnv)
	if path == "" {
		t.Skip("runs only as the child of TestLockAcrossProcesses")
	}
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	release, err := st.Lock(ctx, childCommand, nil)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := release(); err != nil {
		t.Fatal(err)
	}
}

// TestLockAcrossProcesses: a second process holding the lock is named by
// LockedError, and a waiter gets the lock once the holder exits, or is
// killed (the kernel drops a dead process's flock: no stale lock).
func TestLockAcrossProcesses(t *testing.T) {
	for _, end := range []string{"exits", "is killed"} {
		t.Run(strings.ReplaceAll(end, " ", "_"), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			path := filepath.Join(t.TempDir(), "dossier.db")
			st, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLockChild$")
			cmd.Env = append(os.Environ(), lockChildEnv+"="+path)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := false
			defer func() {
				if !exited {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
				}
			}()
			lines := bufio.NewScanner(stdout)
			for lines.Scan() && lines.Text() != "locked" {
			}
			if lines.Text() != "locked" {
				t.Fatalf("child did not take the lock: %s", stderr.String())
			}
			child := cmd.Process.Pid

			_, err = st.Lock(ctx, "parent", nil)
			var le *store.LockedError
			if !errors.As(err, &le) || le.Holder.PID != child || le.Holder.Command != childCommand {
				t.Fatalf("Lock while the child holds it: %v; want a *LockedError naming pid %d", err, child)
			}

			waits := make(chan store.Holder, 4)
			type result struct {
				release func() error
				err     error
			}
			done := make(chan result, 1)
			go func() {
				r, err := st.Lock(ctx, "parent", func(h store.Holder) { waits <- h })
				done <- result{r, err}
			}()
			select {
			case h := <-waits:
				if h.PID != child {
					t.Errorf("wait called with holder %+v, want pid %d", h, child)
				}
			case r := <-done:
				t.Fatalf("Lock returned (%v) while the child held it", r.err)
			case <-ctx.Done():
				t.Fatal("wait never called")
			}

			if end == "exits" {
				_ = stdin.Close()
			} else if err := cmd.Process.Signal(unix.SIGKILL); err != nil {
				t.Fatal(err)
			}
			werr := cmd.Wait()
			exited = true
			if end == "exits" && werr != nil {
				t.Fatalf("child: %v\n%s", werr, stderr.String())
			}
			select {
			case r := <-done:
				if r.err != nil {
					t.Fatalf("Lock after the child %s: %v", end, r.err)
				}
				if err := r.release(); err != nil {
					t.Error(err)
				}
			case <-ctx.Done():
				t.Fatalf("Lock still waiting after the child %s", end)
			}
			if n := len(waits); n != 0 {
				t.Errorf("wait called %d more times, want once", n)
			}
		})
	}
}

// TestLockFile: the lock file describes its holder while held, is emptied
// (not deleted) on release, and an unreadable description still gives a
// LockedError, with an unknown holder.
func TestLockFile(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	defer st.Close()
	lockPath := st.path + ".lock"
	release, err := st.Lock(ctx, "file test", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	var hf holderFile
	if err := json.Unmarshal(b, &hf); err != nil || hf.PID != os.Getpid() || hf.Command != "file test" {
		t.Errorf("lock file holds %q (%v), want this process's description", b, err)
	}
	if _, err := time.Parse(time.RFC3339, hf.Since); err != nil {
		t.Errorf("since %q: %v", hf.Since, err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(lockPath); err != nil || fi.Size() != 0 {
		t.Errorf("lock file after release: %v, %v; want it kept, empty", fi, err)
	}

	// Someone else holds the lock and wrote no description we can read.
	f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("{not json"); err != nil {
		t.Fatal(err)
	}
	_, err = st.Lock(ctx, "file test", nil)
	var le *store.LockedError
	if !errors.As(err, &le) || le.Holder != (store.Holder{}) {
		t.Errorf("Lock against an unreadable holder: %v; want a *LockedError with an unknown holder", err)
	}
}
