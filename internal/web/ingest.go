package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// Result is what became of one document sent to the server.
type Result struct {
	// Item names the document: its line (from 1) in a JSONL body, or 1
	// for a single document.
	Item   int    `json:"item"`
	Status string `json:"status"` // new, updated, unchanged or failed
	ID     string `json:"id,omitempty"`
	Title  string `json:"title,omitempty"`
	// DuplicateOf is the original the article copies, when it is a copy.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	Story       string `json:"story,omitempty"`
	Error       string `json:"error,omitempty"`
}

// Result statuses.
const (
	StatusNew       = "new"
	StatusUpdated   = "updated"
	StatusUnchanged = "unchanged"
	StatusFailed    = "failed"
)

// Documents are read as standard input is, so that they are identified by
// URL, else by content, never by a temporary file's name.

// planned is a document as read ahead of the run, with what the store
// held of it before.
type planned struct {
	item          int
	key, digest   string
	seen, existed bool
	problem       string
	predictedID   string
}

// plan is one spooled file's documents, in order.
type plan struct {
	docs   []*planned
	byItem map[int]*planned
}

func (p *plan) add(d *planned) {
	if old, ok := p.byItem[d.item]; ok {
		if old.problem == "" {
			old.problem = d.problem
		}
		return
	}
	p.docs = append(p.docs, d)
	p.byItem[d.item] = d
}

// itemOf is a document's number in its file: the N of "-#N", else 1.
func itemOf(src string) int {
	if _, n, ok := strings.Cut(src, "#"); ok {
		if i, err := strconv.Atoi(n); err == nil {
			return i
		}
	}
	return 1
}

func stdinFile() source.File {
	files, _ := source.List([]string{source.Stdin})
	return files[0]
}

// planFile reads a spooled file's documents without storing them; jsonl
// reads it as JSONL whatever its first line, as runBatch does.
func planFile(ctx context.Context, path string, jsonl bool) (*plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: reopen upload: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	skip := 0
	if jsonl {
		r, skip = io.MultiReader(strings.NewReader(guardLine), f), 1
	}
	p := &plan{byItem: map[int]*planned{}}
	err = source.Read(ctx, stdinFile(), r, func(doc source.Document) error {
		if n := itemOf(doc.Source) - skip; n > 0 {
			p.add(&planned{item: n, key: doc.Key, digest: ingest.StoredDigest(doc), predictedID: ident.ArticleID(doc.Key)})
		}
		return nil
	}, func(pr source.Problem) {
		if n := itemOf(pr.Source) - skip; n > 0 {
			p.add(&planned{item: n, problem: problemText(pr)})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: read upload: %w", err)
	}
	return p, nil
}

// before notes what the store holds of each document before the run.
func (s *Server) before(ctx context.Context, p *plan) error {
	for _, d := range p.docs {
		if d.problem != "" || d.key == "" {
			continue
		}
		var err error
		if _, d.seen, err = s.store.Seen(ctx, d.key, d.digest); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		if _, d.existed, err = s.store.Saved(ctx, d.predictedID); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	return nil
}

// run ingests one stream of documents read as standard input, taking the
// store's writer lock for the run. The caller holds s.writing.
func (s *Server) run(ctx context.Context, path string) (ingest.Summary, error) {
	if s.cfg.Run != nil {
		return s.cfg.Run(ctx, path)
	}
	cfg := s.cfg.Ingest
	cfg.Logger = s.log
	return IngestFile(ctx, readersFirst{Store: s.store, gate: &s.reading}, cfg, path)
}

// IngestFile ingests the documents of a spooled file read as standard
// input is (one document, or JSONL records), taking the store's writer
// lock for the run.
func IngestFile(ctx context.Context, st store.Store, cfg ingest.Config, path string) (ingest.Summary, error) {
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		return ingest.Summary{}, err
	}
	sum, err := runFile(ctx, in, path)
	if cerr := in.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return sum, err
}

// runFile runs in over a spooled file read as standard input.
func runFile(ctx context.Context, in *ingest.Ingester, path string) (ingest.Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.Summary{}, fmt.Errorf("ingest: reopen upload: %w", err)
	}
	defer f.Close()
	return in.Run(ctx, []source.File{stdinFile()}, f, nil)
}

// runDocuments runs in over the documents spooled at path by
// ChildIngester.RunDocuments, as the poll of source via that read them.
func runDocuments(ctx context.Context, in *ingest.Ingester, via, path string) (ingest.Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.Summary{}, fmt.Errorf("ingest: reopen the documents of %s: %w", via, err)
	}
	defer f.Close()
	file := source.Produced(via, source.Feed, func(ctx context.Context, fn func(source.Document) error, _ func(source.Problem)) error {
		// Lines hold whole pages: no line limit, as a Scanner has.
		r := bufio.NewReader(f)
		for {
			line, err := r.ReadBytes('\n')
			if len(bytes.TrimSpace(line)) > 0 {
				d, derr := ingest.DecodeDocument(line)
				if derr != nil {
					return derr
				}
				if ferr := fn(d); ferr != nil {
					return ferr
				}
			}
			switch {
			case errors.Is(err, io.EOF):
				return nil
			case err != nil:
				return fmt.Errorf("ingest: read the documents of %s: %w", via, err)
			}
		}
	})
	return in.Run(ctx, []source.File{file}, nil, nil)
}

// results says what became of each planned document after the run.
func (s *Server) results(ctx context.Context, p *plan) ([]Result, error) {
	out := make([]Result, 0, len(p.docs))
	for _, d := range p.docs {
		r := Result{Item: d.item}
		switch {
		case d.problem != "":
			r.Status, r.Error = StatusFailed, d.problem
		default:
			id, found, err := s.store.Seen(ctx, d.key, d.digest)
			if err != nil {
				return nil, fmt.Errorf("ingest: %w", err)
			}
			if !found {
				r.Status, r.Error = StatusFailed, "not stored"
				break
			}
			a, err := s.store.Article(ctx, id)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("ingest: %w", err)
			}
			r.ID, r.Title, r.DuplicateOf, r.Story = id, a.Title, a.DuplicateOf, a.StoryID
			switch {
			case d.seen:
				r.Status = StatusUnchanged
			case d.existed && id == d.predictedID:
				r.Status = StatusUpdated
			default:
				r.Status = StatusNew
			}
		}
		s.metrics.ingested.WithLabelValues(r.Status).Inc()
		out = append(out, r)
	}
	return out, nil
}

// ingestFile ingests the documents of one spooled file (one document, or
// JSONL records) on its own.
func (s *Server) ingestFile(ctx context.Context, path string) ([]Result, error) {
	p, err := planFile(ctx, path, false)
	if err != nil {
		return nil, err
	}
	s.writing.Lock()
	defer s.writing.Unlock()
	if err := s.before(ctx, p); err != nil {
		return nil, err
	}
	sum, err := s.run(ctx, path)
	if err != nil {
		return nil, err
	}
	for _, pr := range sum.Problems {
		p.add(&planned{item: itemOf(pr.Source), problem: problemText(pr)})
	}
	return s.results(ctx, p)
}

// A records job is one request's JSONL body waiting to be ingested.
type recordsJob struct {
	path string
	plan *plan
	done chan jobResult // buffered: the writer never waits on it
}

type jobResult struct {
	results []Result
	err     error
}

// ingestRecords ingests a spooled JSONL body together with the bodies that
// other requests queued meanwhile: whoever gets the writer first runs them
// all in one ingest, so that concurrent small posts share its fixed costs.
func (s *Server) ingestRecords(ctx context.Context, path string) ([]Result, error) {
	p, err := planFile(ctx, path, true)
	if err != nil {
		return nil, err
	}
	job := &recordsJob{path: path, plan: p, done: make(chan jobResult, 1)}
	s.queueMu.Lock()
	s.queue = append(s.queue, job)
	s.queueMu.Unlock()
	for {
		s.writing.Lock()
		select {
		case r := <-job.done:
			s.writing.Unlock()
			return r.results, r.err
		default:
		}
		s.queueMu.Lock()
		n := min(len(s.queue), maxBatchBodies)
		batch := s.queue[:n:n]
		s.queue = s.queue[n:]
		s.queueMu.Unlock()
		// The batch carries other requests: one leaving must not cancel it.
		s.runBatch(context.WithoutCancel(ctx), batch)
		s.writing.Unlock()
	}
}

// maxBatchBodies bounds the bodies one ingest takes from the queue, in
// arrival order; the rest wait for the next. Every answer of a batch
// goes out at once, and clients answered together come back together:
// a bound keeps that wave small enough for the pages to absorb.
const maxBatchBodies = 8

// guardLine opens a batch so that standard input's sniffing always reads
// it as JSONL, whatever the first body's first line; its own failure is
// dropped.
const guardLine = "{}\n"

func (s *Server) runBatch(ctx context.Context, batch []*recordsJob) {
	fail := func(err error) {
		for _, j := range batch {
			j.done <- jobResult{err: err}
		}
	}
	combined, err := os.CreateTemp(s.cfg.TempDir, "dossier-batch-*")
	if err != nil {
		fail(fmt.Errorf("ingest: batch: %w", err))
		return
	}
	defer os.Remove(combined.Name())
	w := bufio.NewWriter(combined)
	w.WriteString(guardLine)
	offsets := make([]int, len(batch))
	line := 1
	for i, j := range batch {
		offsets[i] = line
		n, err := appendLines(w, j.path)
		if err != nil {
			combined.Close()
			fail(err)
			return
		}
		line += n
	}
	if err := w.Flush(); err != nil {
		combined.Close()
		fail(fmt.Errorf("ingest: batch: %w", err))
		return
	}
	if err := combined.Close(); err != nil {
		fail(fmt.Errorf("ingest: batch: %w", err))
		return
	}
	for _, j := range batch {
		if err := s.before(ctx, j.plan); err != nil {
			fail(err)
			return
		}
	}
	sum, err := s.run(ctx, combined.Name())
	if err != nil {
		fail(err)
		return
	}
	for _, pr := range sum.Problems {
		n := itemOf(pr.Source)
		for i := len(batch) - 1; i >= 0; i-- {
			if n > offsets[i] {
				batch[i].plan.add(&planned{item: n - offsets[i], problem: problemText(pr)})
				break
			}
		}
	}
	for _, j := range batch {
		res, err := s.results(ctx, j.plan)
		j.done <- jobResult{res, err}
	}
}

// appendLines copies a JSONL file to w, ending it with a newline, and
// returns its lines as the JSONL reader numbers them.
func appendLines(w *bufio.Writer, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("ingest: batch: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	lines, last := 0, byte('\n')
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			if c == '\n' {
				lines++
			}
		}
		if n > 0 {
			last = buf[n-1]
			if _, werr := w.Write(buf[:n]); werr != nil {
				return 0, fmt.Errorf("ingest: batch: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("ingest: batch: %w", err)
		}
	}
	if last != '\n' {
		w.WriteByte('\n')
		lines++
	}
	return lines, nil
}

// problemText is why a document failed, without the temporary name.
func problemText(p source.Problem) string {
	msg := strings.TrimPrefix(p.Err.Error(), p.Source+": ")
	return strings.TrimPrefix(msg, "ingest: ")
}

// spool copies r to a new temporary file, at most limit bytes: an upload
// is never held whole in memory. It returns the file's path; the caller
// removes it.
func (s *Server) spool(r io.Reader, limit int64) (string, int64, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "dossier-upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("spool: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errTooLarge
	}
	if err != nil {
		os.Remove(f.Name())
		return "", n, err
	}
	return f.Name(), n, nil
}

var errTooLarge = errors.New("too large")
