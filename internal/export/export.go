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
}

// Quote is one quotation of an exported article.
type Quote struct {
	Text    string  `json:"text"`
	Speaker *string `json:"speaker"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Cue     string  `json:"cue,omitempty"`
	Partial bool    `json:"partial"`
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
	stories, err := st.Stories(ctx)
	if err != nil {
		return n, fmt.Errorf("export stories: %w", err)
	}
	err = writeJSONL(filepath.Join(dir, "stories.jsonl"), func(enc *json.Encoder) error {
		for _, s := range stories {
			if err := enc.Encode(FromStory(s)); err != nil {
				return err
			}
			n.Stories++
		}
		return nil
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
	}
	for _, q := range a.Quotes {
		out.Quotes = append(out.Quotes, Quote{Text: q.Text, Speaker: optional(q.Speaker), Start: q.Start, End: q.End, Cue: q.Cue, Partial: q.Partial})
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
