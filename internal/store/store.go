// Package store is the narrow interface the rest of Dossier keeps its data
// through. Backends live in sub-packages (sqlite/, later postgres/), and one
// test suite (storetest/) runs against every backend.
package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	dossier "github.com/dossiernews/dossier"
)

// ErrNotFound is returned when an article or story does not exist.
var ErrNotFound = errors.New("not found")

// ErrAmbiguous is returned by Resolve when a prefix names several IDs.
var ErrAmbiguous = errors.New("ambiguous")

// ErrLocked is wrapped by LockedError: another writer holds the store.
var ErrLocked = errors.New("store is locked by another writer")

// Subscription is a feed or sitemap that dossier watch polls, with how
// its last poll went.
type Subscription struct {
	URL   string
	Added time.Time
	// LastPoll is zero until the first poll; Status is then "ok",
	// "unchanged" or "failed", and Error says why a poll or some of its
	// pages failed.
	LastPoll time.Time
	Status   string
	Error    string
	// New counts the articles the last poll stored for the first time.
	New int
	// ETag and LastModified are the validators of the last answer, for a
	// conditional request.
	ETag, LastModified string
	// Items maps the address of each item the feed listed at the last
	// poll, and that was fetched, to what it was then (its guid and
	// times), so that an item as it was is not fetched again, even by the
	// next process.
	Items map[string]string
}

// EncodeItems and DecodeItems give a Subscription's Items one stored form
// in every backend: a JSON object, or "" for none.
func EncodeItems(items map[string]string) (string, error) {
	if len(items) == 0 {
		return "", nil
	}
	b, err := json.Marshal(items) // keys sorted: the same items, the same text
	return string(b), err
}

// DecodeItems reads what EncodeItems wrote.
func DecodeItems(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var items map[string]string
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, fmt.Errorf("feed items: %w", err)
	}
	return items, nil
}

// Holder describes the process holding the writer lock.
type Holder struct {
	PID     int
	Host    string
	Command string // what the holder is doing, e.g. "dossier ingest"
	Since   time.Time
}

func (h Holder) String() string {
	s := fmt.Sprintf("pid %d", h.PID)
	if h.Host != "" {
		s += " on " + h.Host
	}
	if h.Command != "" {
		s += " (" + h.Command + ")"
	}
	if !h.Since.IsZero() {
		s += " since " + h.Since.Format(time.RFC3339)
	}
	return s
}

// LockedError says who holds the writer lock; it wraps ErrLocked.
type LockedError struct{ Holder Holder }

func (e *LockedError) Error() string { return "store is locked by " + e.Holder.String() }
func (e *LockedError) Unwrap() error { return ErrLocked }

// State is what the streaming stages must get back after a restart to go on
// where they stopped: the dedup signature and the clustering features; and
// what lets a later run skip the document unread: the key it was read
// under and the digest of its raw bytes.
type State struct {
	Signature []byte
	Features  []byte
	// SourceKey identifies the document as read, before any stage ran (a
	// path, a URL, a line's content hash); Digest hashes its raw bytes with
	// the pipeline version. Both may be empty.
	SourceKey, Digest string
	// Reason says why the article changes story when a Put moves it; it is
	// recorded with the Move, as "updated" when empty.
	Reason string
	// Furniture is what the outlet's template took out of the text: with
	// it the text as cleaned before any template is rebuilt. Zero: none.
	Furniture Furniture
}

// OutletPage is one of an outlet's articles as a template is learned
// from it.
type OutletPage struct {
	ID, StoryID, Text string
	Furniture         Furniture
}

// Furniture is the paragraphs an outlet's template took out of an
// article's text: each at its index among the paragraphs before any was
// taken, with the template version that took them.
type Furniture struct {
	Version string             `json:",omitempty"`
	Removed []RemovedParagraph `json:",omitempty"`
}

// RemovedParagraph is one paragraph a template took out.
type RemovedParagraph struct {
	Index int
	Text  string
}

// InOrder returns the removed paragraphs by their index, the order the
// text had them in, whatever order they were stored in.
func (f Furniture) InOrder() []RemovedParagraph {
	return slices.SortedFunc(slices.Values(f.Removed), func(x, y RemovedParagraph) int { return cmp.Compare(x.Index, y.Index) })
}

// EncodeFurniture and DecodeFurniture give Furniture one stored form in
// every backend: a JSON object, or "" for none.
func EncodeFurniture(f Furniture) (string, error) {
	if len(f.Removed) == 0 {
		return "", nil
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// DecodeFurniture reads what EncodeFurniture wrote.
func DecodeFurniture(s string) (Furniture, error) {
	var f Furniture
	if s == "" {
		return f, nil
	}
	if err := json.Unmarshal([]byte(s), &f); err != nil {
		return Furniture{}, fmt.Errorf("furniture: %w", err)
	}
	return f, nil
}

// EncodeTemplateLines and DecodeTemplateLines give a template's lines one
// stored form in every backend: a JSON array, "[]" for none.
func EncodeTemplateLines(lines []string) (string, error) {
	if lines == nil {
		lines = []string{}
	}
	b, err := json.Marshal(lines)
	return string(b), err
}

// DecodeTemplateLines reads what EncodeTemplateLines wrote; none is nil.
func DecodeTemplateLines(s string) ([]string, error) {
	var lines []string
	if err := json.Unmarshal([]byte(s), &lines); err != nil {
		return nil, fmt.Errorf("template lines: %w", err)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	return lines, nil
}

// Template is an outlet's furniture as learned from its stored pages.
type Template struct {
	Outlet  string
	Lines   []string // sorted
	Version string
	// LearnedAt is when it was learned; Pages how many of the outlet's
	// pages it was learned from; Fresh how many articles the outlet got
	// since. A template of no lines records that an outlet's pages were
	// learned from and showed none.
	LearnedAt time.Time
	Pages     int
	Fresh     int
}

// Reclean is the trace of an article's text cleaned again because its
// outlet's template changed: when, under which version, and how many
// paragraphs left the text or came back to it.
type Reclean struct {
	Article           string
	At                time.Time
	Version           string
	Removed, Restored int
}

// Saved is one article's state, replayed in ingest order.
type Saved struct {
	ID, StoryID string
	// DuplicateOf is "" for a canonical article.
	DuplicateOf string
	State
}

// Kind says what an ID names.
type Kind int

const (
	KindArticle Kind = iota
	KindStory
)

func (k Kind) String() string {
	if k == KindStory {
		return "story"
	}
	return "article"
}

// Move is an article changing story, kept so that no article moves
// without a trace.
type Move struct {
	Article  string
	From, To string // story IDs; From or To is "" when the article arrived or left
	Reason   string
	At       time.Time
}

// StorySummary is a story as listed: its aggregate without its articles.
type StorySummary struct {
	ID, Title string
	Articles  int // duplicates included
	Outlets   []string
	// FirstPublished and LastPublished are zero when no article has a date.
	FirstPublished, LastPublished time.Time
}

// StoryQuery selects a page of stories. Zero fields do not filter.
type StoryQuery struct {
	// Outlet keeps the stories with an article from this outlet.
	Outlet string
	// From and To keep the dated stories whose span of publication, first
	// to last, meets [From, To); undated stories are left out of either.
	From, To time.Time
	// Cursor is a page's Next, "" for the first page.
	Cursor string
	// Limit bounds the page; 0 or less means DefaultLimit.
	Limit int
}

// ParseBound reads a bound of StoryQuery's From (end false) or To (end
// true) as a person gives it: a day, YYYY-MM-DD, meaning its start or,
// as an end, its whole (To being exclusive, the next day's start); or an
// RFC 3339 time, included either way. "" is no bound.
func ParseBound(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("want YYYY-MM-DD or an RFC 3339 time")
	}
	if end {
		t = t.Add(time.Nanosecond)
	}
	return t, nil
}

// DefaultLimit is the page size when a query gives none.
const DefaultLimit = 50

// MaxLimit bounds a page, so that no caller reads the whole store at once.
const MaxLimit = 1000

// StoryPage is one page of stories; Next is "" on the last page.
type StoryPage struct {
	Stories []StorySummary
	Next    string
}

// ArticleQuery selects a page of articles in ingest order.
type ArticleQuery struct {
	Story  string // "" for every article
	Cursor string
	Limit  int
}

// ArticlePage is one page of articles with their quotes; Next is "" on the
// last page.
type ArticlePage struct {
	Articles []dossier.Article
	Next     string
}

// StateDelta is a change to the streaming stages' state.
type StateDelta struct {
	Docs int64 // added to the document count
	// Terms are added to each term's document frequency; a count reaching
	// 0 or below deletes the term.
	Terms map[string]int64
	// Stories sets each story's clustering state; a nil value deletes it.
	Stories map[string][]byte
	// StoryKeys replaces each story's lookup keys; nil or empty deletes them.
	StoryKeys map[string][]string
	// Bands replaces each article's LSH band keys; nil or empty deletes them.
	Bands map[string][]uint64
	// BandChanges replace articles' band keys as Bands does, after it, one
	// after another in this order, which is the order articles are filed
	// in: a delta may carry a whole batch's changes, the same article's
	// more than once.
	BandChanges []BandChange
}

// BandChange is one article's band keys set anew (none: deleted).
type BandChange struct {
	ID    string
	Bands []uint64
}

// PageLimit is q's limit made sane: DefaultLimit for none, at most MaxLimit.
func PageLimit(limit int) int {
	if limit <= 0 {
		return DefaultLimit
	}
	return min(limit, MaxLimit)
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
	// article with the same ID is replaced, keeping its place in ingest
	// order; when that changes its story, a Move (reason "updated") is
	// recorded in the same transaction. The story
	// is created when new, titled after its first article, and a story
	// left empty is dropped.
	Put(ctx context.Context, a *dossier.Article, st State) error
	// Replay calls fn for every canonical article, in ingest order.
	Replay(ctx context.Context, fn func(Saved) error) error
	// HasLegacy reports whether some article was stored without a source
	// key, by a version from before stable identities.
	HasLegacy(ctx context.Context) (bool, error)
	// Article returns one article, with its quotes.
	Article(ctx context.Context, id string) (dossier.Article, error)
	// Articles calls fn for every article, with its quotes, in ingest order.
	Articles(ctx context.Context, fn func(dossier.Article) error) error
	// Stories returns every story, the largest first (equal sizes in the
	// order they were created). It holds them all: for small stores and
	// tests; EachStory streams the same.
	Stories(ctx context.Context) ([]dossier.Story, error)
	// EachStory calls fn for every story in the order of Stories, reading
	// one story at a time from one snapshot.
	EachStory(ctx context.Context, fn func(dossier.Story) error) error
	// StoriesPage lists stories newest first (by last publication instant,
	// then creation, then ID; undated stories after dated ones), reading
	// one row per story listed.
	StoriesPage(ctx context.Context, q StoryQuery) (StoryPage, error)
	// ArticlesPage lists articles in ingest order, those of one story or all.
	ArticlesPage(ctx context.Context, q ArticleQuery) (ArticlePage, error)
	// Story returns one story.
	Story(ctx context.Context, id string) (dossier.Story, error)

	// Lock takes the store's writer lock for the process, recording who
	// (e.g. "dossier ingest") as the holder. When another process holds
	// it, Lock calls wait once with the holder and waits until it is free
	// or ctx ends; with wait nil it fails at once with a *LockedError.
	// The lock is released by the returned function, and by the process
	// dying. Readers never take it.
	Lock(ctx context.Context, who string, wait func(Holder)) (release func() error, err error)
	// Resolve turns what a person typed (a whole ID, a unique prefix of
	// one, or an old ID kept as an alias) into the current ID of an
	// article or story. A prefix may leave out the kind letter, and an
	// old ID's prefix names its target. It fails with ErrNotFound or
	// ErrAmbiguous (whose message lists candidates).
	Resolve(ctx context.Context, kind Kind, ref string) (string, error)
	// Alias records old as another name for the article or story id,
	// replacing what old named before. Names for old come to name id
	// too, and when id is itself an alias, old names its target.
	Alias(ctx context.Context, kind Kind, old, id string) error
	// Saved returns one stored article's state, duplicates included.
	Saved(ctx context.Context, id string) (Saved, bool, error)
	// SavedMany is Saved for many articles at once: the state of each
	// stored article asked, by ID, in a few round trips.
	SavedMany(ctx context.Context, ids []string) (map[string]Saved, error)
	// CanonicalsByFingerprint is CanonicalByFingerprint for many
	// fingerprints at once: each asked that an original has, mapped to
	// the one CanonicalByFingerprint returns.
	CanonicalsByFingerprint(ctx context.Context, fps []string) (map[string]string, error)
	// Copies returns the IDs of the articles stored as copies of id, in
	// ingest order.
	Copies(ctx context.Context, id string) ([]string, error)
	// Seen returns the article last stored from the document with this
	// source key and digest; found is false when the key is new, its
	// digest changed or is empty, or the article was removed.
	Seen(ctx context.Context, sourceKey, digest string) (id string, found bool, err error)
	// Remove deletes an article with its quotes, drops its story when left
	// empty, and records the move out. Removing an absent ID is ErrNotFound.
	Remove(ctx context.Context, id, reason string) error
	// Uncompared returns the stories that a write has left without a
	// current comparison (Put and Remove clear it), oldest first.
	Uncompared(ctx context.Context) ([]string, error)
	// RenameSpeakers sets, in the quotes of one story's articles only, each
	// quote's speaker to names[given] where given is the name the article
	// uses (Quote.Given, else Speaker as Put), or back to given when names
	// has none: the outcome depends on names alone.
	RenameSpeakers(ctx context.Context, storyID string, names map[string]string) error
	// SetComparison stores a story's comparison (Story.Comparison), replacing
	// the one before; an absent story is ErrNotFound.
	SetComparison(ctx context.Context, storyID string, c dossier.Comparison) error
	// Batch runs fn in one write transaction, committed when fn returns
	// nil and rolled back otherwise. Every store call made with the ctx
	// given to fn (or one derived from it) joins that transaction and sees
	// its writes; such calls must not run concurrently. A failed write
	// inside is undone alone (Put stays whole or absent) and fn may go on.
	// A batch inside a batch is part of it. Other readers see the last
	// commit. A call made during fn with another ctx waits for the batch
	// to end when it writes: do not make one from fn's goroutine. With a
	// ctx from WritesBehind, a backend may leave a failed write to fail
	// the batch instead.
	Batch(ctx context.Context, fn func(ctx context.Context) error) error

	// ApplyState adds a delta to the streaming state, in the current batch
	// if any, else in a transaction of its own. In a batch, a failed
	// ApplyState fails the batch: it cannot commit.
	// ClearState deletes the whole streaming state, in the current batch
	// if any: what a rebuild from the stored articles starts from.
	ClearState(ctx context.Context) error
	ApplyState(ctx context.Context, d StateDelta) error
	// TermCounts returns the document count and the document frequency of
	// each term asked that has one.
	TermCounts(ctx context.Context, terms []string) (docs int64, counts map[string]int64, err error)
	// StoryStates returns the clustering state of the stories asked that
	// have one.
	StoryStates(ctx context.Context, ids []string) (map[string][]byte, error)
	// PutSubscription adds a feed or sitemap to keep watch on, or replaces
	// what is known of the one with its URL. It needs no writer lock.
	PutSubscription(ctx context.Context, s Subscription) error
	// RemoveSubscription forgets the subscription with this URL; found is
	// false when there was none.
	RemoveSubscription(ctx context.Context, url string) (found bool, err error)
	// Subscriptions lists the subscriptions in the order they were first
	// added.
	Subscriptions(ctx context.Context) ([]Subscription, error)
	// StoryFeatures returns up to limit originals of a story (copies left
	// out) in ingest order, with the clustering features they were stored
	// with (State.Features).
	StoryFeatures(ctx context.Context, storyID string, limit int) (ids []string, features [][]byte, err error)
	// StoriesWithKeys maps each key asked that some story has to the
	// stories with it, in ID order; a key shared by more than limit
	// stories maps to nil (too common to tell them apart), at the cost of
	// one row however many share it.
	StoriesWithKeys(ctx context.Context, keys []string, limit int) (map[string][]string, error)
	// ArticlesInBands maps each band asked that has articles to the
	// latest limit of them (all for limit 0 or less), in the order their
	// bands were first set (ingest order when set then), at the cost of
	// about limit rows however many the band has.
	ArticlesInBands(ctx context.Context, bands []uint64, limit int) (map[uint64][]string, error)
	// Signatures returns the stored dedup signatures of the articles
	// asked that have one: what a band lookup's candidates are judged by,
	// without reading the rest of their state.
	Signatures(ctx context.Context, ids []string) (map[string][]byte, error)

	// Search returns a page of the articles (or, with Quotes, the quotes)
	// matching a query: every term and filter must hold. With a term to
	// rank by, the best first (bm25, a title above the text, then ingest
	// order); else newest first (undated last). Copies are found like
	// any article and carry DuplicateOf. Terms match the token stream of
	// query.Tokens: an article's terms in its title or text, a phrase
	// within one of them, never across; a quote's terms in its words, its
	// speaker by speaker: (an adjacent run of the name's tokens, as
	// NameMatches does for outlet:). A page reads only its query's
	// matches.
	Search(ctx context.Context, q SearchQuery) (SearchPage, error)

	// Moves returns the story changes of a story's articles (into or out
	// of it), oldest first.
	Moves(ctx context.Context, storyID string) ([]Move, error)

	// PutTemplate stores an outlet's template, replacing the one before.
	PutTemplate(ctx context.Context, t Template) error
	// Templates returns every stored template, by outlet name.
	Templates(ctx context.Context) ([]Template, error)
	// OutletArticles returns the IDs of an outlet's articles, copies
	// included, newest first: by publication (undated after dated), then
	// latest ingested first; the first limit of them, all for limit 0 or
	// less.
	OutletArticles(ctx context.Context, outlet string, limit int) ([]string, error)
	// OutletPages returns what a template is learned from for the
	// articles OutletArticles lists, in its order: each one's story,
	// stored text and the paragraphs a template took out of it.
	OutletPages(ctx context.Context, outlet string, limit int) ([]OutletPage, error)
	// AddReclean records a trace of an article cleaned again; an absent
	// article is ErrNotFound. Removing the article drops its traces.
	AddReclean(ctx context.Context, r Reclean) error
	// Recleans returns an article's traces, oldest first.
	Recleans(ctx context.Context, articleID string) ([]Reclean, error)
	// AddTaught adds to each outlet's count of articles committed since
	// its template was last learned: what the next round of learning
	// reads, kept with the articles so that a killed run loses none.
	// Taught returns the counts by outlet; ClearTaught deletes them all.
	AddTaught(ctx context.Context, counts map[string]int) error
	Taught(ctx context.Context) (map[string]int, error)
	ClearTaught(ctx context.Context) error
	Close() error
}

// StoryVersioner is a Store that can say, with one cheap read, whether a
// story changed: what lets a reader cache a story's view. It is optional;
// a reader without it reads the story each time.
type StoryVersioner interface {
	// StoryVersion returns the story's version: every committed write
	// that changes what the story shows (its row, its comparison, an
	// article put into it, replaced, moved out or removed, a quote
	// renamed) gives it a version it never had before, even when the
	// story is dropped and made again under its ID; writes to other
	// stories and rolled-back ones leave it. found is false for no such
	// story.
	StoryVersion(ctx context.Context, id string) (version int64, found bool, err error)
}

// OthersWatcher is a Store that can say whether anyone else wrote to it:
// what lets a long-lived writer keep what it read while the writer lock
// was not its own. It is optional; a writer without it reads anew.
type OthersWatcher interface {
	// OthersMark returns a value that stays the same while nobody else,
	// in this process or another, writes: this store's own writes leave
	// it. Every writer of articles, stories and state holds the writer
	// lock (Lock), and a backend may watch only those: SQLite moves the
	// mark at any other connection's commit, PostgreSQL when the lock
	// passes to another handle.
	OthersMark(ctx context.Context) (int64, error)
}

// BandHits gathers the rows of a band read (band, the article's place in
// band order, its ID), in any order, so that every backend answers
// ArticlesInBands alike: each band's articles in band order, the latest
// limit of them.
type BandHits map[uint64][]bandHit

type bandHit struct {
	ord int64
	id  string
}

// Add records that article id stands at ord in band.
func (h BandHits) Add(band uint64, ord int64, id string) {
	h[band] = append(h[band], bandHit{ord, id})
}

// Latest maps each band to its articles in band order, keeping the latest
// limit of them (all when limit is 0 or less).
func (h BandHits) Latest(limit int) map[uint64][]string {
	out := make(map[uint64][]string, len(h))
	for b, hs := range h {
		slices.SortFunc(hs, func(x, y bandHit) int { return cmp.Compare(x.ord, y.ord) })
		if limit > 0 && len(hs) > limit {
			hs = hs[len(hs)-limit:]
		}
		ids := make([]string, len(hs))
		for i, x := range hs {
			ids[i] = x.id
		}
		out[b] = ids
	}
	return out
}

type writesBehindKey struct{}

// WritesBehind returns ctx with leave for the backend to send the Puts of
// a batch made with it (or a ctx derived from it) behind their caller: Put
// may return once its article is checked, before the server has written
// it, so that the caller's next work overlaps the round trips. The
// batch's next call waits for the write, as does its end, so every read
// still sees it. A write the server then refuses is not undone alone: it
// fails that next call and the batch, which rolls back. For callers that
// give a batch up at its first failed write.
func WritesBehind(ctx context.Context) context.Context {
	return context.WithValue(ctx, writesBehindKey{}, true)
}

// MayWriteBehind reports whether ctx came from WritesBehind.
func MayWriteBehind(ctx context.Context) bool {
	on, _ := ctx.Value(writesBehindKey{}).(bool)
	return on
}
