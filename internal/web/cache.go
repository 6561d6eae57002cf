package web

import (
	"container/list"
	"context"
	"sync"

	"github.com/dossiernews/dossier/internal/store"
)

// DefaultCacheBytes bounds the cache of drawn story pages and story API
// answers: a story page is tens of kilobytes, so this holds thousands.
const DefaultCacheBytes = 64 << 20

// viewKind tells a story's drawn page from its API answer in the cache.
type viewKind uint8

const (
	viewPage viewKind = iota
	viewAPI
)

type viewKey struct {
	kind viewKind
	id   string
}

// viewEntry is what a story's view drew, at the story's version.
type viewEntry struct {
	key     viewKey
	version int64
	title   string
	body    []byte
}

func (e *viewEntry) size() int64 { return int64(len(e.body) + len(e.title) + len(e.key.id) + 64) }

// viewCache keeps the views of recently asked stories, each at the
// version it was drawn from, least recently used out first. A story's
// entry holds while its version does: a write to one story leaves the
// others' entries as they are.
type viewCache struct {
	mu    sync.Mutex
	limit int64
	used  int64
	order *list.List // of *viewEntry, most recent first
	byKey map[viewKey]*list.Element
}

func newViewCache(limit int64) *viewCache {
	return &viewCache{limit: limit, order: list.New(), byKey: map[viewKey]*list.Element{}}
}

// get returns the entry for the story at that version.
func (c *viewCache) get(k viewKey, version int64) (*viewEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	e := el.Value.(*viewEntry)
	if e.version != version {
		// Drawn from another version: never shown again.
		c.remove(el)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e, true
}

// put keeps e, replacing the story's older entry, unless e is larger than
// the whole cache.
func (c *viewCache) put(e *viewEntry) {
	if e.size() > c.limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[e.key]; ok {
		if old := el.Value.(*viewEntry); old.version > e.version {
			return // a newer version is in already
		}
		c.remove(el)
	}
	c.byKey[e.key] = c.order.PushFront(e)
	c.used += e.size()
	for c.used > c.limit {
		c.remove(c.order.Back())
	}
}

func (c *viewCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*viewEntry)
	delete(c.byKey, e.key)
	c.used -= e.size()
}

// len is the number of entries, for tests.
func (c *viewCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// storyVersion returns the version of the story ref names when ref is a
// current story's whole ID and the store keeps versions; ok is false
// otherwise, and the caller reads the story as it would without a cache.
// The version is read before the story is, so what is drawn is never
// older than the version it is kept under.
func (s *Server) storyVersion(ctx context.Context, ref string) (version int64, ok bool, err error) {
	sv, can := s.store.(store.StoryVersioner)
	if !can || s.views == nil {
		return 0, false, nil
	}
	return sv.StoryVersion(ctx, ref)
}
