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
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/html"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/compare"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/describe"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/quote"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// Version names the per-article stages' behaviour. A document whose raw
// bytes were stored by this version is skipped unread; bump it when a stage
// changes what it makes of a document, so that stored articles get the
// improvement on the next run.
const Version = "4"

// Config tunes an Ingester.
type Config struct {
	Dedup   dedup.Config
	Cluster cluster.Config
	// Workers run the per-article stages; 0 means one per CPU.
	Workers int
	Logger  *slog.Logger
	// Now stamps IngestedAt; nil means time.Now.
	Now func() time.Time
	// Who names the writer in the store's lock ("dossier ingest").
	Who string
	// NoWait makes New fail at once when another writer holds the store;
	// else it waits, telling OnWait (when set) who holds it.
	NoWait bool
	OnWait func(store.Holder)
}

// DefaultConfig is the configuration the CLI starts from.
func DefaultConfig() Config {
	return Config{Dedup: dedup.DefaultConfig(), Cluster: cluster.DefaultConfig()}
}

// Validate reports a setting outside its range, naming the range.
func (c Config) Validate() error {
	var errs []error
	if !(c.Dedup.Threshold > 0 && c.Dedup.Threshold <= 1) {
		errs = append(errs, fmt.Errorf("duplicate threshold %v: want a number in (0, 1]", c.Dedup.Threshold))
	}
	if !(c.Cluster.Threshold >= 0 && c.Cluster.Threshold <= 1) {
		errs = append(errs, fmt.Errorf("story threshold %v: want a number in [0, 1]", c.Cluster.Threshold))
	}
	if c.Cluster.Window < 0 {
		errs = append(errs, fmt.Errorf("story window %v: want 0 (no limit) or more", c.Cluster.Window))
	}
	if c.Cluster.Decay < 0 {
		errs = append(errs, fmt.Errorf("story decay %v: want 0 (off) or more", c.Cluster.Decay))
	}
	if !(c.Cluster.DecayFloor >= 0 && c.Cluster.DecayFloor <= 1) {
		errs = append(errs, fmt.Errorf("story decay floor %v: want a number in [0, 1]", c.Cluster.DecayFloor))
	}
	if !(c.Cluster.MergeAt >= 0 && c.Cluster.MergeAt <= 1) {
		errs = append(errs, fmt.Errorf("story merge threshold %v: want a number in [0, 1] (0: never merge)", c.Cluster.MergeAt))
	}
	if !(c.Cluster.SplitBelow >= 0 && c.Cluster.SplitBelow <= 1) {
		errs = append(errs, fmt.Errorf("story split threshold %v: want a number in [0, 1] (0: never split)", c.Cluster.SplitBelow))
	}
	if !(c.Cluster.Prior >= 0 && c.Cluster.Prior <= 1e9) {
		errs = append(errs, fmt.Errorf("story prior %v: want 0 (off) or more documents", c.Cluster.Prior))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d: want 0 (one per CPU) or more", c.Workers))
	}
	return errors.Join(errs...)
}

// Stage names, in pipeline order, for Summary.Timing.
const (
	StageClean    = "clean"
	StageDescribe = "describe"
	StageDedup    = "dedup"
	StageCluster  = "cluster"
	StageQuote    = "quote"
	StageStore    = "store"
	StageCompare  = "compare"
)

// Stages lists the stage names in pipeline order.
var Stages = []string{StageClean, StageDescribe, StageDedup, StageCluster, StageQuote, StageStore, StageCompare}

// Summary counts what one run did.
type Summary struct {
	Read       int `json:"read"`       // documents read
	New        int `json:"new"`        // articles stored for the first time
	Updated    int `json:"updated"`    // articles whose text or metadata changed since they were stored
	Unchanged  int `json:"unchanged"`  // articles already stored as they are
	Duplicates int `json:"duplicates"` // new or updated articles that copy another
	Failed     int `json:"failed"`     // files or records that could not be read or cleaned
	// Relinked counts copies whose original changed or left, checked again.
	Relinked int `json:"relinked"`
	// Compared counts the stories whose comparison was made anew.
	Compared int `json:"compared"`
	// Merged counts the stories that later articles showed to be one
	// with another, and were merged into it.
	Merged int `json:"merged"`
	// Split counts the stories that split in two as they grew.
	Split int `json:"split"`
	// Recleaned counts the stored articles cleaned again because their
	// outlet's template changed.
	Recleaned int `json:"recleaned"`
	// StoriesTouched counts the stories that gained or changed an article.
	StoriesTouched int              `json:"stories_touched"`
	NewStories     int              `json:"new_stories"`
	Problems       []source.Problem `json:"problems"`
	// Timing is the time spent in each stage, summed over workers.
	Timing map[string]time.Duration `json:"timing_ns,omitempty"`
}

// Ingester carries the streaming state (dedup index, story assignment)
// from one document to the next, and holds the store's writer lock from
// New to Close. Not safe for concurrent use.
type Ingester struct {
	st        store.Store // look, over the store
	look      *lookups
	cfg       Config
	log       *slog.Logger
	prep      *Preparer
	index     *dedup.Index
	clusterer *cluster.Clusterer
	stories   map[string]bool // every story known
	// placed holds the originals placed again while stories are rebuilt,
	// nil otherwise (see clusterBacking).
	placed map[string]bool
	// pending is the streaming state changed since the last flushState.
	pending store.StateDelta
	// founded counts the stories the clusterer founded since New.
	founded int64
	release func() error
	// legacy is true when the store holds articles from before stable
	// identities (no source key): only then is a new document looked up
	// under its old ID too.
	legacy bool
	// templates are the outlets' current templates and learned their
	// stored rows; teach counts the articles per outlet committed since
	// the last flush, sinceRound those since the last round of learning,
	// roundEvery how many make a round (CompareEvery; tests lower it).
	templates  map[string]*clean.Template
	learned    map[string]store.Template // as stored
	teach      map[string]int
	sinceRound int
	roundEvery int
	timing     [7]atomic.Int64 // nanoseconds, indexed like Stages
}

// New takes the store's writer lock and returns an Ingester that goes on
// from what st holds once the lock is had, other writers' work included.
func New(ctx context.Context, st store.Store, cfg Config) (*Ingester, error) {
	return open(ctx, st, cfg, false)
}

// open takes the writer lock and readies the streaming state: from the
// store, or with rebuild, from nothing.
func open(ctx context.Context, st store.Store, cfg Config, rebuild bool) (*Ingester, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Who == "" {
		cfg.Who = "dossier ingest"
	}
	release, err := st.Lock(ctx, cfg.Who, lockWait(cfg))
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	// While stories are rebuilt, their members are those placed again
	// (clusterBacking): none are kept.
	look := newLookups(st, !rebuild)
	in := &Ingester{
		st:      look,
		look:    look,
		cfg:     cfg,
		log:     cfg.Logger,
		index:   dedup.NewIndex(cfg.Dedup),
		stories: map[string]bool{},
		release: release,
		teach:   map[string]int{},
		// Rounds of learning templates fall every CompareEvery articles.
		roundEvery: CompareEvery,
	}
	in.prep = newPreparer(st, cfg, &in.timing)
	cb := clusterBacking{Store: look}
	if rebuild {
		cb = clusterBacking{Store: st, placed: map[string]bool{}}
	}
	in.clusterer = cluster.NewBacked(cfg.Cluster, cb)
	in.placed = cb.placed
	in.index.WithBacking(dedupBacking{in}, indexMemory)
	if err := in.ready(ctx, rebuild); err != nil {
		_ = release()
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return in, nil
}

// ready readies the streaming state, which lives in the store: nothing is
// replayed. A rebuild starts it from nothing. A store written by a version
// that kept no state has it built once, from its articles in ingest order.
func (in *Ingester) ready(ctx context.Context, rebuild bool) error {
	legacy, err := in.st.HasLegacy(ctx)
	if err != nil {
		return err
	}
	in.legacy = legacy
	if err := in.loadTemplates(ctx); err != nil {
		return err
	}
	if rebuild {
		in.index.StartsEmpty()
		return in.st.ClearState(ctx)
	}
	docs, _, err := in.st.TermCounts(ctx, nil)
	if err != nil {
		return err
	}
	if docs > 0 {
		return nil
	}
	built := 0
	err = in.st.Replay(ctx, func(s store.Saved) error {
		sig, f, err := in.stateOf(ctx, s)
		if err != nil {
			return err
		}
		in.pendingBands()[s.ID] = in.index.BandKeys(sig)
		if err := in.clusterer.RestoreContext(ctx, s.ID, s.StoryID, f); err != nil {
			return err
		}
		if built++; built%500 == 0 {
			return in.atomically(ctx, in.flushState)
		}
		return nil
	})
	if err == nil {
		err = in.atomically(ctx, in.flushState)
	}
	if err != nil {
		return fmt.Errorf("build the streaming state of a store from an earlier version: %w", err)
	}
	if built > 0 {
		in.log.Info("built the streaming state of a store from an earlier version", "articles", built)
	} else {
		in.index.StartsEmpty()
	}
	in.founded = 0
	return nil
}

// Close releases the writer lock. The Ingester must not be used afterwards.
func (in *Ingester) Close() error {
	if in.release == nil {
		return nil
	}
	err := in.release()
	in.release = nil
	if err != nil {
		return fmt.Errorf("ingest: release writer lock: %w", err)
	}
	return nil
}

// Unlock releases the writer lock between runs, keeping the streaming
// state read so far; Relock takes the lock again. The state stays right
// only while nobody else writes in between (store.OthersWatcher tells),
// else the Ingester must be closed and a new one made.
func (in *Ingester) Unlock() error { return in.Close() }

// Relock takes the writer lock again after Unlock.
func (in *Ingester) Relock(ctx context.Context) error {
	if in.release != nil {
		return nil
	}
	release, err := in.st.Lock(ctx, in.cfg.Who, lockWait(in.cfg))
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	in.release = release
	return nil
}

// lockWait is what Store.Lock calls while another writer holds the lock:
// cfg's notice, or nil to fail at once (NoWait).
func lockWait(cfg Config) func(store.Holder) {
	switch {
	case cfg.NoWait:
		return nil
	case cfg.OnWait != nil:
		return cfg.OnWait
	}
	return func(store.Holder) {}
}

// stateOf is the streaming state an article was stored with. State that an
// older version wrote in another format is made anew from the stored
// article, as ingesting it now would make it.
func (in *Ingester) stateOf(ctx context.Context, s store.Saved) (dedup.Signature, cluster.Features, error) {
	sig, serr := dedup.UnmarshalSignature(s.Signature)
	f, ferr := cluster.UnmarshalFeatures(s.Features)
	if serr == nil && ferr == nil {
		return sig, f, nil
	}
	a, err := in.st.Article(ctx, s.ID)
	if err != nil {
		return sig, f, fmt.Errorf("article %s: state unreadable (%w), and so is the article: %w", s.ID, errors.Join(serr, ferr), err)
	}
	if serr != nil {
		sig = in.cfg.Dedup.SignArticle(a.Title, a.Text)
	}
	if ferr != nil {
		f = cluster.Extract(a.Title, a.Text, a.Language, a.Published)
	}
	return sig, f, nil
}

// legacyID is the ID stores made before stable identities gave a
// document, so that its article is found and renamed.
func legacyID(legacyKey string) string {
	if legacyKey == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(legacyKey))
	return "a" + hex.EncodeToString(sum[:8])
}

// prepared is a document after the stages that need nothing but itself.
type prepared struct {
	doc     source.Document
	article dossier.Article
	sig     dedup.Signature
	feat    cluster.Features
	digest  string // the raw bytes' digest under this Version
	// seen is true when the document was stored from these very bytes:
	// nothing else was done.
	seen bool
	// queued says doc, of a seen result from the queue, is whole.
	queued bool
	err    error
}

// Run ingests files. progress, when not nil, is told of every document
// done (stored, skipped or failed), one at a time.
// A bad file or record is reported in the Summary and the rest goes on; the
// error is only for what stops the run: the store failing, or ctx ending,
// when it wraps ctx's error and the Summary tells how far the run got.
func (in *Ingester) Run(parent context.Context, files []source.File, stdin io.Reader, progress func(int)) (Summary, error) {
	if in.release == nil {
		return Summary{}, errors.New("ingest: run without the writer lock (closed, or unlocked and not taken again)")
	}
	sum := Summary{Timing: map[string]time.Duration{}}
	touched := map[string]bool{}
	foundedBefore := in.founded
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var mu sync.Mutex // guards problems and progress, shared with the reader
	var problems []source.Problem
	report := func(n int) {
		if progress != nil {
			progress(n)
		}
	}
	bad := func(p source.Problem) {
		mu.Lock()
		problems = append(problems, p)
		report(1)
		mu.Unlock()
		in.log.Debug("skipped", "source", p.Source, "err", p.Err)
	}

	// The reader hands each document to the workers and, in the same order,
	// a slot for its result to the committer: parallel work, ordered commits.
	jobs := make(chan *slot, in.cfg.Workers*4)
	// Room for two groups of prepared documents, so that one is ready
	// while the committer writes the last.
	order := make(chan *slot, max(in.cfg.Workers*16, 2*groupCommit))
	readDone := make(chan error, 1)
	go func() {
		readDone <- in.read(ctx, files, stdin, jobs, order, bad)
		close(jobs)
		close(order)
	}()
	var wg sync.WaitGroup
	for range in.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case s, ok := <-jobs:
					if !ok {
						return
					}
					s.p = in.prep.prepare(ctx, s.doc)
					close(s.done)
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	var runErr error
	stopped := false // the run ended before the input did
	committed := 0
	// handle commits one prepared document inside the group's transaction.
	handle := func(ctx context.Context, s *slot) error {
		sum.Read++
		mu.Lock()
		report(1)
		mu.Unlock()
		if s.p.seen {
			still, err := in.stillSeen(ctx, &s.p, true)
			if err != nil {
				return fmt.Errorf("ingest %s: %w", s.doc.Source, err)
			}
			if still {
				sum.Unchanged++
				return nil
			}
		}
		if s.p.err != nil {
			mu.Lock()
			problems = append(problems, source.Problem{Source: s.doc.Source, Err: s.p.err})
			mu.Unlock()
			return nil
		}
		outcome, err := in.commit(ctx, &s.p, &sum, touched)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", s.doc.Source, err)
		}
		switch outcome {
		case outcomeUnchanged:
			sum.Unchanged++
			return nil
		case outcomeUpdated:
			sum.Updated++
		default:
			sum.New++
		}
		if s.p.article.DuplicateOf != "" {
			sum.Duplicates++
		}
		committed++
		return in.taught(ctx, s.p.article.Outlet, &sum, touched)
	}
	var held *slot // taken from order, not prepared yet
	closed := false
commits:
	for !closed {
		// Checked first: a select with both cases ready picks at random,
		// and an interrupted run must not commit one more article.
		if ctx.Err() != nil {
			stopped = true
			break
		}
		s := held
		held = nil
		if s == nil {
			select {
			case next, ok := <-order:
				if !ok {
					break commits
				}
				s = next
			case <-ctx.Done():
				stopped = true
				break commits
			}
		}
		select {
		case <-s.done:
		case <-ctx.Done():
			stopped = true
			break commits
		}
		// The documents already prepared join the first in one
		// transaction: a commit per document would cost more than most
		// stages.
		group := []*slot{s}
	gather:
		for len(group) < groupCommit {
			select {
			case next, ok := <-order:
				if !ok {
					closed = true
					break gather
				}
				select {
				case <-next.done:
					group = append(group, next)
				default:
					held = next
					break gather
				}
			default:
				break gather
			}
		}
		if ctx.Err() != nil {
			stopped = true
			break
		}
		before := committed
		if err := in.atomically(ctx, func(ctx context.Context) error {
			for _, s := range group {
				if err := handle(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			runErr = err
			break
		}
		if committed/CompareEvery > before/CompareEvery {
			if err := in.compareStale(ctx, &sum); err != nil {
				runErr = err
				break
			}
		}
	}
	// The input may have ended with the last transaction, after an
	// interrupt: the run still stopped short of comparing.
	stopped = stopped || runErr == nil && ctx.Err() != nil
	if runErr == nil && !stopped && ctx.Err() == nil {
		runErr = in.finish(ctx, &sum, touched)
	}
	cancel()
	// Workers end within the document they are on. The reader is not
	// waited for: it may be blocked on a FIFO or a terminal, and ends with
	// that read.
	wg.Wait()
	var readErr error
	select {
	case readErr = <-readDone:
	default:
		readErr = parent.Err()
	}
	if runErr == nil {
		switch {
		case readErr != nil:
			runErr = readErr
		case stopped:
			runErr = parent.Err()
		}
	}
	mu.Lock()
	sum.Problems = append([]source.Problem(nil), problems...)
	mu.Unlock()
	sum.Failed = len(sum.Problems)
	sum.StoriesTouched = len(touched)
	sum.NewStories = int(in.founded - foundedBefore)
	for i, name := range Stages {
		sum.Timing[name] = time.Duration(in.timing[i].Load())
	}
	if errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded) {
		runErr = fmt.Errorf("ingest interrupted: %w", runErr)
	}
	return sum, runErr
}

// read feeds every document of files to the workers and the committer.
func (in *Ingester) read(ctx context.Context, files []source.File, stdin io.Reader, jobs, order chan<- *slot, bad func(source.Problem)) error {
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
		}, bad)
		if err != nil {
			return err
		}
	}
	return nil
}

type slot struct {
	doc  source.Document
	p    prepared
	done chan struct{}
}

func (in *Ingester) clock(stage int, start time.Time) {
	in.timing[stage].Add(int64(time.Since(start)))
}

// prepare runs the stages that need only the document itself, unless the
// store already holds it from these very bytes.
func (in *Preparer) prepare(ctx context.Context, doc source.Document) prepared {
	return in.prepareAs(ctx, doc, true)
}

// prepareAs is prepare; with trustSeen false the stages run even when the
// store holds the document from these bytes.
func (in *Preparer) prepareAs(ctx context.Context, doc source.Document, trustSeen bool) (p prepared) {
	p.doc = doc
	defer func() {
		// A stage must never take the batch down with it: report and go on.
		if r := recover(); r != nil {
			p.err = fmt.Errorf("internal error: %v", r)
		}
	}()
	start := time.Now()
	p.digest = StoredDigest(doc)
	if trustSeen && doc.Key != "" && doc.Digest != "" {
		_, seen, err := in.st.Seen(ctx, doc.Key, p.digest)
		if err != nil {
			p.err = err
			return p
		}
		if seen {
			p.seen = true
			in.clock(5, start)
			return p
		}
	}
	in.clock(5, start)

	start = time.Now()
	var page clean.Page
	var rawHTML []byte
	var hints describe.Hints
	var recordTitle string
	switch doc.Format {
	case source.HTML:
		rawHTML = doc.Data
	case source.Record:
		r := doc.Record
		hints = describe.Hints{URL: r.URL, Title: r.Title, Outlet: r.Outlet, Published: r.Published, Language: r.Language, Authors: r.Authors}
		recordTitle = r.Title
		switch {
		case !describe.IsHeadline(r.Title):
			// A date or an address in the title field: the text's first
			// line is the headline, as for a text file, and describe
			// reads the field's date.
			recordTitle = ""
		case !clean.IsHeadline(r.Title):
			// Too long for a headline: the cleaner cuts it.
			hints.Title = ""
		}
		if r.Text == "" {
			rawHTML = []byte(r.HTML)
		}
	}
	var tree *html.Node
	if rawHTML != nil {
		// Decoded once by source (a record's field is text already), parsed
		// once here for clean and describe.
		var err error
		if tree, err = clean.Parse(string(rawHTML)); err != nil {
			p.err = err
			return p
		}
		if page, err = in.cleaner.Tree(tree, hints.URL); err != nil {
			p.err = err
			return p
		}
	} else if doc.Format == source.Record {
		page = in.cleaner.Text(doc.Record.Text, recordTitle)
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
	meta := describe.Describe(describe.Input{Source: doc.Source, Page: page, HTML: rawHTML, Doc: tree, Hints: hints})
	in.clock(1, start)

	p.article = dossier.Article{
		ID:        ident.ArticleID(identity(doc, hints.URL, meta.URL)),
		Source:    doc.Source,
		URL:       meta.URL,
		Outlet:    meta.Outlet,
		Title:     meta.Title,
		Authors:   meta.Authors,
		Contacts:  meta.Contacts,
		Published: meta.Published,
		Modified:  meta.Modified,
		Language:  meta.Language,
		Text:      text,
		Captions:  page.Captions,
	}
	p.sig, p.feat = in.derive(&p.article)
	return p
}

// derive makes from an article's title and text all that depends on them:
// its fingerprint and quotes, its dedup signature and clustering features.
// A text changed later (an outlet's template) is derived again here.
func (in *Preparer) derive(a *dossier.Article) (dedup.Signature, cluster.Features) {
	start := time.Now()
	a.Fingerprint = dedup.Fingerprint(a.Text)
	sig := in.cfg.Dedup.SignArticle(a.Title, a.Text)
	in.clock(2, start)

	start = time.Now()
	feat := cluster.Extract(a.Title, a.Text, a.Language, a.Published)
	in.clock(3, start)

	start = time.Now()
	a.Quotes = findQuotes(a.Text, a.Outlet)
	in.clock(4, start)
	return sig, feat
}

// stillSeen checks again, in input order, a document the workers found
// stored from the same bytes: a commit of this run since (the same
// identity earlier in the stream, from other bytes) may have replaced
// what it was stored as, and then it must be prepared and committed after
// all, or a second run would end elsewhere than the first. When it is not
// still stored, p is prepared now from its document (whole says p.doc
// has its bytes), or fails with why; the error is the store's.
func (in *Ingester) stillSeen(ctx context.Context, p *prepared, whole bool) (bool, error) {
	_, seen, err := in.st.Seen(ctx, p.doc.Key, p.digest)
	if err != nil {
		return false, fmt.Errorf("seen: %w", err)
	}
	switch {
	case seen:
	case whole:
		*p = in.prep.prepareAs(ctx, p.doc, false)
	default:
		p.err = errors.New("replaced by an earlier document of this stream after it was prepared: queue it again")
	}
	return seen, nil
}

// findQuotes finds an article's quotes. Its own masthead is its reporter,
// never a speaker: a quote credited to it took the name from a byline or a
// dateline, and is left without one.
func findQuotes(text, outlet string) []dossier.Quote {
	quotes := quote.Find(text)
	for i, q := range quotes {
		if outlet != "" && strings.EqualFold(strings.TrimSpace(q.Speaker), outlet) {
			quotes[i].Speaker, quotes[i].Role = "", ""
		}
	}
	return quotes
}

// identity is the key an article is known by: the URL a record gives, else
// the page's own canonical address when it can be trusted, else where the
// document was read.
func identity(doc source.Document, hintURL, pageURL string) string {
	if doc.Format == source.Record && hintURL != "" {
		return doc.Key // already the record's normalised URL
	}
	if u, ok := ident.Canonical(hintURL, pageURL); ok {
		return ident.URLKey(u)
	}
	return doc.Key
}

type outcome int

const (
	outcomeNew outcome = iota
	outcomeUpdated
	outcomeUnchanged
)

// commit stores a prepared article: links it to what it copies, assigns its
// story, and when it replaces a stored version whose text differs, takes
// the old version's contribution out first and checks its copies again.
func (in *Ingester) commit(ctx context.Context, p *prepared, sum *Summary, touched map[string]bool) (outcome, error) {
	furniture := in.furnish(p)
	a := &p.article
	state := store.State{Signature: p.sig.Marshal(), Features: p.feat.Marshal(), SourceKey: p.doc.Key, Digest: p.digest, Furniture: furniture}
	start := time.Now()
	old, found, err := in.st.Saved(ctx, a.ID)
	if err != nil {
		return 0, err
	}
	// An article stored under the ID of an earlier identity scheme is
	// renamed: the old ID stays an alias.
	renamed := ""
	if legacy := legacyID(p.doc.LegacyKey); in.legacy && !found && legacy != "" && legacy != a.ID {
		if old, found, err = in.st.Saved(ctx, legacy); err != nil {
			return 0, err
		}
		if found {
			renamed = legacy
		}
	}
	if found && renamed == "" {
		stored, err := in.st.Article(ctx, a.ID)
		if err != nil {
			return 0, err
		}
		if stored.Fingerprint == a.Fingerprint {
			// Same text: copies and story stay as they are, metadata may
			// have changed, and the new digest lets the next run skip it.
			in.clock(5, start)
			return in.refresh(ctx, a, stored, old, state)
		}
		if stored.Source != a.Source {
			in.log.Warn("an earlier document had the same identity: stored as an update", "source", a.Source, "earlier", stored.Source, "url", a.URL)
		}
	}
	in.clock(5, start)
	if found {
		if err := in.forget(ctx, old); err != nil {
			return 0, err
		}
	}
	displaced, err := in.link(ctx, a, p.sig, p.feat, old.ID, true)
	if err != nil {
		return 0, err
	}
	if err := in.put(ctx, a, state, sum, touched); err != nil {
		return 0, err
	}
	if displaced.ID != "" {
		if err := in.displace(ctx, displaced, a.ID, sum, touched); err != nil {
			return 0, err
		}
	}
	if !found {
		return outcomeNew, nil
	}
	if renamed != "" {
		if err := in.relinkCopies(ctx, renamed, true, sum, touched); err != nil {
			return 0, err
		}
		if err := in.st.Remove(ctx, renamed, "renamed to "+a.ID); err != nil {
			return 0, err
		}
		if err := in.st.Alias(ctx, store.KindArticle, renamed, a.ID); err != nil {
			return 0, err
		}
		// A story that held only the renamed article lives on in the new
		// one: its ID resolves there.
		if old.StoryID != "" && old.StoryID != a.StoryID {
			if _, err := in.st.Story(ctx, old.StoryID); errors.Is(err, store.ErrNotFound) {
				if err := in.st.Alias(ctx, store.KindStory, old.StoryID, a.StoryID); err != nil {
					return 0, err
				}
			} else if err != nil {
				return 0, err
			}
		}
	} else if err := in.relinkCopies(ctx, a.ID, false, sum, touched); err != nil {
		return 0, err
	}
	if old.DuplicateOf == "" && old.StoryID != a.StoryID {
		if err := in.revisit(ctx, old.StoryID, sum, touched); err != nil {
			return 0, err
		}
	}
	return outcomeUpdated, nil
}

// revisit decides again the story of every original left in a story that
// lost one, as if the one that left had never come: members that joined
// because of it can go where they now fit best. Each move is recorded.
func (in *Ingester) revisit(ctx context.Context, storyID string, sum *Summary, touched map[string]bool) error {
	if storyID == "" {
		return nil
	}
	story, err := in.st.Story(ctx, storyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, id := range story.Articles {
		sv, found, err := in.st.Saved(ctx, id)
		if err != nil {
			return err
		}
		if !found || sv.DuplicateOf != "" || sv.StoryID != storyID {
			continue
		}
		_, f, err := in.stateOf(ctx, sv)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := in.clusterer.RemoveContext(ctx, id, storyID, f); err != nil {
			return err
		}
		to, err := in.clusterer.AssignContext(ctx, id, f)
		if err != nil {
			return err
		}
		in.clock(3, start)
		if err := in.applyRegroups(ctx, sum, touched); err != nil {
			return err
		}
		if to == storyID {
			continue
		}
		copies, err := in.st.Copies(ctx, id)
		if err != nil {
			return err
		}
		for _, x := range append([]string{id}, copies...) {
			a, xs, err := in.load(ctx, x)
			if err != nil {
				return err
			}
			a.StoryID = to
			if err := in.put(ctx, &a, xs.State, sum, touched); err != nil {
				return err
			}
		}
		in.log.Debug("revisited", "id", id, "from", storyID, "to", to)
	}
	return nil
}

// MoveMerged is the reason a Move records for an article whose story was
// merged into another.
const MoveMerged = "merged"

// applyMerges moves the articles of every story the clusterer merged into
// another (copies too), records each move, and makes the merged story's ID
// name the story it went into.
func (in *Ingester) applyMerges(ctx context.Context, sum *Summary, touched map[string]bool) error {
	for _, m := range in.clusterer.TakeMerges() {
		story, err := in.st.Story(ctx, m.From)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
		}
		for _, id := range story.Articles {
			a, sv, err := in.load(ctx, id)
			if err != nil {
				return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
			}
			a.StoryID = m.Into
			state := sv.State
			state.Reason = MoveMerged
			if err := in.rewrite(ctx, &a, state); err != nil {
				return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
			}
		}
		if err := in.st.Alias(ctx, store.KindStory, m.From, m.Into); err != nil {
			return fmt.Errorf("merge %s into %s: %w", m.From, m.Into, err)
		}
		delete(in.stories, m.From)
		touched[m.Into] = true
		sum.Merged++
		in.log.Debug("merged stories", "from", m.From, "into", m.Into, "articles", len(story.Articles))
	}
	return nil
}

// refresh stores what changed of an article whose text did not.
func (in *Ingester) refresh(ctx context.Context, a *dossier.Article, stored dossier.Article, old store.Saved, state store.State) (outcome, error) {
	a.DuplicateOf, a.Similarity, a.StoryID = stored.DuplicateOf, stored.Similarity, stored.StoryID
	if a.DuplicateOf != "" {
		a.Quotes = nil
	}
	a.IngestedAt = stored.IngestedAt
	result := outcomeUnchanged
	if !sameArticle(stored, *a) {
		result = outcomeUpdated
		a.IngestedAt = in.cfg.Now().UTC()
	}
	// The state in memory came from the stored signature and features:
	// keep those, so that a restart rebuilds exactly what is in memory.
	state.Signature, state.Features = old.Signature, old.Features
	start := time.Now()
	err := in.st.Put(ctx, a, state)
	in.clock(5, start)
	return result, err
}

// sameArticle compares what a document makes of an article, leaving out
// when it was ingested and where it was read: a line that moved in its
// file is the same article, its source merely brought up to date.
func sameArticle(x, y dossier.Article) bool {
	x.IngestedAt, y.IngestedAt = time.Time{}, time.Time{}
	x.Source, y.Source = "", ""
	// Times are the same when their instant and stated offset are.
	for _, t := range [][2]*time.Time{{&x.Published, &y.Published}, {&x.Modified, &y.Modified}} {
		if !t[0].Equal(*t[1]) || t[0].Format(time.RFC3339) != t[1].Format(time.RFC3339) {
			return false
		}
		*t[0], *t[1] = time.Time{}, time.Time{}
	}
	return reflect.DeepEqual(normalise(x), normalise(y))
}

// given is the name a quote's own article gives its speaker.
func given(q dossier.Quote) string {
	if q.Given != "" {
		return q.Given
	}
	return q.Speaker
}

// normalise makes nil and empty lists alike, as a store may read back
// either, and quotes speak with their article's own names: a story-wide
// name is the comparison's, not the document's.
func normalise(a dossier.Article) dossier.Article {
	if len(a.Quotes) > 0 {
		qs := make([]dossier.Quote, len(a.Quotes))
		for i, q := range a.Quotes {
			q.Speaker, q.Given = given(q), ""
			qs[i] = q
		}
		a.Quotes = qs
	}
	for _, l := range []*[]string{&a.Authors, &a.Contacts, &a.Captions} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(a.Quotes) == 0 {
		a.Quotes = nil
	}
	return a
}

// forget takes a stored article's contribution out of the streaming state.
func (in *Ingester) forget(ctx context.Context, old store.Saved) error {
	// A copy may be indexed too, when a copy that came first displaced it.
	start := time.Now()
	in.indexRemove(old.ID)
	in.clock(2, start)
	if old.DuplicateOf != "" {
		return nil
	}
	start = time.Now()
	defer in.clock(3, start)
	_, f, err := in.stateOf(ctx, old)
	if err != nil {
		return err
	}
	return in.clusterer.RemoveContext(ctx, old.ID, old.StoryID, f)
}

// link decides whether a copies a stored article (exactly, else nearly) and
// assigns its story; exclude is an article that must not be its original
// (the one it replaces or that is leaving). With mayDisplace, a copy that
// came first becomes the original instead: the stored original is then
// returned, for displace to make it a copy of a.
func (in *Ingester) link(ctx context.Context, a *dossier.Article, sig dedup.Signature, feat cluster.Features, exclude string, mayDisplace bool) (displaced dedup.Match, err error) {
	start := time.Now()
	canonical, exact, err := in.st.CanonicalByFingerprint(ctx, a.Fingerprint)
	if err != nil {
		return displaced, err
	}
	in.clock(5, start)

	exactOf := ""
	if exact && canonical != a.ID && canonical != exclude {
		exactOf = canonical
	}
	return in.settle(ctx, a, sig, feat, exactOf, exclude, mayDisplace)
}

// settle is link once the exact copy is known: join, then the check of
// which of a copy and its original came first.
func (in *Ingester) settle(ctx context.Context, a *dossier.Article, sig dedup.Signature, feat cluster.Features, exactOf, exclude string, mayDisplace bool) (displaced dedup.Match, err error) {
	quotes := a.Quotes
	m, err := in.join(ctx, a, sig, feat, exactOf, exclude)
	if err != nil || !mayDisplace || a.DuplicateOf == "" {
		return displaced, err
	}
	if m.ID != a.DuplicateOf {
		// The match is a copy itself: how a stands to it says nothing
		// of how a stands to their original.
		return displaced, nil
	}
	if a.Published.IsZero() && m.Relation != dedup.HoldsStored {
		return displaced, nil // cameFirst could only say no: read nothing
	}
	orig, err := in.st.Article(ctx, a.DuplicateOf)
	if err != nil {
		return displaced, err
	}
	if !cameFirst(*a, orig, m.Relation) {
		return displaced, nil
	}
	// a takes the original's place: in the index, in its story's terms,
	// and in its story.
	sv, found, err := in.st.Saved(ctx, orig.ID)
	if err != nil || !found {
		return displaced, err
	}
	_, of, err := in.stateOf(ctx, sv)
	if err != nil {
		return displaced, err
	}
	// The index is left as it is: the displaced article stays the group's
	// entry, and what matches it later is led to the new original. Which
	// copy is called the original must not change what is found to copy
	// what.
	start := time.Now()
	if err := in.clusterer.RemoveContext(ctx, orig.ID, sv.StoryID, of); err != nil {
		return displaced, err
	}
	if err := in.clusterer.RestoreContext(ctx, a.ID, sv.StoryID, feat); err != nil {
		return displaced, err
	}
	in.clock(3, start)
	a.DuplicateOf, a.Similarity, a.StoryID, a.Quotes = "", 0, sv.StoryID, quotes
	return m, nil
}

// cameFirst reports whether a, found to copy orig, is the original of the
// two instead: the earlier published when both are dated, else the one
// the other was cut from. Republishers add paragraphs, so the longer of
// two copies that merely resemble each other says nothing.
func cameFirst(a, orig dossier.Article, rel dedup.Relation) bool {
	if !a.Published.IsZero() && !orig.Published.IsZero() {
		return a.Published.Before(orig.Published)
	}
	// A paragraph or two more is what a republisher adds (a local angle,
	// a dateline, furniture); a copy run short loses more than that.
	return rel == dedup.HoldsStored && words(a.Text) >= cutRatio*words(orig.Text)
}

// cutRatio is how many times longer than a copy its original must be for
// the copy to count as cut from it.
const cutRatio = 1.5

func words(s string) float64 { return float64(len(strings.Fields(s))) }

// displace makes the article a displaced as original a copy of it, its
// copies with it.
func (in *Ingester) displace(ctx context.Context, m dedup.Match, by string, sum *Summary, touched map[string]bool) error {
	d, sv, err := in.load(ctx, m.ID)
	if err != nil {
		return err
	}
	d.DuplicateOf, d.Similarity, d.Quotes = by, m.Similarity, nil
	if err := in.rewrite(ctx, &d, sv.State); err != nil {
		return err
	}
	sum.Relinked++
	in.log.Debug("an earlier copy became the original", "id", by, "was_original", m.ID)
	// Its copies stay with the group: what copied it copies what it copies.
	copies, err := in.st.Copies(ctx, m.ID)
	if err != nil {
		return err
	}
	for _, id := range copies {
		c, cs, err := in.load(ctx, id)
		if err != nil {
			return err
		}
		c.DuplicateOf = by
		if err := in.rewrite(ctx, &c, cs.State); err != nil {
			return err
		}
		sum.Relinked++
	}
	return nil
}

// join makes a a copy of exactOf when given, else of the near copy the
// index finds (never exclude), and puts it in its original's story; an
// article that copies nothing is indexed and assigned a story of its own
// choosing. The match is what a copies, zero when nothing.
func (in *Ingester) join(ctx context.Context, a *dossier.Article, sig dedup.Signature, feat cluster.Features, exactOf, exclude string) (dedup.Match, error) {
	start := time.Now()
	a.DuplicateOf, a.Similarity = "", 0
	var match dedup.Match
	if exactOf != "" {
		a.DuplicateOf, a.Similarity = exactOf, 1
		match = dedup.Match{ID: exactOf, Similarity: 1}
	} else {
		ms, err := in.index.MatchContext(ctx, sig)
		if err != nil {
			return match, err
		}
		for _, m := range ms {
			if m.ID != a.ID && m.ID != exclude {
				a.DuplicateOf, a.Similarity, match = m.ID, m.Similarity, m
				break
			}
		}
	}
	if a.DuplicateOf == "" {
		in.indexAdd(a.ID, sig)
	}
	in.clock(2, start)

	start = time.Now()
	defer in.clock(3, start)
	if a.DuplicateOf == "" {
		id, err := in.clusterer.AssignContext(ctx, a.ID, feat)
		a.StoryID = id
		return match, err
	}
	// A copy belongs to its original's story and is not quoted twice.
	a.Quotes = nil
	orig, found, err := in.st.Saved(ctx, a.DuplicateOf)
	if err != nil {
		return match, err
	}
	if found && orig.DuplicateOf != "" && orig.DuplicateOf != a.ID {
		// An original that an earlier copy displaced.
		a.DuplicateOf = orig.DuplicateOf
		orig, found, err = in.st.Saved(ctx, a.DuplicateOf)
		if err != nil {
			return match, err
		}
	}
	if !found {
		return match, fmt.Errorf("original %s of %s: %w", a.DuplicateOf, a.ID, store.ErrNotFound)
	}
	a.StoryID = orig.StoryID
	return match, nil
}

// load reads a stored article with the state it was stored with.
func (in *Ingester) load(ctx context.Context, id string) (dossier.Article, store.Saved, error) {
	a, err := in.st.Article(ctx, id)
	if err != nil {
		return a, store.Saved{}, err
	}
	sv, _, err := in.st.Saved(ctx, id)
	return a, sv, err
}

// rewrite stores a changed article that was not ingested again: it keeps
// its time of ingest.
func (in *Ingester) rewrite(ctx context.Context, a *dossier.Article, state store.State) error {
	start := time.Now()
	err := in.st.Put(ctx, a, state)
	in.clock(5, start)
	return err
}

// put stores an article and counts its story as touched.
func (in *Ingester) put(ctx context.Context, a *dossier.Article, state store.State, sum *Summary, touched map[string]bool) error {
	start := time.Now()
	a.IngestedAt = in.cfg.Now().UTC()
	err := in.st.Put(ctx, a, state)
	in.clock(5, start)
	if err != nil {
		return err
	}
	touched[a.StoryID] = true
	in.log.Debug("ingested", "source", a.Source, "id", a.ID, "story", a.StoryID, "duplicate_of", a.DuplicateOf)
	// The stories an assignment merged or split follow the article that
	// showed them to be one, or two.
	return in.applyRegroups(ctx, sum, touched)
}

// relinkCopies checks again every copy of an article whose text changed or
// that is leaving: each is linked to whatever it now copies, or becomes an
// original itself (the earliest of them first, so the others follow it).
// leaving is true when id is about to be removed, so no copy may keep it.
func (in *Ingester) relinkCopies(ctx context.Context, id string, leaving bool, sum *Summary, touched map[string]bool) error {
	exclude := ""
	if leaving {
		exclude = id
	}
	copies, err := in.st.Copies(ctx, id)
	if err != nil {
		return err
	}
	for _, cid := range copies {
		c, err := in.st.Article(ctx, cid)
		if err != nil {
			return err
		}
		sv, found, err := in.st.Saved(ctx, cid)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		sig, f, err := in.stateOf(ctx, sv)
		if err != nil {
			return err
		}
		if _, err := in.link(ctx, &c, sig, f, exclude, false); err != nil {
			return err
		}
		if c.DuplicateOf == "" {
			start := time.Now()
			c.Quotes = findQuotes(c.Text, c.Outlet)
			in.clock(4, start)
		}
		if err := in.put(ctx, &c, sv.State, sum, touched); err != nil {
			return err
		}
		sum.Relinked++
		in.log.Debug("relinked copy", "id", cid, "was_copy_of", id, "duplicate_of", c.DuplicateOf)
	}
	return nil
}

// groupCommit is the most documents one transaction commits. A commit
// rewrites every page its articles touched, and the term and band tables
// are touched all over: 256 a commit, with the store's larger checkpoint,
// ingested the 30,000-article bench a third faster than 64; a kill redoes
// at most that many.
const groupCommit = 256

// CompareEvery is how many articles a run commits between two rounds of
// comparing the stories they touched: a story is compared once per round,
// not once per article. A round recompares each touched story whole, so
// rounds are rare (at 500, a 10,000-article benchmark spent 19 ms an
// article comparing; at 20,000, 2.6 ms). A killed run loses nothing: the
// stories it left uncompared are compared by the next run.
const CompareEvery = 20000

// compareStale compares every story a write has left without a current
// comparison: its canonical speaker names first, then its reports side by
// side. Stories are compared by the workers at once, and their results
// written in the order Uncompared gave them. A story whose comparison
// fails is stored without one, and the failure logged with its ID.
func (in *Ingester) compareStale(ctx context.Context, sum *Summary) error {
	ids, err := in.st.Uncompared(ctx)
	if err != nil {
		return err
	}
	type result struct {
		id      string
		rename  map[string]string
		c       dossier.Comparison
		err     error
		elapsed time.Duration
		done    chan struct{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *result)
	order := make(chan *result, in.cfg.Workers*4)
	go func() {
		defer close(jobs)
		defer close(order)
		for _, id := range ids {
			r := &result{id: id, done: make(chan struct{})}
			select {
			case order <- r:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range in.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				start := time.Now()
				r.rename, r.c, r.err = in.compareStory(ctx, r.id)
				r.elapsed = time.Since(start)
				close(r.done)
			}
		}()
	}
	defer wg.Wait()
	for r := range order {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if errors.Is(r.err, store.ErrNotFound) {
			continue
		}
		start := time.Now()
		if r.err == nil {
			r.err = in.st.RenameSpeakers(ctx, r.id, r.rename)
		}
		if r.err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			in.log.Error("story not compared", "story", r.id, "err", r.err)
			r.c = dossier.Comparison{}
		}
		if err := in.st.SetComparison(ctx, r.id, r.c); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		in.timing[6].Add(int64(r.elapsed + time.Since(start)))
		sum.Compared++
	}
	return ctx.Err()
}

// compareStory reads one story's articles, gives each person one name
// across them, and compares its independent reports, each with the
// outlets of its copies. It only reads the store: rename is what
// RenameSpeakers must be told.
func (in *Ingester) compareStory(ctx context.Context, id string) (rename map[string]string, c dossier.Comparison, err error) {
	if _, err := in.st.Story(ctx, id); err != nil {
		return nil, c, err
	}
	// Its articles a page at a time, in the order of Story.Articles: one
	// read, not one an article.
	var articles []dossier.Article
	for q := (store.ArticleQuery{Story: id, Limit: store.MaxLimit}); ; {
		page, err := in.st.ArticlesPage(ctx, q)
		if err != nil {
			return nil, c, err
		}
		articles = append(articles, page.Articles...)
		if q.Cursor = page.Next; q.Cursor == "" {
			break
		}
	}
	var originals []dossier.Article
	copyOutlets := map[string][]string{}
	var names []string
	for _, a := range articles {
		if a.DuplicateOf != "" {
			copyOutlets[a.DuplicateOf] = append(copyOutlets[a.DuplicateOf], a.Outlet)
			continue
		}
		originals = append(originals, a)
		for _, q := range a.Quotes {
			if g := given(q); g != "" {
				names = append(names, g)
			}
		}
	}
	defer func() {
		// A comparison must never take the run down with it.
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	// The names come from what each article calls its speakers, never from
	// an earlier rename, so the outcome depends on the story alone.
	rename = quote.Canonical(names)
	for i := range originals {
		for j, q := range originals[i].Quotes {
			g := given(q)
			q.Speaker, q.Given = g, ""
			if to := rename[g]; to != "" && to != g {
				q.Speaker, q.Given = to, g
			}
			originals[i].Quotes[j] = q
		}
	}
	reports := make([]compare.Report, len(originals))
	for i, a := range originals {
		reports[i] = compare.Report{Article: a, CopyOutlets: copyOutlets[a.ID]}
	}
	return rename, compare.Compare(reports), nil
}

// RemoveSummary counts what Remove did.
type RemoveSummary struct {
	Removed, Relinked, StoriesTouched int
}

// Remove deletes articles by ID, taking their contribution out of the
// streaming state first and checking their copies again, so that what is
// left is what an ingest without them would give as nearly as a stream
// allows. An ID not stored is an error wrapping store.ErrNotFound.
func (in *Ingester) Remove(ctx context.Context, ids []string) (RemoveSummary, error) {
	var rs RemoveSummary
	var sum Summary
	touched := map[string]bool{}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return rs, fmt.Errorf("remove interrupted: %w", err)
		}
		old, found, err := in.st.Saved(ctx, id)
		if err != nil {
			return rs, err
		}
		if !found {
			return rs, fmt.Errorf("remove %s: %w", id, store.ErrNotFound)
		}
		// One transaction: the article, its copies' new links, its
		// story's new members and the streaming state go together.
		err = in.atomically(ctx, func(ctx context.Context) error {
			if err := in.forget(ctx, old); err != nil {
				return err
			}
			if err := in.relinkCopies(ctx, id, true, &sum, touched); err != nil {
				return err
			}
			if err := in.st.Remove(ctx, id, "removed"); err != nil {
				return err
			}
			if old.DuplicateOf == "" {
				return in.revisit(ctx, old.StoryID, &sum, touched)
			}
			return nil
		})
		if err != nil {
			return rs, fmt.Errorf("remove %s: %w", id, err)
		}
		if old.StoryID != "" {
			touched[old.StoryID] = true
		}
		rs.Removed++
	}
	if err := in.compareStale(ctx, &sum); err != nil {
		return rs, err
	}
	rs.Relinked = sum.Relinked
	for id := range touched {
		if id != "" {
			rs.StoriesTouched++
		}
	}
	return rs, nil
}
