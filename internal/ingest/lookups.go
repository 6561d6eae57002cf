package ingest

import (
	"context"
	"fmt"
	"slices"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// lookups is the store as the Ingester reads it, with what a batch of
// results will first ask of it (is the article stored, its exact copy's
// original) read beforehand in a few round trips (fill). Each answer is
// served once, and dropped before any write that may change it: a result
// sees an earlier one's writes exactly as without it. Only Put and Remove
// write articles.
//
// It keeps, too, the originals of stories as StoryFeatures answered (the
// clusterer asks at each check of a split), and serves them again while
// no write changes them: a write of a new original appends it, as the
// newest in ingest order; any other write to a member, or into the
// story, forgets the story. A failed write forgets them all.
type lookups struct {
	store.Store
	saved map[string]savedAnswer
	canon map[string]canonAnswer
	// members is nil when StoryFeatures is not kept (a rebuild).
	members  map[string]*storyMembers
	memberOf map[string]string // a kept original's story
	// absent holds the IDs the store said it does not hold, until one
	// is written: written, it is new, the last in ingest order.
	absent map[string]bool
}

// storyMembers is what StoryFeatures answered of a story: its first
// originals, all of them when complete.
type storyMembers struct {
	ids      []string
	features [][]byte
	complete bool
}

// keptStories bounds the stories whose originals are kept; past it, one
// is forgotten for each new one. Answers do not depend on what is kept.
const keptStories = 4096

func newLookups(st store.Store, keepMembers bool) *lookups {
	l := &lookups{Store: st, absent: map[string]bool{}}
	if keepMembers {
		l.members, l.memberOf = map[string]*storyMembers{}, map[string]string{}
	}
	return l
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
		if !found {
			l.absent[id] = true
		}
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
	sv, found, err := l.Store.Saved(ctx, id)
	if err == nil && !found {
		if len(l.absent) >= maxAbsent {
			clear(l.absent) // IDs never written: a miss is only slower
		}
		l.absent[id] = true
	}
	return sv, found, err
}

// maxAbsent bounds the IDs kept as absent.
const maxAbsent = 1 << 16

func (l *lookups) StoryFeatures(ctx context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	if m, ok := l.members[storyID]; ok && limit > 0 && (m.complete || len(m.ids) >= limit) {
		n := min(limit, len(m.ids))
		return slices.Clone(m.ids[:n]), slices.Clone(m.features[:n]), nil
	}
	ids, feats, err := l.Store.StoryFeatures(ctx, storyID, limit)
	if err != nil || l.members == nil || limit <= 0 {
		return ids, feats, err
	}
	l.dropMembers(storyID)
	if len(l.members) >= keptStories {
		for id := range l.members {
			l.dropMembers(id)
			break
		}
	}
	m := &storyMembers{ids: slices.Clone(ids), features: slices.Clone(feats), complete: len(ids) < limit}
	for _, id := range ids {
		if s, ok := l.memberOf[id]; ok {
			l.dropMembers(s) // cannot be: a story forgotten late is no harm
		}
		l.memberOf[id] = storyID
	}
	l.members[storyID] = m
	return ids, feats, nil
}

// dropMembers forgets the originals kept of a story.
func (l *lookups) dropMembers(storyID string) {
	m, ok := l.members[storyID]
	if !ok {
		return
	}
	for _, id := range m.ids {
		if l.memberOf[id] == storyID {
			delete(l.memberOf, id)
		}
	}
	delete(l.members, storyID)
}

// written keeps the members in step with a write of a: a new original
// is the last of its story; any other change to a member or into a story
// forgets it.
func (l *lookups) written(a *dossier.Article, st store.State) {
	isNew := l.absent[a.ID]
	delete(l.absent, a.ID)
	if l.members == nil {
		return
	}
	if s, ok := l.memberOf[a.ID]; ok {
		l.dropMembers(s)
	}
	m, ok := l.members[a.StoryID]
	switch {
	case !ok || a.DuplicateOf != "":
	case !isNew:
		l.dropMembers(a.StoryID)
	case m.complete:
		m.ids = append(m.ids, a.ID)
		m.features = append(m.features, slices.Clone(st.Features))
		l.memberOf[a.ID] = a.StoryID
	}
}

// forgetAll drops every answer kept, after a write that failed.
func (l *lookups) forgetAll() {
	l.clear()
	l.absent = map[string]bool{}
	if l.members != nil {
		l.members, l.memberOf = map[string]*storyMembers{}, map[string]string{}
	}
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
	if err := l.Store.Put(ctx, a, st); err != nil {
		l.forgetAll()
		return err
	}
	if a != nil {
		l.written(a, st)
	}
	return nil
}

func (l *lookups) Remove(ctx context.Context, id, reason string) error {
	l.forget(id)
	if s, ok := l.memberOf[id]; ok {
		l.dropMembers(s)
	}
	if err := l.Store.Remove(ctx, id, reason); err != nil {
		l.forgetAll()
		return err
	}
	return nil
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
