package ingest

import (
	"context"
	"fmt"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// lookups is the store as the Ingester reads it, with what a batch of
// results will first ask of it (is the article stored, its exact copy's
// original) read beforehand in a few round trips (fill). Each answer is
// served once, and dropped before any write that may change it: a result
// sees an earlier one's writes exactly as without it. Only Put and Remove
// write articles.
type lookups struct {
	store.Store
	saved map[string]savedAnswer
	canon map[string]canonAnswer
}

type savedAnswer struct {
	sv    store.Saved
	found bool
}

type canonAnswer struct {
	id    string
	found bool
}

// fill reads the articles ids and the originals of the fingerprints fps,
// then the articles those originals are.
func (l *lookups) fill(ctx context.Context, ids, fps []string) error {
	canon, err := l.Store.CanonicalsByFingerprint(ctx, fps)
	if err != nil {
		return fmt.Errorf("read ahead: %w", err)
	}
	l.canon = make(map[string]canonAnswer, len(fps))
	for _, fp := range fps {
		id, found := canon[fp]
		l.canon[fp] = canonAnswer{id, found}
		if found {
			ids = append(ids, id)
		}
	}
	saved, err := l.Store.SavedMany(ctx, ids)
	if err != nil {
		return fmt.Errorf("read ahead: %w", err)
	}
	l.saved = make(map[string]savedAnswer, len(ids))
	for _, id := range ids {
		sv, found := saved[id]
		l.saved[id] = savedAnswer{sv, found}
	}
	return nil
}

// clear drops every answer read ahead.
func (l *lookups) clear() { l.saved, l.canon = nil, nil }

func (l *lookups) Saved(ctx context.Context, id string) (store.Saved, bool, error) {
	if a, ok := l.saved[id]; ok {
		delete(l.saved, id)
		return a.sv, a.found, nil
	}
	return l.Store.Saved(ctx, id)
}

func (l *lookups) CanonicalByFingerprint(ctx context.Context, fp string) (string, bool, error) {
	if a, ok := l.canon[fp]; ok {
		delete(l.canon, fp)
		return a.id, a.found, nil
	}
	return l.Store.CanonicalByFingerprint(ctx, fp)
}

// Put drops what writing a may change: its own state, and the original
// of its fingerprint and of any fingerprint whose original it was.
func (l *lookups) Put(ctx context.Context, a *dossier.Article, st store.State) error {
	if a != nil {
		l.forget(a.ID)
		delete(l.canon, a.Fingerprint)
	}
	return l.Store.Put(ctx, a, st)
}

func (l *lookups) Remove(ctx context.Context, id, reason string) error {
	l.forget(id)
	return l.Store.Remove(ctx, id, reason)
}

// forget drops the state of article id and the fingerprints it is the
// original of; an article that was no original cannot become the
// earliest of a fingerprint other than its own by being written.
func (l *lookups) forget(id string) {
	delete(l.saved, id)
	for fp, a := range l.canon {
		if a.found && a.id == id {
			delete(l.canon, fp)
		}
	}
}
