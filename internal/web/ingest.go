package web

import (
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

// planned is a document as read ahead of the run, with what the store
// held of it before.
type planned struct {
	item          int
	source        string
	key, digest   string
	seen, existed bool
	problem       string
	predictedID   string
}

// ingestFile ingests the documents of one file on disk (one document, or
// JSONL records), read as standard input is: identified by URL, else by
// content, never by the temporary file's name. It takes the store's writer
// lock for the run and releases it after.
func (s *Server) ingestFile(ctx context.Context, path string) ([]Result, error) {
	files, _ := source.List([]string{source.Stdin})
	open := func() (*os.File, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("ingest: reopen upload: %w", err)
		}
		return f, nil
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	var plan []*planned
	bySource := map[string]*planned{}
	itemOf := func(src string) int {
		if _, n, ok := strings.Cut(src, "#"); ok {
			if i, err := strconv.Atoi(n); err == nil {
				return i
			}
		}
		return 1
	}
	add := func(p *planned) {
		plan = append(plan, p)
		bySource[p.source] = p
	}
	err = source.Read(ctx, files[0], f, func(doc source.Document) error {
		p := &planned{item: itemOf(doc.Source), source: doc.Source, key: doc.Key, digest: ingest.StoredDigest(doc), predictedID: ident.ArticleID(doc.Key)}
		add(p)
		return nil
	}, func(pr source.Problem) {
		add(&planned{item: itemOf(pr.Source), source: pr.Source, problem: problemText(pr)})
	})
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("ingest: read upload: %w", err)
	}
	for _, p := range plan {
		if p.problem != "" || p.key == "" {
			continue
		}
		if _, p.seen, err = s.store.Seen(ctx, p.key, p.digest); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if _, p.existed, err = s.store.Saved(ctx, p.predictedID); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}

	s.writing.Lock()
	defer s.writing.Unlock()
	cfg := s.cfg.Ingest
	cfg.Logger = s.log
	in, err := ingest.New(ctx, s.store, cfg)
	if err != nil {
		return nil, err
	}
	f, err = open()
	if err != nil {
		_ = in.Close()
		return nil, err
	}
	sum, runErr := in.Run(ctx, files, f, nil)
	f.Close()
	if err := in.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return nil, runErr
	}
	for _, pr := range sum.Problems {
		if p, ok := bySource[pr.Source]; ok && p.problem == "" {
			p.problem = problemText(pr)
		} else if !ok {
			add(&planned{item: itemOf(pr.Source), source: pr.Source, problem: problemText(pr)})
		}
	}
	out := make([]Result, 0, len(plan))
	for _, p := range plan {
		r := Result{Item: p.item}
		if p.problem != "" {
			r.Status, r.Error = StatusFailed, p.problem
			out = append(out, r)
			s.metrics.ingested.WithLabelValues(r.Status).Inc()
			continue
		}
		id, found, err := s.store.Seen(ctx, p.key, p.digest)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		if !found {
			r.Status, r.Error = StatusFailed, "not stored"
			out = append(out, r)
			s.metrics.ingested.WithLabelValues(r.Status).Inc()
			continue
		}
		a, err := s.store.Article(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		r.ID, r.Title, r.DuplicateOf, r.Story = id, a.Title, a.DuplicateOf, a.StoryID
		switch {
		case p.seen:
			r.Status = StatusUnchanged
		case p.existed && id == p.predictedID:
			r.Status = StatusUpdated
		default:
			r.Status = StatusNew
		}
		s.metrics.ingested.WithLabelValues(r.Status).Inc()
		out = append(out, r)
	}
	return out, nil
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
