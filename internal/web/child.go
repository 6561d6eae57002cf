package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
)

// Runner runs one ingest of a spooled file, read as standard input is,
// and says what it did.
type Runner func(ctx context.Context, path string) (ingest.Summary, error)

// childNice is how much lower than the server's a child ingest's CPU
// priority is: under load, pages get about nine tenths of the CPU and an
// ingest the rest, so posts still move.
const childNice = 10

// childGrace is how long a child ingest has to stop after an interrupt
// before it is killed; a kill loses nothing it committed.
const childGrace = 30 * time.Second

// ChildIngest returns a Runner that runs each ingest as the process exe
// args... "-", in this process's environment with env added (a store's
// address belongs there, not in arguments any user can list), with the
// file as its standard input and a lower CPU priority than the server's. An ingest is CPU-bound for as long as it
// runs, and goroutines have no priorities: in the server's own process it
// would take the cores that pages need, while the kernel gives a niced
// process only what readers leave. The command must print the run's
// Summary as JSON on standard output (dossier ingest --json) and exit 0,
// or 3 when some inputs failed.
func ChildIngest(exe string, env []string, args ...string) Runner {
	return func(ctx context.Context, path string) (ingest.Summary, error) {
		var sum ingest.Summary
		f, err := os.Open(path)
		if err != nil {
			return sum, fmt.Errorf("ingest: reopen upload: %w", err)
		}
		defer f.Close()
		cmd := exec.CommandContext(ctx, exe, append(append([]string(nil), args...), "-")...)
		var stdout bytes.Buffer
		stderr := &tail{limit: 8 << 10}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = f, &stdout, stderr
		cmd.Env = append(os.Environ(), env...)
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = childGrace
		if err := startLowered(cmd); err != nil {
			return sum, fmt.Errorf("ingest: start %s: %w", exe, err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 3) {
			return sum, fmt.Errorf("ingest: %s: %w: %s", exe, err, strings.TrimSpace(stderr.String()))
		}
		if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
			return sum, fmt.Errorf("ingest: read the summary of %s: %w", exe, err)
		}
		return sum, nil
	}
}

// tail keeps the last bytes written to it, for an error message.
type tail struct {
	limit int
	buf   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.limit; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }
