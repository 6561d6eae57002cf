package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/syndication"
)

// The views are what both the pages and the API show: one builder, so
// that the API carries everything a page does.

// StoryItem is a story as listed.
type StoryItem struct {
	ID             string     `json:"id"`
	Title          string     `json:"title"`
	Articles       int        `json:"articles"`
	Outlets        []string   `json:"outlets"`
	FirstPublished *time.Time `json:"first_published"`
	LastPublished  *time.Time `json:"last_published"`
}

// StoryList is a page of stories.
type StoryList struct {
	Stories []StoryItem `json:"stories"`
	Next    string      `json:"next"`
}

// ArticleItem is an article as a story lists it.
type ArticleItem struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Outlet      string     `json:"outlet"`
	URL         string     `json:"url"`
	Published   *time.Time `json:"published"`
	DuplicateOf string     `json:"duplicate_of"`
	Similarity  float64    `json:"similarity"`
	Quotes      int        `json:"quotes"`
}

// Speaker is a story's speaker with their commonest role.
type Speaker struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	Quotes int    `json:"quotes"`
}

// Wording is one article's words for a remark.
type Wording struct {
	Article string `json:"article"`
	Outlet  string `json:"outlet"`
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// RemarkView is a remark with each outlet's wording.
type RemarkView struct {
	Speaker  string    `json:"speaker"`
	Text     string    `json:"text"`
	Outlets  []string  `json:"outlets"`
	Wordings []Wording `json:"wordings"`
}

// UniqueView is a sentence only one report carries.
type UniqueView struct {
	Article string   `json:"article"`
	Outlets []string `json:"outlets"`
	Text    string   `json:"text"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Score   float64  `json:"score"`
}

// ValueView is one report's value in a conflict, with its sentence.
type ValueView struct {
	Article       string `json:"article"`
	Outlet        string `json:"outlet"`
	Value         string `json:"value"`
	Sentence      string `json:"sentence"`
	SentenceStart int    `json:"sentence_start"`
	SentenceEnd   int    `json:"sentence_end"`
}

// ConflictView is a detail reports state differently.
type ConflictView struct {
	About  string      `json:"about"`
	Values []ValueView `json:"values"`
}

// RunView is an original and who re-ran it.
type RunView struct {
	Original ArticleItem   `json:"original"`
	Copies   []ArticleItem `json:"copies"`
}

// MoveView is an article changing story.
type MoveView struct {
	Article string     `json:"article"`
	From    string     `json:"from"`
	To      string     `json:"to"`
	Reason  string     `json:"reason"`
	At      *time.Time `json:"at"`
}

// StoryView is everything the story page shows.
type StoryView struct {
	StoryItem
	Compared  bool           `json:"compared"`
	Items     []ArticleItem  `json:"article_list"`
	Speakers  []Speaker      `json:"speakers"`
	Remarks   []RemarkView   `json:"remarks"`
	Unique    []UniqueView   `json:"unique"`
	Conflicts []ConflictView `json:"conflicts"`
	Runs      []RunView      `json:"copies"`
	Moves     []MoveView     `json:"history"`
}

// QuoteView is a quote of an article.
type QuoteView struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Given   string `json:"given"`
	Role    string `json:"role"`
	Cue     string `json:"cue"`
	Partial bool   `json:"partial"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// ArticleView is everything the article page shows.
type ArticleView struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	URL       string     `json:"url"`
	Outlet    string     `json:"outlet"`
	Authors   []string   `json:"authors"`
	Contacts  []string   `json:"contacts"`
	Published *time.Time `json:"published"`
	Language  string     `json:"language"`
	Text      string     `json:"text"`
	Captions  []string   `json:"captions"`
	// Furniture are the paragraphs the outlet's template took out of the
	// text (lines it prints on its pages of other stories too).
	Furniture   []string     `json:"furniture"`
	StoryID     string       `json:"story"`
	DuplicateOf string       `json:"duplicate_of"`
	Similarity  float64      `json:"similarity"`
	Copies      []string     `json:"copies"`
	Quotes      []QuoteView  `json:"quotes"`
	IngestedAt  *time.Time   `json:"ingested_at"`
	Original    *ArticleItem `json:"original"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func storyItem(s store.StorySummary) StoryItem {
	return StoryItem{ID: s.ID, Title: s.Title, Articles: s.Articles, Outlets: nonNil(s.Outlets),
		FirstPublished: timePtr(s.FirstPublished), LastPublished: timePtr(s.LastPublished)}
}

func articleItem(a dossier.Article) ArticleItem {
	return ArticleItem{ID: a.ID, Title: a.Title, Outlet: a.Outlet, URL: a.URL, Published: timePtr(a.Published),
		DuplicateOf: a.DuplicateOf, Similarity: a.Similarity, Quotes: len(a.Quotes)}
}

// slice is text[start:end] when those are in range and on rune
// boundaries, else "": offsets come from the store, never trusted blindly.
func slice(text string, start, end int) string {
	if start < 0 || end > len(text) || start > end {
		return ""
	}
	if (start < len(text) && !utf8.RuneStart(text[start])) || (end < len(text) && !utf8.RuneStart(text[end])) {
		return ""
	}
	return text[start:end]
}

// maxStoryArticles bounds the articles a story page reads.
const maxStoryArticles = store.MaxLimit

func (s *Server) storyView(ctx context.Context, id string) (StoryView, error) {
	v, _, err := s.storyViewArticles(ctx, id)
	return v, err
}

// storyViewArticles is storyView with the articles it read.
func (s *Server) storyViewArticles(ctx context.Context, id string) (StoryView, []dossier.Article, error) {
	st, err := s.store.Story(ctx, id)
	if err != nil {
		return StoryView{}, nil, err
	}
	page, err := s.store.ArticlesPage(ctx, store.ArticleQuery{Story: id, Limit: maxStoryArticles})
	if err != nil {
		return StoryView{}, nil, fmt.Errorf("story %s: articles: %w", ident.ShortID(id), err)
	}
	articles := page.Articles
	v := StoryView{StoryItem: StoryItem{ID: st.ID, Title: st.Title, Articles: len(st.Articles), Outlets: nonNil(st.Outlets),
		FirstPublished: timePtr(st.FirstPublished), LastPublished: timePtr(st.LastPublished)}}
	byID := map[string]dossier.Article{}
	for _, a := range articles {
		byID[a.ID] = a
		v.Items = append(v.Items, articleItem(a))
	}
	// Publication order reads as the story unfolded; undated last.
	slices.SortStableFunc(v.Items, func(a, b ArticleItem) int {
		switch {
		case a.Published == nil && b.Published == nil:
			return 0
		case a.Published == nil:
			return 1
		case b.Published == nil:
			return -1
		}
		return a.Published.Compare(*b.Published)
	})
	roles := speakerRoles(articles)
	for _, sp := range st.Speakers {
		v.Speakers = append(v.Speakers, Speaker{Name: sp.Name, Role: roles[sp.Name], Quotes: sp.Quotes})
	}
	outletOf := func(id string) string { return byID[id].Outlet }
	if c := st.Comparison; c != nil {
		v.Compared = true
		for _, r := range c.Remarks {
			rv := RemarkView{Speaker: r.Speaker, Text: r.Text, Outlets: nonNil(r.Outlets)}
			seen := map[string]bool{}
			for _, q := range r.Quotes {
				text := slice(byID[q.Article].Text, q.Start, q.End)
				key := q.Article + "\x00" + text
				if text == "" || seen[key] {
					continue
				}
				seen[key] = true
				rv.Wordings = append(rv.Wordings, Wording{Article: q.Article, Outlet: outletOf(q.Article), Text: text, Start: q.Start, End: q.End})
			}
			rv.Wordings = nonNil(rv.Wordings)
			v.Remarks = append(v.Remarks, rv)
		}
		for _, u := range c.Unique {
			text := slice(byID[u.Article].Text, u.Start, u.End)
			if text == "" {
				continue
			}
			v.Unique = append(v.Unique, UniqueView{Article: u.Article, Outlets: nonNil(u.Outlets), Text: text, Start: u.Start, End: u.End, Score: u.Score})
		}
		for _, cf := range c.Conflicts {
			cv := ConflictView{About: cf.About}
			for _, val := range cf.Values {
				cv.Values = append(cv.Values, ValueView{Article: val.Article, Outlet: outletOf(val.Article), Value: val.Value,
					Sentence: slice(byID[val.Article].Text, val.SentenceStart, val.SentenceEnd), SentenceStart: val.SentenceStart, SentenceEnd: val.SentenceEnd})
			}
			cv.Values = nonNil(cv.Values)
			v.Conflicts = append(v.Conflicts, cv)
		}
	}
	for _, r := range syndication.Runs(articles) {
		rv := RunView{Original: articleItem(r.Original)}
		for _, c := range r.Copies {
			rv.Copies = append(rv.Copies, articleItem(c))
		}
		rv.Copies = nonNil(rv.Copies)
		v.Runs = append(v.Runs, rv)
	}
	moves, err := s.store.Moves(ctx, id)
	if err != nil {
		return StoryView{}, nil, fmt.Errorf("story %s: history: %w", ident.ShortID(id), err)
	}
	for _, m := range moves {
		if m.From == "" && m.To == id {
			continue // an arrival is in the list of articles already
		}
		v.Moves = append(v.Moves, MoveView{Article: m.Article, From: m.From, To: m.To, Reason: m.Reason, At: timePtr(m.At)})
	}
	v.Items, v.Speakers, v.Remarks = nonNil(v.Items), nonNil(v.Speakers), nonNil(v.Remarks)
	v.Unique, v.Conflicts, v.Runs, v.Moves = nonNil(v.Unique), nonNil(v.Conflicts), nonNil(v.Runs), nonNil(v.Moves)
	return v, articles, nil
}

// speakerRoles gives each speaker the role the articles give them most
// often (the first such on a tie), as dossier story does.
func speakerRoles(articles []dossier.Article) map[string]string {
	counts := map[string]map[string]int{}
	var order [][2]string
	for _, a := range articles {
		for _, q := range a.Quotes {
			if q.Speaker == "" || q.Role == "" {
				continue
			}
			if counts[q.Speaker] == nil {
				counts[q.Speaker] = map[string]int{}
			}
			if counts[q.Speaker][q.Role] == 0 {
				order = append(order, [2]string{q.Speaker, q.Role})
			}
			counts[q.Speaker][q.Role]++
		}
	}
	roles := map[string]string{}
	best := map[string]int{}
	for _, k := range order {
		if n := counts[k[0]][k[1]]; n > best[k[0]] {
			roles[k[0]], best[k[0]] = k[1], n
		}
	}
	return roles
}

func (s *Server) articleView(ctx context.Context, id string) (ArticleView, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return ArticleView{}, err
	}
	copies, err := s.store.Copies(ctx, id)
	if err != nil {
		return ArticleView{}, fmt.Errorf("article %s: copies: %w", ident.ShortID(id), err)
	}
	v := ArticleView{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Outlet: a.Outlet, Authors: nonNil(a.Authors),
		Contacts: nonNil(a.Contacts), Published: timePtr(a.Published), Language: a.Language, Text: a.Text, Captions: nonNil(a.Captions),
		StoryID: a.StoryID, DuplicateOf: a.DuplicateOf, Similarity: a.Similarity, Copies: nonNil(copies), IngestedAt: timePtr(a.IngestedAt)}
	for _, q := range a.Quotes {
		v.Quotes = append(v.Quotes, QuoteView{Text: q.Text, Speaker: q.Speaker, Given: q.Given, Role: q.Role, Cue: q.Cue, Partial: q.Partial, Start: q.Start, End: q.End})
	}
	v.Quotes = nonNil(v.Quotes)
	sv, found, err := s.store.Saved(ctx, id)
	if err != nil {
		return ArticleView{}, fmt.Errorf("article %s: furniture: %w", ident.ShortID(id), err)
	}
	if found {
		for _, r := range sv.Furniture.InOrder() {
			v.Furniture = append(v.Furniture, r.Text)
		}
	}
	v.Furniture = nonNil(v.Furniture)
	if a.DuplicateOf != "" {
		switch o, err := s.store.Article(ctx, a.DuplicateOf); {
		case err == nil:
			item := articleItem(o)
			v.Original = &item
		case !errors.Is(err, store.ErrNotFound):
			return ArticleView{}, fmt.Errorf("article %s: original: %w", ident.ShortID(id), err)
		}
	}
	return v, nil
}

// safeURL returns u when it is an absolute http(s) URL, else "": only
// those become links, never javascript: or data:.
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.String()
	}
	return ""
}
