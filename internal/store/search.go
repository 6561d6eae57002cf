package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/varint"
)

// SearchQuery asks for a page of articles, or of quotes, matching a query.
type SearchQuery struct {
	Query query.Query
	// Quotes searches quotes (their words and speaker) instead of
	// articles: "what did X say about Y" is speaker:X Y.
	Quotes bool
	// Cursor is a page's Next, "" for the first page.
	Cursor string
	// Limit bounds the page; 0 or less means DefaultLimit.
	Limit int
}

// Snippet is a passage of text with byte ranges of it to highlight. It is
// plain text: callers escape it.
type Snippet struct {
	Text  string
	Marks [][2]int
}

// SearchHit is one article found, or one quote with its article.
type SearchHit struct {
	ArticleID, StoryID, Title, Outlet, Language string
	Published                                   time.Time // zero when unknown
	// DuplicateOf is the original when the article is a copy: copies are
	// found like any article and marked, not folded away.
	DuplicateOf string
	// TitleMarks are the byte ranges of Title to highlight.
	TitleMarks [][2]int
	Snippet    Snippet
	// Quote is the quote found, for a quote search.
	Quote *dossier.Quote
	// Rank orders a page, lower first (bm25 as SQLite gives it); 0 when
	// the query has no term to rank by and hits come newest first.
	Rank float64
}

// SearchPage is one page of hits; Next is "" on the last page.
type SearchPage struct {
	Hits []SearchHit
	Next string
}

// SearchCursor is the place after which a search page starts. Ranked
// pages go by (Rank, Key) ascending; unranked ones newest first by
// (Published, Key) descending, undated after dated. Key is the backend's
// order of the hit (an article's ingest place, a quote's).
//
// A backend that ranks a common query's matches a block at a time (see
// the README's query section) keeps the hit's block in From and Below:
// the keys from From up to, not including, Below; 0 is no bound (keys are
// positive).
type SearchCursor struct {
	Ranked      bool
	Rank        float64
	Dated       bool
	Published   int64 // unix nanoseconds, when Dated
	Key         int64
	From, Below int64
}

const cursorSearch = 'q'

// Encode is the cursor as a caller sees it.
func (c SearchCursor) Encode() string {
	b := []byte{cursorSearch, cursorVersion}
	var flags byte
	if c.Ranked {
		flags |= 1
	}
	if c.Dated {
		flags |= 2
	}
	block := c.From != 0 || c.Below != 0
	if block {
		flags |= 4
	}
	b = append(b, flags)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Rank))
	b = binary.AppendVarint(b, c.Published)
	b = binary.AppendVarint(b, c.Key)
	if block {
		b = binary.AppendVarint(b, c.From)
		b = binary.AppendVarint(b, c.Below)
	}
	return encodeCursor(b)
}

// DecodeSearchCursor reads a cursor made by SearchCursor.Encode; "" is the
// start, reported as ok false.
func DecodeSearchCursor(s string) (c SearchCursor, ok bool, err error) {
	if s == "" {
		return c, false, nil
	}
	b, err := decodeCursor(s, cursorSearch)
	if err != nil {
		return c, false, err
	}
	if len(b) < 9 || b[0]&^7 != 0 {
		return c, false, fmt.Errorf("%w: %.40q", ErrBadCursor, s)
	}
	c.Ranked, c.Dated = b[0]&1 != 0, b[0]&2 != 0
	c.Rank = math.Float64frombits(binary.BigEndian.Uint64(b[1:9]))
	d := varint.NewReader(b[9:])
	c.Published, c.Key = d.Varint("published"), d.Varint("key")
	if b[0]&4 != 0 {
		c.From, c.Below = d.Varint("from"), d.Varint("below")
	}
	if d.End(); d.Err() != nil || math.IsNaN(c.Rank) {
		return SearchCursor{}, false, fmt.Errorf("%w: %.40q", ErrBadCursor, s)
	}
	return c, true, nil
}

// Highlight fills a hit's snippet and title marks from the text the hit
// matched in (the article's text, or the quote's words) and the query.
func Highlight(h *SearchHit, text string, q query.Query) {
	s, marks := query.Snippet(text, q)
	h.Snippet = Snippet{Text: s, Marks: marks}
	h.TitleMarks = query.Marks(h.Title, q)
}

// NameMatches says whether a name, as tokens, holds each of runs as an
// adjacent run of its tokens: how outlet: and speaker: match a name.
func NameMatches(name []string, runs [][]string) bool {
	for _, run := range runs {
		found := false
		for i := 0; i+len(run) <= len(name) && !found; i++ {
			found = slices.Equal(name[i:i+len(run)], run)
		}
		if !found {
			return false
		}
	}
	return true
}
