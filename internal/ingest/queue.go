package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// A stream shared by many processes goes through a queue: raw documents
// are encoded (EncodeDocument) and queued, any process's Preparer runs the
// per-article stages on them and encodes the result (Prepare), and the one
// process holding the writer lock applies the results in queue order
// (Ingester.Apply), so that the stories equal one process's run.

// wireVersion is the encoding's version: a result of another is prepared
// again rather than misread.
const wireVersion = 1

// Preparer runs the per-article stages, which need only the document and
// the store's reads: it takes no lock. Safe for concurrent use.
type Preparer struct {
	st      store.Store
	cfg     Config
	cleaner *clean.Cleaner
	timing  *[7]atomic.Int64
}

// NewPreparer returns a Preparer reading st (to skip documents stored from
// the same bytes) with cfg's dedup settings.
func NewPreparer(st store.Store, cfg Config) (*Preparer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return newPreparer(st, cfg, new([7]atomic.Int64)), nil
}

func newPreparer(st store.Store, cfg Config, timing *[7]atomic.Int64) *Preparer {
	return &Preparer{st: st, cfg: cfg, cleaner: clean.New(clean.WithoutMemory()), timing: timing}
}

func (in *Preparer) clock(stage int, start time.Time) {
	in.timing[stage].Add(int64(time.Since(start)))
}

// EncodeDocument encodes a raw document for the queue.
func EncodeDocument(doc source.Document) ([]byte, error) {
	b, err := json.Marshal(wireDoc{V: wireVersion, Doc: doc})
	if err != nil {
		return nil, fmt.Errorf("ingest: encode %s: %w", doc.Source, err)
	}
	return b, nil
}

// DecodeDocument reads what EncodeDocument wrote.
func DecodeDocument(b []byte) (source.Document, error) {
	var w wireDoc
	if err := json.Unmarshal(b, &w); err != nil {
		return source.Document{}, fmt.Errorf("ingest: decode a queued document: %w", err)
	}
	if w.V != wireVersion {
		return source.Document{}, fmt.Errorf("ingest: decode a queued document: version %d, want %d", w.V, wireVersion)
	}
	return w.Doc, nil
}

type wireDoc struct {
	V   int
	Doc source.Document
}

// wireResult is a prepared document as queued: of the document, only what
// the streaming stages read.
type wireResult struct {
	V         int
	Source    string
	Key       string
	LegacyKey string `json:",omitempty"`
	Digest    string
	Seen      bool   `json:",omitempty"`
	Err       string `json:",omitempty"`
	Article   dossier.Article
	Signature []byte
	Features  []byte
	// Doc is the document itself (EncodeDocument) in a result found
	// stored already: the applier prepares it after all when a result
	// applied before it replaced what it was stored as.
	Doc []byte `json:",omitempty"`
}

// Prepare decodes a queued document, runs the per-article stages on it and
// encodes the result for Apply. A document that cannot be read or cleaned
// makes a result that Apply reports as a problem: the error is only for
// what stops the worker (ctx ending, the store failing).
func (in *Preparer) Prepare(ctx context.Context, queued []byte) ([]byte, error) {
	doc, err := DecodeDocument(queued)
	var p prepared
	if err != nil {
		p.err = err
		p.doc.Source = "(queued document)"
	} else {
		p = in.prepare(ctx, doc)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	w := wireResult{V: wireVersion, Source: p.doc.Source, Key: p.doc.Key, LegacyKey: p.doc.LegacyKey,
		Digest: p.digest, Seen: p.seen, Article: p.article}
	switch {
	case p.err != nil:
		w.Err = p.err.Error()
	case p.seen:
		w.Doc = queued
	default:
		w.Signature, w.Features = p.sig.Marshal(), p.feat.Marshal()
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("ingest: encode the result of %s: %w", p.doc.Source, err)
	}
	return b, nil
}

// decodeResult reads what Prepare wrote.
func decodeResult(b []byte) (prepared, error) {
	var w wireResult
	if err := json.Unmarshal(b, &w); err != nil {
		return prepared{}, fmt.Errorf("decode a prepared result: %w", err)
	}
	if w.V != wireVersion {
		return prepared{}, fmt.Errorf("decode a prepared result: version %d, want %d", w.V, wireVersion)
	}
	p := prepared{doc: source.Document{Source: w.Source, Key: w.Key, LegacyKey: w.LegacyKey},
		article: w.Article, digest: w.Digest, seen: w.Seen}
	if w.Err != "" {
		p.err = errors.New(w.Err)
		return p, nil
	}
	if w.Seen {
		if len(w.Doc) > 0 {
			doc, err := DecodeDocument(w.Doc)
			if err != nil {
				return prepared{}, fmt.Errorf("decode the result of %s: %w", w.Source, err)
			}
			p.doc, p.queued = doc, true
		}
		return p, nil
	}
	var err error
	if p.sig, err = dedup.UnmarshalSignature(w.Signature); err != nil {
		return prepared{}, fmt.Errorf("decode the result of %s: %w", w.Source, err)
	}
	if p.feat, err = cluster.UnmarshalFeatures(w.Features); err != nil {
		return prepared{}, fmt.Errorf("decode the result of %s: %w", w.Source, err)
	}
	return p, nil
}

// Apply runs encoded results, in the order given, through the streaming
// stages in one transaction, and calls ack (when not nil) inside it, so
// that the results are marked applied if and only if their writes commit.
// A result that cannot be decoded is reported in the Summary, like a bad
// document. Every CompareEvery articles, counted across calls, the
// outlets' templates are learned (see templateRound); the stories left
// uncompared are compared, and the templates learned, by Settle.
func (in *Ingester) Apply(ctx context.Context, results [][]byte, ack func(ctx context.Context) error) (Summary, error) {
	sum := Summary{Timing: map[string]time.Duration{}}
	touched := map[string]bool{}
	foundedBefore := in.founded
	decoded := make([]prepared, len(results))
	errs := make([]error, len(results))
	for i, b := range results {
		decoded[i], errs[i] = decodeResult(b)
	}
	defer in.look.clear()
	err := in.atomically(ctx, func(ctx context.Context) error {
		if err := in.readAhead(ctx, decoded, errs); err != nil {
			return err
		}
		for i := range decoded {
			sum.Read++
			p, err := decoded[i], errs[i]
			if err == nil && p.seen {
				still, err := in.stillSeen(ctx, &p, p.queued)
				if err != nil {
					return fmt.Errorf("ingest %s: %w", p.doc.Source, err)
				}
				if still {
					sum.Unchanged++
					continue
				}
			}
			if err == nil {
				err = p.err
			}
			if err != nil {
				sum.Problems = append(sum.Problems, source.Problem{Source: p.doc.Source, Err: err})
				continue
			}
			outcome, err := in.commit(ctx, &p, &sum, touched)
			if err != nil {
				return fmt.Errorf("ingest %s: %w", p.doc.Source, err)
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
			if p.article.DuplicateOf != "" {
				sum.Duplicates++
			}
			if err := in.taught(ctx, p.article.Outlet, &sum, touched); err != nil {
				return fmt.Errorf("ingest %s: %w", p.doc.Source, err)
			}
		}
		if ack != nil {
			return ack(ctx)
		}
		return nil
	})
	if err != nil {
		// The transaction rolled back, but the in-memory caches may hold
		// what it wrote: the caller must start a new Ingester.
		return sum, fmt.Errorf("ingest: apply: %w", err)
	}
	sum.Failed = len(sum.Problems)
	sum.StoriesTouched = len(touched)
	sum.NewStories = int(in.founded - foundedBefore)
	return sum, nil
}

// readAhead reads at once what committing the results asks of the store
// first: whether each article is stored, and its exact copy's original.
func (in *Ingester) readAhead(ctx context.Context, results []prepared, errs []error) error {
	start := time.Now()
	defer in.clock(5, start)
	var ids, fps []string
	for i, p := range results {
		if errs[i] != nil || p.err != nil || p.seen {
			continue
		}
		ids = append(ids, p.article.ID)
		if legacy := legacyID(p.doc.LegacyKey); in.legacy && legacy != "" {
			ids = append(ids, legacy)
		}
		fps = append(fps, p.article.Fingerprint)
	}
	return in.look.fill(ctx, ids, fps)
}

// Settle ends a stream as the end of Run does: it learns the templates
// of the outlets given articles since the last round, cleans their
// stored pages again when one changed, and compares the stories that
// writes left without a current comparison.
func (in *Ingester) Settle(ctx context.Context) (Summary, error) {
	sum := Summary{Timing: map[string]time.Duration{}}
	touched := map[string]bool{}
	if err := in.finish(ctx, &sum, touched); err != nil {
		return sum, fmt.Errorf("ingest: settle: %w", err)
	}
	sum.StoriesTouched = len(touched)
	return sum, nil
}

// Compare compares the stories that writes left without a current
// comparison, and nothing else: a round inside a stream, which may fall
// wherever its batches do (templates are learned at Settle and at fixed
// counts of articles, never here).
func (in *Ingester) Compare(ctx context.Context) (Summary, error) {
	sum := Summary{Timing: map[string]time.Duration{}}
	if err := in.compareStale(ctx, &sum); err != nil {
		return sum, fmt.Errorf("ingest: compare: %w", err)
	}
	return sum, nil
}

// finish is the end of a stream: a round of learning templates, in one
// transaction, then the comparisons.
func (in *Ingester) finish(ctx context.Context, sum *Summary, touched map[string]bool) error {
	if err := in.atomically(ctx, func(ctx context.Context) error {
		return in.templateRound(ctx, sum, touched)
	}); err != nil {
		return err
	}
	return in.compareStale(ctx, sum)
}
