package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// Runner runs one ingest of a spooled file, read as standard input is,
// and says what it did.
type Runner func(ctx context.Context, path string) (ingest.Summary, error)

// An ingest is CPU-bound for as long as it runs, and goroutines have no
// priorities: in the server's own process it takes the cores that pages
// need. So dossier serve hands its ingests to a child process at a lower
// CPU priority, which the kernel gives only what the pages leave. The
// child lives as long as the server, so that its store connections keep
// their caches warm from one ingest to the next: a fresh process pays
// several times an ingest's work to read them in again.
//
// The two speak JSON lines: the server writes an ingesterJob, the child
// answers an ingesterReply once that ingest has ended.

type ingesterJob struct {
	Path string `json:"path"`
	// Via, when set, says that the file holds the documents a poll of
	// that source read, a line each (ingest.EncodeDocument), rather than
	// input read as standard input is.
	Via string `json:"via,omitempty"`
}

type ingesterReply struct {
	Summary *ingest.Summary `json:"summary,omitempty"`
	Error   string          `json:"error,omitempty"`
}

// childNice is how much lower than the server's a child ingest's CPU
// priority is: under load, pages get about nine tenths of the CPU and an
// ingest the rest, so posts still move.
const childNice = 10

// childGrace is how long the child has to stop after an interrupt
// before it is killed; a kill loses nothing it committed.
const childGrace = 30 * time.Second

// ServeIngester is the child's side: it reads jobs from r and ingests
// each spooled file into st, one at a time, answering each on w, until r
// ends or ctx does. Between jobs it leaves the writer lock to others,
// and it keeps its streaming state for the next job unless another
// writer came in between (store.OthersWatcher): a fresh state reads
// again from the store all that the job touches, several times the
// job's own work.
func ServeIngester(ctx context.Context, st store.Store, cfg ingest.Config, r io.Reader, w io.Writer) error {
	var warm *warmIngester
	defer func() {
		if warm != nil {
			_ = warm.in.Close()
		}
	}()
	sc := bufio.NewScanner(r)
	enc := json.NewEncoder(w)
	for sc.Scan() {
		var job ingesterJob
		var reply ingesterReply
		if err := json.Unmarshal(sc.Bytes(), &job); err != nil || job.Path == "" {
			reply.Error = fmt.Sprintf("ingester: bad job %.100q", sc.Bytes())
		} else {
			var sum ingest.Summary
			var err error
			if warm, sum, err = warm.ingest(ctx, st, cfg, job); err != nil {
				reply.Error = err.Error()
			} else {
				reply.Summary = &sum
			}
		}
		if err := enc.Encode(reply); err != nil {
			return fmt.Errorf("ingester: answer: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return sc.Err()
}

// warmIngester is an Ingester kept between jobs, unlocked, with the
// store's OthersMark as it left it.
type warmIngester struct {
	in   *ingest.Ingester
	mark int64
}

// ingest runs one job on w's Ingester when it is still right, else on a
// new one, and returns the Ingester to keep for the next job (nil for
// none).
func (w *warmIngester) ingest(ctx context.Context, st store.Store, cfg ingest.Config, job ingesterJob) (*warmIngester, ingest.Summary, error) {
	watcher, watched := st.(store.OthersWatcher)
	if w != nil {
		err := w.in.Relock(ctx)
		if err == nil {
			var mark int64
			if mark, err = watcher.OthersMark(ctx); err == nil && mark != w.mark {
				err = errors.New("another writer came in between")
			}
		}
		if err != nil {
			_ = w.in.Close()
			w = nil
		}
	}
	if w == nil {
		in, err := ingest.New(ctx, st, cfg)
		if err != nil {
			return nil, ingest.Summary{}, err
		}
		w = &warmIngester{in: in}
	}
	var sum ingest.Summary
	var err error
	if job.Via != "" {
		sum, err = runDocuments(ctx, w.in, job.Via, job.Path)
	} else {
		sum, err = runFile(ctx, w.in, job.Path)
	}
	if err == nil && watched {
		w.mark, err = watcher.OthersMark(ctx)
	}
	if err != nil || !watched {
		// A failed run may have left the state half-way; without a mark,
		// nothing says whether it stays right.
		_ = w.in.Close()
		return nil, sum, err
	}
	if err := w.in.Unlock(); err != nil {
		// The job is stored; only the next one starts afresh.
		if cfg.Logger != nil {
			cfg.Logger.Warn("ingester: release the writer lock", "err", err)
		}
		return nil, sum, nil
	}
	return w, sum, nil
}

// ChildIngester is the server's side: it starts the child (exe args...,
// in this process's environment with env added: a store's address
// belongs there, not in arguments any user can list) at the first ingest
// and again after it has died, and runs one ingest at a time in it. The
// child's standard error, its log, goes to Log as well as into the
// errors reported.
type ChildIngester struct {
	Exe  string
	Args []string
	Env  []string
	Log  io.Writer

	mu     sync.Mutex
	cmd    *exec.Cmd
	jobs   io.WriteCloser
	reply  *bufio.Scanner
	stderr *tail
}

// Run ingests the spooled file at path in the child. When ctx ends first,
// the child is interrupted (it keeps what it committed) and is started
// again at the next Run.
func (c *ChildIngester) Run(ctx context.Context, path string) (ingest.Summary, error) {
	return c.run(ctx, ingesterJob{Path: path})
}

// RunDocuments ingests in the child the documents a poll of source via
// read (a feed's or a sitemap's pages, with what the fetch learned of
// them), spooled to a temporary file meanwhile; as Run otherwise.
func (c *ChildIngester) RunDocuments(ctx context.Context, via string, docs []source.Document) (ingest.Summary, error) {
	path, err := spoolDocuments(via, docs)
	if err != nil {
		return ingest.Summary{}, err
	}
	defer os.Remove(path)
	return c.run(ctx, ingesterJob{Path: path, Via: via})
}

// spoolDocuments writes docs to a new temporary file, a line each, as
// runDocuments reads them, and returns its path.
func spoolDocuments(via string, docs []source.Document) (string, error) {
	f, err := os.CreateTemp("", "dossier-poll-*.jsonl")
	if err != nil {
		return "", fmt.Errorf("ingest: spool %s: %w", via, err)
	}
	w := bufio.NewWriter(f)
	for _, d := range docs {
		line, err := ingest.EncodeDocument(d)
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", err
		}
		// A write's error stays in w, for Flush.
		_, _ = w.Write(append(line, '\n'))
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("ingest: spool %s: %w", via, err)
	}
	return f.Name(), nil
}

func (c *ChildIngester) run(ctx context.Context, job ingesterJob) (ingest.Summary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		if err := c.start(); err != nil {
			return ingest.Summary{}, err
		}
	}
	line, _ := json.Marshal(job)
	if _, err := c.jobs.Write(append(line, '\n')); err != nil {
		return ingest.Summary{}, c.died(fmt.Errorf("ingest: send to %s: %w", c.Exe, err))
	}
	answered := make(chan error, 1)
	var reply ingesterReply
	go func() {
		if !c.reply.Scan() {
			answered <- errors.Join(io.ErrUnexpectedEOF, c.reply.Err())
			return
		}
		answered <- json.Unmarshal(c.reply.Bytes(), &reply)
	}()
	var err error
	select {
	case err = <-answered:
	case <-ctx.Done():
		// The child stops its ingest, answers and exits.
		_ = c.cmd.Process.Signal(os.Interrupt)
		select {
		case <-answered:
		case <-time.After(childGrace):
			_ = c.cmd.Process.Kill()
		}
		return ingest.Summary{}, c.died(fmt.Errorf("ingest: %w", ctx.Err()))
	}
	switch {
	case err != nil:
		return ingest.Summary{}, c.died(fmt.Errorf("ingest: read the answer of %s: %w", c.Exe, err))
	case reply.Error != "":
		return ingest.Summary{}, errors.New(reply.Error)
	case reply.Summary == nil:
		return ingest.Summary{}, c.died(fmt.Errorf("ingest: %s answered nothing", c.Exe))
	}
	return *reply.Summary, nil
}

func (c *ChildIngester) start() error {
	cmd := exec.Command(c.Exe, c.Args...)
	cmd.Env = append(os.Environ(), c.Env...)
	c.stderr = &tail{limit: 8 << 10}
	cmd.Stderr = c.stderr
	if c.Log != nil {
		cmd.Stderr = io.MultiWriter(c.Log, c.stderr)
	}
	cmd.WaitDelay = childGrace
	jobs, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("ingest: start %s: %w", c.Exe, err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("ingest: start %s: %w", c.Exe, err)
	}
	if err := startLowered(cmd); err != nil {
		return fmt.Errorf("ingest: start %s: %w", c.Exe, err)
	}
	c.cmd, c.jobs = cmd, jobs
	c.reply = bufio.NewScanner(out)
	c.reply.Buffer(nil, 64<<20) // a summary lists every problem
	return nil
}

// died ends the child after a failure and returns err with what it said
// last.
func (c *ChildIngester) died(err error) error {
	_ = c.jobs.Close()
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(childGrace):
		_ = c.cmd.Process.Kill()
		<-done
	}
	c.cmd = nil
	if said := strings.TrimSpace(c.stderr.String()); said != "" {
		err = fmt.Errorf("%w: %s", err, said)
	}
	return err
}

// Close ends the child: it finishes the ingest it runs, if any, and
// exits when its jobs end.
func (c *ChildIngester) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return nil
	}
	_ = c.jobs.Close()
	err := c.cmd.Wait()
	c.cmd = nil
	if err != nil {
		return fmt.Errorf("ingest: %s: %w", c.Exe, err)
	}
	return nil
}

// tail keeps the last bytes written to it, for an error message. It is
// written by the child's copying goroutine and read after a failure.
type tail struct {
	mu    sync.Mutex
	limit int
	buf   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.limit; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
