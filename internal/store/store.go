// Package store is the narrow interface the rest of Dossier keeps its data
// through. Backends live in sub-packages (sqlite/, later postgres/), and one
// test suite (storetest/) runs against every backend.
package store

import (
	"context"
	"errors"

	dossier "github.com/dossiernews/dossier"
)

// ErrNotFound is returned when an article or story does not exist.
var ErrNotFound = errors.New("not found")

// State is what the streaming stages must get back after a restart to go on
// where they stopped: the dedup signature and the clustering features.
type State struct {
	Signature []byte
	Features  []byte
}

// Saved is one canonical article's state, replayed in ingest order.
type Saved struct {
	ID, StoryID string
	State
}

// Store keeps articles, their duplicates, stories, quotes, speakers and outlets.
type Store interface {
	// Fingerprint returns the text fingerprint of the stored article id.
	Fingerprint(ctx context.Context, id string) (fp string, found bool, err error)
	// CanonicalByFingerprint returns the canonical (not a duplicate) article
	// with this fingerprint: an exact copy's original.
	CanonicalByFingerprint(ctx context.Context, fp string) (id string, found bool, err error)
	// Put writes an article with its quotes, speakers, outlet, story and state
	// in one transaction: an interrupted Put leaves nothing half-written. An
	// article with the same ID is replaced. The story is created when new,
	// titled after its first article.
	Put(ctx context.Context, a *dossier.Article, st State) error
	// Replay calls fn for every canonical article, in ingest order.
	Replay(ctx context.Context, fn func(Saved) error) error
	// Article returns one article, with its quotes.
	Article(ctx context.Context, id string) (dossier.Article, error)
	// Articles calls fn for every article, with its quotes, in ingest order.
	Articles(ctx context.Context, fn func(dossier.Article) error) error
	// Stories returns every story, the largest first.
	Stories(ctx context.Context) ([]dossier.Story, error)
	// Story returns one story.
	Story(ctx context.Context, id string) (dossier.Story, error)
	Close() error
}
