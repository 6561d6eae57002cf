// Package ingest runs documents through the pipeline: the per-article stages
// (clean, describe, fingerprint, features, quotes) in parallel, then the
// streaming stages that depend on everything before (dedup, cluster, store)
// one article at a time, in input order, so results do not depend on timing.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/describe"
	"github.com/dossiernews/dossier/internal/quote"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// Config tunes an Ingester.
type Config struct {
	Dedup   dedup.Config
	Cluster cluster.Config
	// Workers run the per-article stages; 0 means one per CPU.
	Workers int
	Logger  *slog.Logger
	// Now stamps IngestedAt; nil means time.Now.
	Now func() time.Time
}

// DefaultConfig is the configuration the CLI starts from.
func DefaultConfig() Config {
	return Config{Dedup: dedup.DefaultConfig(), Cluster: cluster.DefaultConfig()}
}

// Stage names, in pipeline order, for Summary.Timing.
const (
	StageClean    = "clean"
	StageDescribe = "describe"
	StageDedup    = "dedup"
	StageCluster  = "cluster"
	StageQuote    = "quote"
	StageStore    = "store"
)

// Stages lists the stage names in pipeline order.
var Stages = []string{StageClean, StageDescribe, StageDedup, StageCluster, StageQuote, StageStore}

// Summary counts what one run did.
type Summary struct {
	Read       int // documents read
	New        int // articles stored for the first time
	Updated    int // articles whose text changed since they were stored
	Unchanged  int // articles already stored as they are
	Duplicates int // new or updated articles that copy another
	Failed     int // files or records that could not be read or cleaned
	// StoriesTouched counts the stories that gained or changed an article.
	StoriesTouched int
	NewStories     int
	Problems       []source.Problem
	// Timing is the time spent in each stage, summed over workers.
	Timing map[string]time.Duration
}

// Ingester carries the streaming state (dedup index, story assignment)
// from one document to the next. Not safe for concurrent use.
type Ingester struct {
	st        store.Store
	cfg       Config
	log       *slog.Logger
	cleaner   *clean.Cleaner
	index     *dedup.Index
	clusterer *cluster.Clusterer
	storyOf   map[string]string // canonical article → story
	stories   map[string]bool   // every story known
	timing    [6]atomic.Int64   // nanoseconds, indexed like Stages
}

// New returns an Ingester that goes on from what st already holds.
func New(ctx context.Context, st store.Store, cfg Config) (*Ingester, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	in := &Ingester{
		st:        st,
		cfg:       cfg,
		log:       cfg.Logger,
		cleaner:   clean.New(clean.WithoutMemory()),
		index:     dedup.NewIndex(cfg.Dedup),
		clusterer: cluster.New(cfg.Cluster),
		storyOf:   map[string]string{},
		stories:   map[string]bool{},
	}
	err := st.Replay(ctx, func(s store.Saved) error {
		sig, err := dedup.UnmarshalSignature(s.Signature)
		if err != nil {
			return fmt.Errorf("article %s: %w", s.ID, err)
		}
		f, err := cluster.UnmarshalFeatures(s.Features)
		if err != nil {
			return fmt.Errorf("article %s: %w", s.ID, err)
		}
		in.index.Add(s.ID, sig)
		in.clusterer.Restore(s.ID, s.StoryID, f)
		in.storyOf[s.ID] = s.StoryID
		in.stories[s.StoryID] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: replay stored state: %w", err)
	}
	return in, nil
}

// ArticleID is the stable ID of the document with this key.
func ArticleID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "a" + hex.EncodeToString(sum[:8])
}

// prepared is a document after the stages that need nothing but itself.
type prepared struct {
	doc     source.Document
	article dossier.Article
	sig     dedup.Signature
	feat    cluster.Features
	err     error
}

// Run ingests files. progress, when not nil, is told the bytes read.
// A bad file or record is reported in the Summary and the rest goes on; the
// error is only for what stops the run (the store failing, ctx cancelled).
func (in *Ingester) Run(ctx context.Context, files []source.File, stdin io.Reader, progress func(int)) (Summary, error) {
	sum := Summary{Timing: map[string]time.Duration{}}
	touched := map[string]bool{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The reader hands each document to the workers and, in the same order,
	// a slot for its result to the committer: parallel work, ordered commits.
	jobs := make(chan *slot, in.cfg.Workers*4)
	order := make(chan *slot, in.cfg.Workers*16)
	var mu sync.Mutex // guards sum.Problems and sum.Failed from the reader
	bad := func(p source.Problem) {
		mu.Lock()
		sum.Problems = append(sum.Problems, p)
		sum.Failed++
		mu.Unlock()
		in.log.Debug("skipped", "source", p.Source, "err", p.Err)
	}
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		for _, f := range files {
			err := source.Read(ctx, f, stdin, func(d source.Document) error {
				s := &slot{doc: d, done: make(chan struct{})}
				select {
				case jobs <- s:
				case <-ctx.Done():
					return ctx.Err()
				}
				select {
				case order <- s:
				case <-ctx.Done():
					return ctx.Err()
				}
				return nil
			}, bad, progress)
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					readErr = err
				}
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range in.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				s.p = in.prepare(s.doc)
				close(s.done)
			}
		}()
	}
	var runErr error
	for s := range order {
		select {
		case <-s.done:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			runErr = ctx.Err()
			break
		}
		sum.Read++
		if s.p.err != nil {
			bad(source.Problem{Source: s.doc.Source, Err: s.p.err})
			continue
		}
		outcome, err := in.commit(ctx, &s.p)
		if err != nil {
			runErr = fmt.Errorf("ingest %s: %w", s.doc.Source, err)
			break
		}
		switch outcome {
		case outcomeUnchanged:
			sum.Unchanged++
			continue
		case outcomeUpdated:
			sum.Updated++
		default:
			sum.New++
		}
		a := &s.p.article
		if a.DuplicateOf != "" {
			sum.Duplicates++
		}
		if !touched[a.StoryID] {
			touched[a.StoryID] = true
			if !in.stories[a.StoryID] {
				in.stories[a.StoryID] = true
				sum.NewStories++
			}
		}
	}
	cancel()
	// Drain so the reader and workers finish before we return.
	for range order {
	}
	wg.Wait()
	if readErr != nil && runErr == nil {
		runErr = readErr
	}
	sum.StoriesTouched = len(touched)
	for i, name := range Stages {
		sum.Timing[name] = time.Duration(in.timing[i].Load())
	}
	if errors.Is(runErr, context.Canceled) {
		runErr = fmt.Errorf("ingest interrupted: %w", runErr)
	}
	return sum, runErr
}

type slot struct {
	doc  source.Document
	p    prepared
	done chan struct{}
}

func (in *Ingester) clock(stage int, start time.Time) {
	in.timing[stage].Add(int64(time.Since(start)))
}

// prepare runs the stages that need only the document itself.
func (in *Ingester) prepare(doc source.Document) (p prepared) {
	p.doc = doc
	defer func() {
		// A stage must never take the batch down with it: report and go on.
		if r := recover(); r != nil {
			p.err = fmt.Errorf("internal error: %v", r)
		}
	}()
	start := time.Now()
	var page clean.Page
	var rawHTML []byte
	var hints describe.Hints
	switch doc.Format {
	case source.HTML:
		rawHTML = doc.Data
	case source.Record:
		r := doc.Record
		hints = describe.Hints{URL: r.URL, Title: r.Title, Outlet: r.Outlet, Published: r.Published, Language: r.Language, Authors: r.Authors}
		if r.Text == "" {
			rawHTML = []byte(r.HTML)
		}
	}
	if rawHTML != nil {
		var err error
		if page, err = in.cleaner.HTML(rawHTML, hints.URL); err != nil {
			p.err = fmt.Errorf("clean: %w", err)
			return p
		}
	} else if doc.Format == source.Record {
		page = in.cleaner.Text(doc.Record.Text, doc.Record.Title)
	} else {
		page = in.cleaner.Text(string(doc.Data), "")
	}
	if len(page.Paragraphs) == 0 && page.Title != "" {
		// A one-line text, or a page whose only words are its headline: the
		// line is all there is of the article, so it is the body too.
		page.Paragraphs = []string{page.Title}
	}
	text := page.Text()
	in.clock(0, start)
	if text == "" {
		p.err = errors.New("no article text found")
		return p
	}

	start = time.Now()
	meta := describe.Describe(describe.Input{Source: doc.Source, Page: page, HTML: rawHTML, Hints: hints})
	in.clock(1, start)

	start = time.Now()
	fp := dedup.Fingerprint(text)
	p.sig = in.cfg.Dedup.Sign(text)
	in.clock(2, start)

	start = time.Now()
	p.feat = cluster.Extract(meta.Title, text, meta.Language, meta.Published)
	in.clock(3, start)

	start = time.Now()
	quotes := quote.Find(text)
	in.clock(4, start)

	p.article = dossier.Article{
		ID:          ArticleID(doc.Key),
		Source:      doc.Source,
		URL:         meta.URL,
		Outlet:      meta.Outlet,
		Title:       meta.Title,
		Authors:     meta.Authors,
		Contacts:    meta.Contacts,
		Published:   meta.Published,
		Language:    meta.Language,
		Text:        text,
		Captions:    page.Captions,
		Fingerprint: fp,
		Quotes:      quotes,
	}
	return p
}

type outcome int

const (
	outcomeNew outcome = iota
	outcomeUpdated
	outcomeUnchanged
)

// commit links duplicates, assigns the story and stores the article.
func (in *Ingester) commit(ctx context.Context, p *prepared) (outcome, error) {
	a := &p.article
	start := time.Now()
	oldFP, found, err := in.st.Fingerprint(ctx, a.ID)
	if err != nil {
		return 0, err
	}
	if found && oldFP == a.Fingerprint {
		in.clock(5, start)
		return outcomeUnchanged, nil
	}
	result := outcomeNew
	if found {
		result = outcomeUpdated
	}
	canonical, exact, err := in.st.CanonicalByFingerprint(ctx, a.Fingerprint)
	if err != nil {
		return 0, err
	}
	in.clock(5, start)

	start = time.Now()
	switch {
	case exact && canonical != a.ID:
		a.DuplicateOf, a.Similarity = canonical, 1
	default:
		if id, sim, ok := in.index.Match(p.sig); ok && id != a.ID {
			a.DuplicateOf, a.Similarity = id, sim
		}
	}
	if a.DuplicateOf == "" {
		in.index.Add(a.ID, p.sig)
	}
	in.clock(2, start)

	start = time.Now()
	if a.DuplicateOf != "" {
		// A copy belongs to its original's story and is not quoted twice.
		a.StoryID = in.storyOf[a.DuplicateOf]
		a.Quotes = nil
	} else {
		a.StoryID = in.clusterer.Assign(a.ID, p.feat)
		in.storyOf[a.ID] = a.StoryID
	}
	in.clock(3, start)

	start = time.Now()
	a.IngestedAt = in.cfg.Now().UTC()
	err = in.st.Put(ctx, a, store.State{Signature: p.sig.Marshal(), Features: p.feat.Marshal()})
	in.clock(5, start)
	if err != nil {
		return 0, err
	}
	in.log.Debug("ingested", "source", a.Source, "id", a.ID, "story", a.StoryID, "duplicate_of", a.DuplicateOf)
	return result, nil
}
