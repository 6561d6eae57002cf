// Package export writes Dossier's export contract: articles.jsonl and
// stories.jsonl, which outside tools and the evaluation scorers read. The
// field names and meanings are stable; fields may be added, never renamed.
package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Article is one line of articles.jsonl.
type Article struct {
	ID          string   `json:"id"`
	Source      string   `json:"source"`
	URL         string   `json:"url"`
	Outlet      string   `json:"outlet"`
	Title       string   `json:"title"`
	Authors     []string `json:"authors"`
	Published   *string  `json:"published"`
	Language    string   `json:"language"`
	Text        string   `json:"text"`
	DuplicateOf *string  `json:"duplicate_of"`
	Story       string   `json:"story"`
	Quotes      []Quote  `json:"quotes"`
	// Beyond the contract's minimum:
	Contacts   []string `json:"contacts"`
	Captions   []string `json:"captions"`
	Similarity float64  `json:"similarity,omitempty"`
	Modified   *string  `json:"modified"`
}

// Quote is one quotation of an exported article.
type Quote struct {
	Text    string  `json:"text"`
	Speaker *string `json:"speaker"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Cue     string  `json:"cue,omitempty"`
	Partial bool    `json:"partial"`
	Role    string  `json:"role,omitempty"`
}

// Story is one line of stories.jsonl.
type Story struct {
	ID             string    `json:"id"`
	Title          string    `json:"title"`
	Articles       []string  `json:"articles"`
	Outlets        []string  `json:"outlets"`
	FirstPublished *string   `json:"first_published"`
	LastPublished  *string   `json:"last_published"`
	Speakers       []Speaker `json:"speakers"`
	// What the story's reports say alike and apart.
	Remarks   []Remark   `json:"remarks"`
	Unique    []Unique   `json:"unique"`
	Conflicts []Conflict `json:"conflicts"`
}

// Remark is one remark of a story as every outlet that carried it worded it.
type Remark struct {
	Speaker *string    `json:"speaker"`
	Text    string     `json:"text"`
	Outlets []string   `json:"outlets"`
	Quotes  []QuoteRef `json:"quotes"`
}

// QuoteRef points at a quote's words in an exported article's text.
type QuoteRef struct {
	Article string `json:"article"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// Unique is a sentence that only one report (and its copies) carries.
type Unique struct {
	Article string   `json:"article"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Score   float64  `json:"score"`
	Outlets []string `json:"outlets"`
}

// Conflict is a detail the story's reports state differently.
type Conflict struct {
	About  string          `json:"about"`
	Values []ConflictValue `json:"values"`
}

// ConflictValue is one report's value with the sentence that states it.
type ConflictValue struct {
	Article       string `json:"article"`
	Value         string `json:"value"`
	Start         int    `json:"start"`
	End           int    `json:"end"`
	SentenceStart int    `json:"sentence_start"`
	SentenceEnd   int    `json:"sentence_end"`
}

// Speaker is a story's speaker with the number of their quotes.
type Speaker struct {
	Name   string `json:"name"`
	Quotes int    `json:"quotes"`
}

// Counts says how much was written.
type Counts struct{ Articles, Stories int }

// Write exports everything in st into dir, creating it. Files are written
// under temporary names and renamed, so a reader never sees half an export.
func Write(ctx context.Context, st store.Store, dir string) (Counts, error) {
	var n Counts
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	err := writeJSONL(filepath.Join(dir, "articles.jsonl"), func(enc *json.Encoder) error {
		return st.Articles(ctx, func(a dossier.Article) error {
			n.Articles++
			return enc.Encode(FromArticle(a))
		})
	})
	if err != nil {
		return n, fmt.Errorf("export articles: %w", err)
	}
	err = writeJSONL(filepath.Join(dir, "stories.jsonl"), func(enc *json.Encoder) error {
		return st.EachStory(ctx, func(s dossier.Story) error {
			n.Stories++
			return enc.Encode(FromStory(s))
		})
	})
	if err != nil {
		return n, fmt.Errorf("export stories: %w", err)
	}
	return n, nil
}

func writeJSONL(path string, fill func(*json.Encoder) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private; an export is for other tools to read.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := fill(enc); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// FromArticle maps an article to its exported form.
func FromArticle(a dossier.Article) Article {
	out := Article{
		ID:          a.ID,
		Source:      a.Source,
		URL:         a.URL,
		Outlet:      a.Outlet,
		Title:       a.Title,
		Authors:     nonNil(a.Authors),
		Published:   Time(a.Published),
		Language:    a.Language,
		Text:        a.Text,
		DuplicateOf: optional(a.DuplicateOf),
		Story:       a.StoryID,
		Quotes:      make([]Quote, 0, len(a.Quotes)),
		Contacts:    nonNil(a.Contacts),
		Captions:    nonNil(a.Captions),
		Similarity:  a.Similarity,
		Modified:    Time(a.Modified),
	}
	for _, q := range a.Quotes {
		out.Quotes = append(out.Quotes, Quote{Text: q.Text, Speaker: optional(q.Speaker), Start: q.Start, End: q.End, Cue: q.Cue, Partial: q.Partial, Role: q.Role})
	}
	return out
}

// FromStory maps a story to its exported form.
func FromStory(s dossier.Story) Story {
	out := Story{
		ID:             s.ID,
		Title:          s.Title,
		Articles:       nonNil(s.Articles),
		Outlets:        nonNil(s.Outlets),
		FirstPublished: Time(s.FirstPublished),
		LastPublished:  Time(s.LastPublished),
		Speakers:       make([]Speaker, 0, len(s.Speakers)),
	}
	for _, sp := range s.Speakers {
		out.Speakers = append(out.Speakers, Speaker{Name: sp.Name, Quotes: sp.Quotes})
	}
	out.Remarks, out.Unique, out.Conflicts = []Remark{}, []Unique{}, []Conflict{}
	if c := s.Comparison; c != nil {
		for _, r := range c.Remarks {
			er := Remark{Speaker: optional(r.Speaker), Text: r.Text, Outlets: nonNil(r.Outlets), Quotes: []QuoteRef{}}
			for _, q := range r.Quotes {
				er.Quotes = append(er.Quotes, QuoteRef{Article: q.Article, Start: q.Start, End: q.End})
			}
			out.Remarks = append(out.Remarks, er)
		}
		for _, u := range c.Unique {
			out.Unique = append(out.Unique, Unique{Article: u.Article, Start: u.Start, End: u.End, Score: u.Score, Outlets: nonNil(u.Outlets)})
		}
		for _, cf := range c.Conflicts {
			ec := Conflict{About: cf.About, Values: []ConflictValue{}}
			for _, v := range cf.Values {
				ec.Values = append(ec.Values, ConflictValue(v))
			}
			out.Conflicts = append(out.Conflicts, ec)
		}
	}
	return out
}

// Time formats t as RFC 3339 in its own offset (numeric, +00:00 rather
// than Z, so every value reads the same way), or nil when unknown.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format("2006-01-02T15:04:05-07:00")
	return &s
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
