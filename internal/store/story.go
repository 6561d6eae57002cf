package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/varint"
)

// This file is the one definition of a story's aggregate (size, outlets,
// first and last publication), kept by every backend on write through
// Tally, so that two backends cannot disagree on what a story shows.

// Contribution is what one article brings to its story's aggregate.
type Contribution struct {
	// Seq is the article's place in ingest order.
	Seq       int64
	Outlet    string    // "" when unknown
	Published time.Time // zero when unknown
}

// OutletTally is one outlet of a story: how many of its articles the story
// holds and the earliest of them in ingest order, which orders the outlets.
type OutletTally struct {
	Name     string
	Articles int
	FirstSeq int64
}

// Tally is a story's aggregate, updated article by article. Outlets are in
// order of first appearance; First and Last are the earliest and latest
// publication instants, each in the offset it was stated in, the earlier
// article winning a tie of instants.
type Tally struct {
	Articles          int
	Outlets           []OutletTally
	First, Last       time.Time
	FirstSeq, LastSeq int64
}

// Add counts c in the tally.
func (t *Tally) Add(c Contribution) {
	t.Articles++
	if c.Outlet != "" {
		i := slices.IndexFunc(t.Outlets, func(o OutletTally) bool { return o.Name == c.Outlet })
		if i < 0 {
			t.Outlets = append(t.Outlets, OutletTally{Name: c.Outlet, Articles: 1, FirstSeq: c.Seq})
		} else {
			t.Outlets[i].Articles++
			t.Outlets[i].FirstSeq = min(t.Outlets[i].FirstSeq, c.Seq)
		}
		sort.SliceStable(t.Outlets, func(i, j int) bool { return t.Outlets[i].FirstSeq < t.Outlets[j].FirstSeq })
	}
	if p := c.Published; !p.IsZero() {
		if t.First.IsZero() || p.Before(t.First) || (p.Equal(t.First) && c.Seq < t.FirstSeq) {
			t.First, t.FirstSeq = p, c.Seq
		}
		if t.Last.IsZero() || p.After(t.Last) || (p.Equal(t.Last) && c.Seq < t.LastSeq) {
			t.Last, t.LastSeq = p, c.Seq
		}
	}
}

// Remove takes c, counted before, out of the tally. It returns false when
// the tally cannot be corrected without the story's other articles (c held
// the first or last time, or an outlet's first place): the caller then
// rebuilds it with Add over the articles left.
func (t *Tally) Remove(c Contribution) bool {
	t.Articles--
	ok := t.Articles >= 0
	if c.Outlet != "" {
		i := slices.IndexFunc(t.Outlets, func(o OutletTally) bool { return o.Name == c.Outlet })
		switch {
		case i < 0:
			ok = false
		case t.Outlets[i].Articles <= 1:
			t.Outlets = slices.Delete(t.Outlets, i, i+1)
		default:
			t.Outlets[i].Articles--
			ok = ok && t.Outlets[i].FirstSeq != c.Seq
		}
	}
	if !c.Published.IsZero() && (c.Seq == t.FirstSeq || c.Seq == t.LastSeq) {
		ok = false
	}
	if t.Articles == 0 {
		*t = Tally{}
		return true
	}
	return ok
}

// Change is t with out taken away and in added, either nil: what a write
// moving one article does to a story. ok is false when the result cannot
// be had without the story's other articles: the caller then rebuilds the
// tally with Add over them, the article rows already written.
func (t Tally) Change(out, in *Contribution) (next Tally, ok bool) {
	next = t
	next.Outlets = slices.Clone(t.Outlets)
	ok = true
	if out != nil {
		ok = next.Remove(*out)
	}
	if in != nil {
		next.Add(*in)
	}
	return next, ok
}

// OutletNames lists the outlets in order of first appearance.
func (t Tally) OutletNames() []string {
	if len(t.Outlets) == 0 {
		return nil
	}
	out := make([]string, len(t.Outlets))
	for i, o := range t.Outlets {
		out[i] = o.Name
	}
	return out
}

// tallyVersion leads an encoded tally, so that the layout can change.
const tallyVersion = 1

// EncodeTally is the tally as bytes, for a backend to keep with the story.
func EncodeTally(t Tally) []byte {
	b := []byte{tallyVersion}
	b = binary.AppendUvarint(b, uint64(max(t.Articles, 0)))
	b = appendTime(b, t.First)
	b = binary.AppendVarint(b, t.FirstSeq)
	b = appendTime(b, t.Last)
	b = binary.AppendVarint(b, t.LastSeq)
	b = binary.AppendUvarint(b, uint64(len(t.Outlets)))
	for _, o := range t.Outlets {
		b = binary.AppendUvarint(b, uint64(len(o.Name)))
		b = append(b, o.Name...)
		b = binary.AppendUvarint(b, uint64(max(o.Articles, 0)))
		b = binary.AppendVarint(b, o.FirstSeq)
	}
	return b
}

// appendTime writes a known flag, then the instant and offset.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	_, off := t.Zone()
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(off))
}

// errTally says a stored tally is damaged.
var errTally = errors.New("damaged story tally")

// DecodeTally is the inverse of EncodeTally. Empty input is an empty tally.
func DecodeTally(b []byte) (Tally, error) {
	var t Tally
	if len(b) == 0 {
		return t, nil
	}
	if b[0] != tallyVersion {
		return t, fmt.Errorf("%w: version %d", errTally, b[0])
	}
	d := varint.NewReader(b[1:])
	t.Articles = d.Int("articles")
	t.First = readTime(d)
	t.FirstSeq = d.Varint("first seq")
	t.Last = readTime(d)
	t.LastSeq = d.Varint("last seq")
	n := d.Count("outlets") // each outlet takes at least one byte
	for i := 0; i < n && d.Err() == nil; i++ {
		name := d.Bytes("outlet", uint64(d.Int("outlet")))
		t.Outlets = append(t.Outlets, OutletTally{Name: string(name), Articles: d.Int("outlet articles"), FirstSeq: d.Varint("outlet first seq")})
	}
	d.End()
	if err := d.Err(); err != nil {
		return Tally{}, fmt.Errorf("%w: %w", errTally, err)
	}
	return t, nil
}

// readTime reads what appendTime wrote.
func readTime(d *varint.Reader) time.Time {
	switch known := d.Byte("time"); {
	case d.Err() != nil || known == 0:
		return time.Time{}
	case known != 1:
		d.Fail("time flag %d", known)
		return time.Time{}
	}
	sec, nsec, off := d.Varint("seconds"), d.Uvarint("nanoseconds"), d.Varint("offset")
	if d.Err() != nil {
		return time.Time{}
	}
	if nsec >= 1e9 || off <= -24*3600 || off >= 24*3600 {
		d.Fail("time out of range")
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).In(Zone(int(off)))
}

// Zone is the location a time stated with this offset (seconds east of
// UTC) reads back in: UTC for 0, else an unnamed fixed zone, as RFC 3339
// text parses.
func Zone(offset int) *time.Location {
	if offset == 0 {
		return time.UTC
	}
	return time.FixedZone("", offset)
}

// SortSpeakers puts the most quoted first, then names in byte order.
func SortSpeakers(sc []dossier.SpeakerCount) {
	sort.Slice(sc, func(i, j int) bool {
		if sc[i].Quotes != sc[j].Quotes {
			return sc[i].Quotes > sc[j].Quotes
		}
		return sc[i].Name < sc[j].Name
	})
}

// StoryOf assembles a story from its stored parts: the tally, its article
// IDs in ingest order and its speakers' quote counts in any order.
func StoryOf(id, title string, t Tally, articles []string, speakers []dossier.SpeakerCount, c *dossier.Comparison) dossier.Story {
	SortSpeakers(speakers)
	return dossier.Story{
		ID: id, Title: title, Articles: articles, Outlets: t.OutletNames(),
		FirstPublished: t.First, LastPublished: t.Last, Speakers: speakers, Comparison: c,
	}
}

// SummaryOf is the listing form of a story.
func SummaryOf(id, title string, t Tally) StorySummary {
	return StorySummary{ID: id, Title: title, Articles: t.Articles, Outlets: t.OutletNames(),
		FirstPublished: t.First, LastPublished: t.Last}
}

// Undated instants sort a story with no dated article after every dated
// one, newest first, and out of every time filter.
const (
	UndatedLast  int64 = -1 << 63
	UndatedFirst int64 = 1<<63 - 1
)

// SortKeys are the instants (unix nanoseconds) a backend orders and filters
// stories by, the Undated values for a story with no date.
func (t Tally) SortKeys() (first, last int64) {
	if t.First.IsZero() {
		return UndatedFirst, UndatedLast
	}
	return t.First.UnixNano(), t.Last.UnixNano()
}

// Cursors are opaque to callers; inside, a kind letter, a version and the
// key of the last item shown.
const (
	cursorStories  = 's'
	cursorArticles = 'a'
	cursorVersion  = 1
)

// ErrBadCursor is wrapped by the errors of a cursor that no page gave.
var ErrBadCursor = errors.New("bad cursor")

// StoryCursor is the place after which a story page starts: the order key
// of its last story (last published, created, id), newest first.
type StoryCursor struct {
	Last, Created int64
	ID            string
}

// Encode is the cursor as a caller sees it.
func (c StoryCursor) Encode() string {
	b := []byte{cursorStories, cursorVersion}
	b = binary.AppendVarint(b, c.Last)
	b = binary.AppendVarint(b, c.Created)
	b = append(b, c.ID...)
	return encodeCursor(b)
}

// DecodeStoryCursor reads a cursor made by StoryCursor.Encode; "" is the
// start, reported as ok false.
func DecodeStoryCursor(s string) (c StoryCursor, ok bool, err error) {
	if s == "" {
		return c, false, nil
	}
	b, err := decodeCursor(s, cursorStories)
	if err != nil {
		return c, false, err
	}
	d := varint.NewReader(b)
	c.Last, c.Created = d.Varint("last"), d.Varint("created")
	if d.Err() != nil || d.Len() == 0 {
		return StoryCursor{}, false, fmt.Errorf("%w: %q", ErrBadCursor, s)
	}
	c.ID = string(d.Bytes("id", uint64(d.Len())))
	return c, true, nil
}

// EncodeArticleCursor is the cursor after the article at seq.
func EncodeArticleCursor(seq int64) string {
	return encodeCursor(binary.AppendVarint([]byte{cursorArticles, cursorVersion}, seq))
}

// DecodeArticleCursor reads a cursor made by EncodeArticleCursor; "" is
// the start, reported as ok false.
func DecodeArticleCursor(s string) (seq int64, ok bool, err error) {
	if s == "" {
		return 0, false, nil
	}
	b, err := decodeCursor(s, cursorArticles)
	if err != nil {
		return 0, false, err
	}
	d := varint.NewReader(b)
	seq = d.Varint("seq")
	if d.End(); d.Err() != nil {
		return 0, false, fmt.Errorf("%w: %q", ErrBadCursor, s)
	}
	return seq, true, nil
}

const cursorDigits = "0123456789abcdef"

// encodeCursor writes bytes as lower-case hex: safe in a URL and a shell.
func encodeCursor(b []byte) string {
	var sb strings.Builder
	sb.Grow(2 * len(b))
	for _, c := range b {
		sb.WriteByte(cursorDigits[c>>4])
		sb.WriteByte(cursorDigits[c&15])
	}
	return sb.String()
}

func decodeCursor(s string, kind byte) ([]byte, error) {
	if len(s)%2 != 0 || len(s) > 2048 {
		return nil, fmt.Errorf("%w: %.40q", ErrBadCursor, s)
	}
	b := make([]byte, len(s)/2)
	for i := range b {
		hi, lo := strings.IndexByte(cursorDigits, s[2*i]), strings.IndexByte(cursorDigits, s[2*i+1])
		if hi < 0 || lo < 0 {
			return nil, fmt.Errorf("%w: %.40q", ErrBadCursor, s)
		}
		b[i] = byte(hi<<4 | lo)
	}
	if len(b) < 2 || b[0] != kind || b[1] != cursorVersion {
		return nil, fmt.Errorf("%w: %.40q is not a cursor of this list", ErrBadCursor, s)
	}
	return b[2:], nil
}

// errInstant says a time lies outside what an instant holds.
var errInstant = errors.New("year outside 1678-2261")

// Instant is a known time as every backend keeps it: unix nanoseconds,
// which order and filter, and the offset it was stated in (seconds east
// of UTC), so that it reads back as the same instant in the same offset.
// Unix nanoseconds are undefined outside about 1678-2262.
func Instant(t time.Time) (ns int64, offset int, err error) {
	if y := t.Year(); y < 1678 || y > 2261 {
		return 0, 0, fmt.Errorf("time %v: %w", t, errInstant)
	}
	_, offset = t.Zone()
	return t.UnixNano(), offset, nil
}

// FromInstant is the inverse of Instant.
func FromInstant(ns int64, offset int) (time.Time, error) {
	if offset <= -24*3600 || offset >= 24*3600 {
		return time.Time{}, fmt.Errorf("stored offset %d s: out of range", offset)
	}
	return time.Unix(0, ns).In(Zone(offset)), nil
}

// TermKey is the key a backend keeps a term's document frequency under:
// FNV-1a of its bytes, 64 bits. Every backend keys alike, so that two
// terms sharing a hash (about one chance in a million among ten million
// terms) share a count everywhere, and a store moves between backends
// with its counts.
func TermKey(t string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(t))
	return int64(h.Sum64())
}
