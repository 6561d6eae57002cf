package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// The flat tables: the same data as the JSONL contract, one row per thing,
// joined by IDs, for analysts who load them into a dataframe or a
// warehouse. A field's parquet tag names its column in both formats; lists
// are Parquet LISTs and "; "-joined text in CSV.

// ArticleRow is one row of the articles table.
type ArticleRow struct {
	ID        string   `parquet:"id"`
	Source    string   `parquet:"source"`
	URL       string   `parquet:"url"`
	Outlet    string   `parquet:"outlet,dict"`
	Title     string   `parquet:"title"`
	Authors   []string `parquet:"authors,list"`
	Published *string  `parquet:"published,optional"`
	// PublishedUTC is the same instant as a timestamp, for range queries;
	// Published keeps the offset the article stated.
	PublishedUTC *time.Time `parquet:"published_utc,optional,timestamp(millisecond)"`
	Language     string     `parquet:"language,dict"`
	Text         string     `parquet:"text"`
	DuplicateOf  *string    `parquet:"duplicate_of,optional"`
	Similarity   float64    `parquet:"similarity"`
	Story        string     `parquet:"story"`
	Quotes       int        `parquet:"quotes"`
	Contacts     []string   `parquet:"contacts,list"`
	Captions     []string   `parquet:"captions,list"`
}

// QuoteRow is one quotation: the Nth of its article.
type QuoteRow struct {
	Article string  `parquet:"article"`
	N       int     `parquet:"n"`
	Text    string  `parquet:"text"`
	Speaker *string `parquet:"speaker,optional"`
	Role    string  `parquet:"role"`
	Start   int     `parquet:"start"`
	End     int     `parquet:"end"`
	Cue     string  `parquet:"cue"`
	Partial bool    `parquet:"partial"`
}

// StoryRow is one row of the stories table; its articles name it in their
// story column.
type StoryRow struct {
	ID                string     `parquet:"id"`
	Title             string     `parquet:"title"`
	Articles          int        `parquet:"articles"`
	Outlets           []string   `parquet:"outlets,list"`
	FirstPublished    *string    `parquet:"first_published,optional"`
	LastPublished     *string    `parquet:"last_published,optional"`
	FirstPublishedUTC *time.Time `parquet:"first_published_utc,optional,timestamp(millisecond)"`
	LastPublishedUTC  *time.Time `parquet:"last_published_utc,optional,timestamp(millisecond)"`
}

// SpeakerRow is one speaker of a story with the number of their quotes.
type SpeakerRow struct {
	Story  string `parquet:"story"`
	Name   string `parquet:"name"`
	Quotes int    `parquet:"quotes"`
}

// RemarkRow is one remark of a story (the Nth), the outlets that carried it.
type RemarkRow struct {
	Story   string   `parquet:"story"`
	N       int      `parquet:"n"`
	Speaker *string  `parquet:"speaker,optional"`
	Text    string   `parquet:"text"`
	Outlets []string `parquet:"outlets,list"`
}

// RemarkQuoteRow points from a remark to one article's wording of it.
type RemarkQuoteRow struct {
	Story   string `parquet:"story"`
	Remark  int    `parquet:"remark"`
	Article string `parquet:"article"`
	Start   int    `parquet:"start"`
	End     int    `parquet:"end"`
}

// UniqueRow is a sentence only one report (and its copies) carries.
type UniqueRow struct {
	Story   string   `parquet:"story"`
	Article string   `parquet:"article"`
	Start   int      `parquet:"start"`
	End     int      `parquet:"end"`
	Score   float64  `parquet:"score"`
	Outlets []string `parquet:"outlets,list"`
}

// ConflictRow is one report's value of a detail the story's reports state
// differently: the Nth conflict of the story, one row per value.
type ConflictRow struct {
	Story         string `parquet:"story"`
	N             int    `parquet:"n"`
	About         string `parquet:"about"`
	Article       string `parquet:"article"`
	Value         string `parquet:"value"`
	Start         int    `parquet:"start"`
	End           int    `parquet:"end"`
	SentenceStart int    `parquet:"sentence_start"`
	SentenceEnd   int    `parquet:"sentence_end"`
}

// Format is a way of writing the flat tables.
type Format string

// The formats of WriteTables.
const (
	CSV     Format = "csv"
	Parquet Format = "parquet"
)

// TableCounts says how many rows each table got.
type TableCounts map[string]int

// Tables names the tables WriteTables writes, in that order.
var Tables = []string{"articles", "quotes", "stories", "speakers", "remarks", "remark_quotes", "unique", "conflicts"}

// WriteTables exports st as flat tables into dir, one file per table
// (articles.csv or articles.parquet, ...). Like Write, every file is written
// under a temporary name and renamed only when all are complete.
func WriteTables(ctx context.Context, st store.Store, dir string, f Format) (TableCounts, error) {
	if f != CSV && f != Parquet {
		return nil, fmt.Errorf("export: unknown format %q (csv or parquet)", f)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	w := &tableSet{dir: dir, format: f, counts: TableCounts{}}
	defer w.abort()
	articles, err1 := openTable[ArticleRow](w, "articles")
	quotes, err2 := openTable[QuoteRow](w, "quotes")
	if err := firstErr(err1, err2); err != nil {
		return nil, err
	}
	err := st.Articles(ctx, func(a dossier.Article) error {
		if err := articles.write(articleRow(a)); err != nil {
			return err
		}
		for i, q := range a.Quotes {
			row := QuoteRow{Article: a.ID, N: i, Text: q.Text, Speaker: optional(q.Speaker), Role: q.Role, Start: q.Start, End: q.End, Cue: q.Cue, Partial: q.Partial}
			if err := quotes.write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export articles: %w", err)
	}
	stories, err1 := openTable[StoryRow](w, "stories")
	speakers, err2 := openTable[SpeakerRow](w, "speakers")
	remarks, err3 := openTable[RemarkRow](w, "remarks")
	remarkQuotes, err4 := openTable[RemarkQuoteRow](w, "remark_quotes")
	unique, err5 := openTable[UniqueRow](w, "unique")
	conflicts, err6 := openTable[ConflictRow](w, "conflicts")
	if err := firstErr(err1, err2, err3, err4, err5, err6); err != nil {
		return nil, err
	}
	err = st.EachStory(ctx, func(s dossier.Story) error {
		var errs []error
		errs = append(errs, stories.write(storyRow(s)))
		for _, sp := range s.Speakers {
			errs = append(errs, speakers.write(SpeakerRow{Story: s.ID, Name: sp.Name, Quotes: sp.Quotes}))
		}
		if c := s.Comparison; c != nil {
			for i, r := range c.Remarks {
				errs = append(errs, remarks.write(RemarkRow{Story: s.ID, N: i, Speaker: optional(r.Speaker), Text: r.Text, Outlets: nonNil(r.Outlets)}))
				for _, q := range r.Quotes {
					errs = append(errs, remarkQuotes.write(RemarkQuoteRow{Story: s.ID, Remark: i, Article: q.Article, Start: q.Start, End: q.End}))
				}
			}
			for _, u := range c.Unique {
				errs = append(errs, unique.write(UniqueRow{Story: s.ID, Article: u.Article, Start: u.Start, End: u.End, Score: u.Score, Outlets: nonNil(u.Outlets)}))
			}
			for i, cf := range c.Conflicts {
				for _, v := range cf.Values {
					errs = append(errs, conflicts.write(ConflictRow{Story: s.ID, N: i, About: cf.About, Article: v.Article, Value: v.Value, Start: v.Start, End: v.End, SentenceStart: v.SentenceStart, SentenceEnd: v.SentenceEnd}))
				}
			}
		}
		return firstErr(errs...)
	})
	if err != nil {
		return nil, fmt.Errorf("export stories: %w", err)
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	return w.counts, nil
}

func articleRow(a dossier.Article) ArticleRow {
	return ArticleRow{
		ID: a.ID, Source: a.Source, URL: a.URL, Outlet: a.Outlet, Title: a.Title,
		Authors: nonNil(a.Authors), Published: Time(a.Published), PublishedUTC: utc(a.Published),
		Language: a.Language, Text: a.Text, DuplicateOf: optional(a.DuplicateOf), Similarity: a.Similarity,
		Story: a.StoryID, Quotes: len(a.Quotes), Contacts: nonNil(a.Contacts), Captions: nonNil(a.Captions),
	}
}

func storyRow(s dossier.Story) StoryRow {
	return StoryRow{
		ID: s.ID, Title: s.Title, Articles: len(s.Articles), Outlets: nonNil(s.Outlets),
		FirstPublished: Time(s.FirstPublished), LastPublished: Time(s.LastPublished),
		FirstPublishedUTC: utc(s.FirstPublished), LastPublishedUTC: utc(s.LastPublished),
	}
}

func utc(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// tableSet holds the tables being written, so that they are renamed into
// place together, or all removed.
type tableSet struct {
	dir    string
	format Format
	counts TableCounts
	open   []tableFile
}

// tableFile is one table's temporary file and how to finish it.
type tableFile struct {
	tmp, path string
	close     func() error
}

func (w *tableSet) commit() error {
	for i, t := range w.open {
		if err := t.close(); err != nil {
			return fmt.Errorf("export %s: %w", filepath.Base(t.path), err)
		}
		w.open[i].close = nil
	}
	for _, t := range w.open {
		if err := os.Rename(t.tmp, t.path); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	w.open = nil
	return nil
}

// abort removes whatever commit did not rename.
func (w *tableSet) abort() {
	for _, t := range w.open {
		if t.close != nil {
			t.close()
		}
		os.Remove(t.tmp)
	}
}

// table writes rows of one kind into one file.
type table[T any] struct {
	name  string
	count *TableCounts
	put   func(T) error
}

func (t table[T]) write(row T) error {
	if err := t.put(row); err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	(*t.count)[t.name]++
	return nil
}

func openTable[T any](w *tableSet, name string) (table[T], error) {
	path := filepath.Join(w.dir, name+"."+string(w.format))
	f, err := os.CreateTemp(w.dir, name+".*.tmp")
	if err != nil {
		return table[T]{}, fmt.Errorf("export: %w", err)
	}
	// CreateTemp makes the file private; an export is for other tools to read.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return table[T]{}, fmt.Errorf("export: %w", err)
	}
	var put func(T) error
	var finish func() error
	if w.format == CSV {
		put, finish, err = csvTable[T](f)
	} else {
		put, finish = parquetTable[T](f)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return table[T]{}, fmt.Errorf("export %s: %w", name, err)
	}
	close := func() error {
		if err := finish(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	w.open = append(w.open, tableFile{tmp: f.Name(), path: path, close: close})
	w.counts[name] = 0
	return table[T]{name: name, count: &w.counts, put: put}, nil
}
