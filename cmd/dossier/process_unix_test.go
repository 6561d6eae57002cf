//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests here run the real binary, built once into binDir.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binError = err
			return
		}
		if binDir, binError = os.MkdirTemp("", "dossier-bin-"); binError != nil {
			return
		}
		binPath = filepath.Join(binDir, "dossier")
		out, err := exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binError = errors.New(string(out))
		}
	})
	if binError != nil {
		t.Fatalf("build dossier: %v", binError)
	}
	return binPath
}

// hangGuard is how long a process may take before the test calls it hung:
// generous, for a loaded machine; it is no measure of speed.
const hangGuard = 60 * time.Second

// proc is a started dossier process with its stderr read line by line.
type proc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	stderr strings.Builder
	lines  chan string
	done   chan struct{}
}

func start(t *testing.T, stdin io.Reader, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(binary(t), args...), lines: make(chan string, 100), done: make(chan struct{})}
	p.cmd.Stdin = stdin
	p.cmd.Stdout = &p.stdout
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// waitLine waits for a line of stderr containing s.
func (p *proc) waitLine(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(hangGuard)
	for {
		select {
		case line := <-p.lines:
			if strings.Contains(line, s) {
				return
			}
		case <-p.done:
			t.Fatalf("dossier ended before writing %q:\n%s", s, p.errText())
		case <-timeout:
			t.Fatalf("no %q on stderr after %v:\n%s", s, hangGuard, p.errText())
		}
	}
}

func (p *proc) errText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// wait waits for the process to end and returns its exit status.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	ended := make(chan error, 1)
	go func() {
		<-p.done // all of stderr read first
		ended <- p.cmd.Wait()
	}()
	select {
	case err := <-ended:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(hangGuard):
		_ = p.cmd.Process.Kill()
		t.Fatalf("dossier still running %v after it was told to stop:\n%s", hangGuard, p.errText())
		return -1
	}
}

func TestInterrupt(t *testing.T) {
	const article = "testdata/corpus/tram.txt"
	tests := []struct {
		name string
		// input makes an input that never ends, returning its path
		// (or "-") and what to give the process as stdin.
		input func(t *testing.T, dir string) (string, io.Reader)
	}{
		{"FIFO without a writer", func(t *testing.T, dir string) (string, io.Reader) {
			fifo := filepath.Join(dir, "feed")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			return fifo, nil
		}},
		{"FIFO whose writer is silent", func(t *testing.T, dir string) (string, io.Reader) {
			fifo := filepath.Join(dir, "feed")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			// Read-write, so that opening does not wait for a reader.
			w, err := os.OpenFile(fifo, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { w.Close() })
			return fifo, nil
		}},
		{"stdin that never closes", func(t *testing.T, dir string) (string, io.Reader) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close(); w.Close() })
			return "-", r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "d.db")
			endless, stdin := tt.input(t, dir)
			p := start(t, stdin, "ingest", "--verbose", "--db", db, article, endless)
			// The first article is stored; the run now waits on the input.
			p.waitLine(t, "msg=ingested")
			if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			code := p.wait(t)
			stderr := p.errText()
			if code != 130 {
				t.Errorf("exit status %d, want 130\n%s", code, stderr)
			}
			if want := "dossier ingest: interrupted after 1 document; run again to go on\n"; !strings.HasSuffix(stderr, want) {
				t.Errorf("stderr does not end with %q:\n%s", want, stderr)
			}
			if strings.Contains(p.stdout.String(), "read ") {
				t.Errorf("an interrupted run printed the summary:\n%s", p.stdout.String())
			}
			if err := syscall.Kill(p.cmd.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("the process is still there: %v", err)
			}
			// What was stored stays.
			if articles, _ := stored(t, db); len(articles) != 1 {
				t.Errorf("%d articles stored, want the 1 read before the interrupt", len(articles))
			}
		})
	}
}

// TestWriterLock: --no-wait names the holder, a waiter says once that it
// waits and goes on when the lock is free, and an interrupt ends the wait.
func TestWriterLock(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	fifo := filepath.Join(dir, "feed")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// The holder stores one article, then waits on the FIFO, holding the lock.
	holder := start(t, nil, "ingest", "--verbose", "--db", db, "testdata/corpus/tram.txt", fifo)
	holder.waitLine(t, "msg=ingested")

	noWait := start(t, nil, "ingest", "--no-wait", "--db", db, "testdata/corpus/glassworks.txt")
	if code := noWait.wait(t); code != 1 {
		t.Errorf("--no-wait: exit %d, want 1\n%s", code, noWait.errText())
	}
	pid := "pid " + strconv.Itoa(holder.cmd.Process.Pid)
	if got := noWait.errText(); !strings.Contains(got, "dossier ingest: "+db+" is being written by "+pid) ||
		!strings.Contains(got, "(dossier ingest)") || strings.Count(got, "\n") != 1 {
		t.Errorf("--no-wait should say, on one line, who holds the store:\n%s", got)
	}

	waiter := start(t, nil, "ingest", "--db", db, "testdata/corpus/glassworks.txt")
	waiter.waitLine(t, "waiting for the store's writer lock, held by "+pid)

	// A second waiter is interrupted while it waits.
	quitter := start(t, nil, "ingest", "--db", db, "testdata/corpus/glassworks.txt")
	quitter.waitLine(t, "waiting for the store's writer lock")
	if err := quitter.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := quitter.wait(t); code != 130 || !strings.Contains(quitter.errText(), "interrupted while waiting for the store's writer lock") {
		t.Errorf("interrupted waiter: exit %d\n%s", code, quitter.errText())
	}

	if err := holder.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := holder.wait(t); code != 130 {
		t.Errorf("holder: exit %d, want 130\n%s", code, holder.errText())
	}
	if code := waiter.wait(t); code != 0 {
		t.Errorf("waiter: exit %d once the lock was free, want 0\n%s", code, waiter.errText())
	}
	if got := strings.Count(waiter.errText(), "waiting for"); got != 1 {
		t.Errorf("the waiter said it waits %d times, want once:\n%s", got, waiter.errText())
	}
	if articles, _ := stored(t, db); len(articles) != 2 {
		t.Errorf("%d articles stored, want 2", len(articles))
	}
}

// TestConcurrentIngests: two ingests at once into one store give what one
// gives.
func TestConcurrentIngests(t *testing.T) {
	inputs := [][]string{
		{"../../examples", "../../internal/ingest/testdata/run"},
		{"../../internal/ingest/testdata/run", "../../examples"},
	}
	for _, order := range inputs {
		t.Run(strings.Join(order, "+"), func(t *testing.T) {
			dir := t.TempDir()
			alone := filepath.Join(dir, "alone.db")
			one := start(t, nil, append([]string{"ingest", "--quiet", "--db", alone}, order...)...)
			if code := one.wait(t); code != 3 { // the examples hold a broken file
				t.Fatalf("one ingest: exit %d\n%s", code, one.errText())
			}
			both := filepath.Join(dir, "both.db")
			var procs []*proc
			for range 2 {
				procs = append(procs, start(t, nil, append([]string{"ingest", "--quiet", "--db", both}, order...)...))
			}
			for i, p := range procs {
				if code := p.wait(t); code != 3 {
					t.Errorf("ingest %d of 2: exit %d\n%s", i+1, code, p.errText())
				}
			}
			want := exportOf(t, alone)
			got := exportOf(t, both)
			for name := range want {
				if got[name] != want[name] {
					t.Errorf("%s of two ingests at once differs from one ingest's:\n%s\nwant:\n%s", name, got[name], want[name])
				}
			}
		})
	}
}

func exportOf(t *testing.T, db string) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	if code, out, errOut := runCLI(t, db, "export", "--out", dir); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	files := map[string]string{}
	for _, name := range []string{"articles.jsonl", "stories.jsonl"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return files
}
