package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

// MaxQuery bounds a query's bytes: longer is a mistake, not a search,
// and each term costs the index a lookup.
const MaxQuery = 1000

// searchLimit is a search page's size unless asked.
const searchLimit = 20

// SnippetView is a passage with the byte ranges of it that matched.
type SnippetView struct {
	Text  string   `json:"text"`
	Marks [][2]int `json:"marks"`
}

// QuoteHit is the quote a quote search found.
type QuoteHit struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// SearchHit is one article found, or one quote with its article.
type SearchHit struct {
	ID          string      `json:"id"`
	Story       string      `json:"story"`
	Title       string      `json:"title"`
	TitleMarks  [][2]int    `json:"title_marks"`
	Outlet      string      `json:"outlet"`
	Language    string      `json:"language"`
	Published   *time.Time  `json:"published"`
	DuplicateOf string      `json:"duplicate_of"`
	Snippet     SnippetView `json:"snippet"`
	Quote       *QuoteHit   `json:"quote,omitempty"`
	// Rank orders the hits, lower first (bm25 on SQLite, -ts_rank on
	// PostgreSQL); 0 when they are listed by date.
	Rank float64 `json:"rank"`
}

// SearchList is a page of hits; next is "" on the last page.
type SearchList struct {
	Hits []SearchHit `json:"hits"`
	Next string      `json:"next"`
}

// NewSearchList is a page of the store's hits as the API and `dossier
// search --json` give it: one shape for both.
func NewSearchList(pg store.SearchPage) SearchList {
	out := SearchList{Hits: make([]SearchHit, 0, len(pg.Hits)), Next: pg.Next}
	for _, h := range pg.Hits {
		out.Hits = append(out.Hits, searchHit(h))
	}
	return out
}

func searchHit(h store.SearchHit) SearchHit {
	out := SearchHit{ID: h.ArticleID, Story: h.StoryID, Title: h.Title, TitleMarks: validMarks(h.Title, h.TitleMarks),
		Outlet: h.Outlet, Language: h.Language, Published: timePtr(h.Published), DuplicateOf: h.DuplicateOf,
		Snippet: SnippetView{Text: h.Snippet.Text, Marks: validMarks(h.Snippet.Text, h.Snippet.Marks)}, Rank: h.Rank}
	if q := h.Quote; q != nil {
		out.Quote = &QuoteHit{Text: q.Text, Speaker: q.Speaker, Role: q.Role, Start: q.Start, End: q.End}
	}
	return out
}

// validMarks keeps the ranges that are in order, in range and on rune
// boundaries: they come from the store and are never trusted blindly.
func validMarks(text string, marks [][2]int) [][2]int {
	out := [][2]int{}
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(text) || m[0] >= m[1] || !boundary(text, m[0]) || !boundary(text, m[1]) {
			continue
		}
		out = append(out, m)
		at = m[1]
	}
	return out
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// piece is a run of text, marked or not, for a template to draw.
type piece struct {
	Text string
	Mark bool
}

// pieces cuts text at its (valid) marks.
func pieces(text string, marks [][2]int) []piece {
	var out []piece
	at := 0
	for _, m := range validMarks(text, marks) {
		if m[0] > at {
			out = append(out, piece{Text: text[at:m[0]]})
		}
		out = append(out, piece{Text: text[m[0]:m[1]], Mark: true})
		at = m[1]
	}
	if at < len(text) {
		out = append(out, piece{Text: text[at:]})
	}
	return out
}

// errQuery is a search request that cannot be answered as asked.
type errQuery struct{ msg string }

func (e errQuery) Error() string { return e.msg }

// searchQuery reads q, speaker, cursor and limit, as the pages and the API
// share them. Only its size can make a query bad; its syntax never does.
func searchQuery(v url.Values, quotes bool) (store.SearchQuery, error) {
	raw, speaker := v.Get("q"), strings.TrimSpace(v.Get("speaker"))
	if len(raw)+len(speaker) > MaxQuery {
		return store.SearchQuery{}, errQuery{fmt.Sprintf("the query is over %d bytes", MaxQuery)}
	}
	q := query.Parse(raw)
	if speaker != "" {
		name := query.Quote(speaker)
		if name == "" {
			return store.SearchQuery{}, errQuery{"speaker: the name has no words"}
		}
		q = q.And(query.Parse("speaker:" + name))
	}
	sq := store.SearchQuery{Query: q, Quotes: quotes, Cursor: v.Get("cursor"), Limit: searchLimit}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxLimit {
			return sq, errQuery{fmt.Sprintf("limit: want a whole number from 1 to %d", store.MaxLimit)}
		}
		sq.Limit = n
	}
	return sq, nil
}

// apiSearchPage answers the API's searches: a bad request is 400, a cursor from
// elsewhere 400 bad_cursor.
func (s *Server) apiSearchPage(w http.ResponseWriter, r *http.Request, quotes bool, and query.Query) (store.SearchPage, bool) {
	sq, err := searchQuery(r.URL.Query(), quotes)
	sq.Query = sq.Query.And(and)
	if err != nil {
		apiError(w, http.StatusBadRequest, "bad_request", err.Error())
		return store.SearchPage{}, false
	}
	pg, err := s.store.Search(r.Context(), sq)
	if errors.Is(err, store.ErrBadCursor) {
		apiError(w, http.StatusBadRequest, "bad_cursor", "the cursor is not one this search gave")
		return store.SearchPage{}, false
	}
	if err != nil {
		s.apiFail(w, r, err)
		return store.SearchPage{}, false
	}
	return pg, true
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, quotes bool) {
	pg, ok := s.apiSearchPage(w, r, quotes, query.Query{})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, NewSearchList(pg))
}

// apiStoriesSearch lists the stories of a search's hits: the distinct
// stories of one page of hits in rank order, paged by the search's
// cursor, so that a story may come again on a later page. outlet, from
// and to then narrow the articles searched, as the query's filters do.
func (s *Server) apiStoriesSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	var filters []string
	if o := strings.TrimSpace(v.Get("outlet")); o != "" {
		if query.Quote(o) == "" {
			apiError(w, http.StatusBadRequest, "bad_request", "outlet: the name has no words")
			return
		}
		filters = append(filters, "outlet:"+query.Quote(o))
	}
	for _, k := range []string{"from", "to"} {
		day := strings.TrimSpace(v.Get(k))
		if day == "" {
			continue
		}
		if _, err := time.Parse(query.DateLayout, day); err != nil {
			apiError(w, http.StatusBadRequest, "bad_request", k+": with q, want YYYY-MM-DD")
			return
		}
		filters = append(filters, k+":"+day)
	}
	and := query.Parse(strings.Join(filters, " "))
	pg, ok := s.apiSearchPage(w, r, false, and)
	if !ok {
		return
	}
	items, err := s.hitStories(r.Context(), pg.Hits)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, StoryList{Stories: items, Next: pg.Next})
}

func (s *Server) hitStories(ctx context.Context, hits []store.SearchHit) ([]StoryItem, error) {
	items := []StoryItem{}
	var seen []string
	for _, h := range hits {
		if h.StoryID == "" || slices.Contains(seen, h.StoryID) {
			continue
		}
		seen = append(seen, h.StoryID)
		st, err := s.store.Story(ctx, h.StoryID)
		if errors.Is(err, store.ErrNotFound) {
			continue // moved or removed since the index answered
		}
		if err != nil {
			return nil, fmt.Errorf("story of a hit: %w", err)
		}
		items = append(items, StoryItem{ID: st.ID, Title: st.Title, Articles: len(st.Articles), Outlets: nonNil(st.Outlets),
			FirstPublished: timePtr(st.FirstPublished), LastPublished: timePtr(st.LastPublished)})
	}
	return items, nil
}

// hitView is a hit as the search page draws it.
type hitView struct {
	SearchHit
	TitlePieces, SnippetPieces []piece
}

type searchData struct {
	Q       string
	Quotes  bool
	Help    bool
	Problem string
	Hits    []hitView
	// The links are whole addresses: html/template escapes a query
	// string written after a literal "?" as one value.
	ArticlesURL, QuotesURL    string
	NextURL, Cursor, FirstURL string
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	quotes := v.Get("quotes") == "1"
	raw := v.Get("q")
	d := searchData{Quotes: quotes, Cursor: v.Get("cursor")}
	// A query over the limit is shown cut, never reflected whole.
	d.Q = raw
	if len(d.Q) > MaxQuery {
		d.Q = firstBytes(d.Q, MaxQuery)
	}
	tab := func(quotes bool) string {
		nv := url.Values{"q": {d.Q}}
		if quotes {
			nv.Set("quotes", "1")
		}
		return "/search?" + nv.Encode()
	}
	d.ArticlesURL, d.QuotesURL = tab(false), tab(true)
	d.FirstURL = tab(quotes)
	sq, err := searchQuery(v, quotes)
	if err != nil {
		d.Problem = "That search is too long: " + err.Error() + ". Shorten it and try again."
		s.render(w, r, http.StatusBadRequest, "search", "Search", "search", d)
		return
	}
	if sq.Query.IsZero() {
		d.Help = true
		s.render(w, r, http.StatusOK, "search", "Search", "search", d)
		return
	}
	pg, err := s.store.Search(r.Context(), sq)
	if errors.Is(err, store.ErrBadCursor) {
		d.Problem = "That page of results is out of date; start the search again."
		s.render(w, r, http.StatusBadRequest, "search", "Search", "search", d)
		return
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, h := range pg.Hits {
		hv := hitView{SearchHit: searchHit(h)}
		hv.TitlePieces = pieces(hv.Title, hv.TitleMarks)
		hv.SnippetPieces = pieces(hv.Snippet.Text, hv.Snippet.Marks)
		d.Hits = append(d.Hits, hv)
	}
	if pg.Next != "" {
		nv := url.Values{"q": {d.Q}, "cursor": {pg.Next}}
		if quotes {
			nv.Set("quotes", "1")
		}
		d.NextURL = "/search?" + nv.Encode()
	}
	title := "Search: " + firstRunes(d.Q, 60)
	s.render(w, r, http.StatusOK, "search", title, "search", d)
}

// firstBytes is s cut to at most n bytes on a rune boundary.
func firstBytes(s string, n int) string {
	for n > 0 && !boundary(s, n) {
		n--
	}
	return s[:n]
}
