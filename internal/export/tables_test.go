package export

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// fixedStore serves a fixed archive through the two reads an export makes.
type fixedStore struct {
	store.Store
	articles []dossier.Article
	stories  []dossier.Story
	fail     error
}

func (s fixedStore) Articles(_ context.Context, fn func(dossier.Article) error) error {
	for _, a := range s.articles {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (s fixedStore) EachStory(_ context.Context, fn func(dossier.Story) error) error {
	for _, st := range s.stories {
		if err := fn(st); err != nil {
			return err
		}
	}
	return s.fail
}

func tablesFixture() fixedStore {
	lagos := time.FixedZone("", 3600)
	return fixedStore{
		articles: []dossier.Article{
			{
				ID: "a1", Source: "in/harbour.html", URL: "https://tidewater.example/harbour", Outlet: "Tidewater Courier",
				Title: `Harbour "reopens"`, Authors: []string{"Ada Obi", "Ben Ross"}, Published: time.Date(2025, 4, 2, 9, 30, 0, 0, lagos),
				Language: "en", Text: "The harbour reopened.\n\n\"We are ready,\" the master said.", StoryID: "s1",
				Quotes:   []dossier.Quote{{Text: "We are ready,", Speaker: "Ines Duarte", Start: 23, End: 36, Cue: "said", Role: "harbour master"}},
				Captions: []string{"Cranes at dawn."},
			},
			{ID: "a2", Source: "in/copy.txt", Text: "The harbour reopened.", DuplicateOf: "a1", Similarity: 0.93, StoryID: "s1"},
		},
		stories: []dossier.Story{{
			ID: "s1", Title: "Harbour reopens", Articles: []string{"a1", "a2"}, Outlets: []string{"Tidewater Courier"},
			FirstPublished: time.Date(2025, 4, 2, 9, 30, 0, 0, lagos), LastPublished: time.Date(2025, 4, 2, 9, 30, 0, 0, lagos),
			Speakers: []dossier.SpeakerCount{{Name: "Ines Duarte", Quotes: 1}},
			Comparison: &dossier.Comparison{
				Remarks:   []dossier.Remark{{Speaker: "Ines Duarte", Text: "We are ready", Outlets: []string{"Tidewater Courier"}, Quotes: []dossier.QuoteRef{{Article: "a1", Start: 23, End: 36}}}},
				Unique:    []dossier.Unique{{Article: "a1", Start: 0, End: 21, Score: 0.5, Outlets: []string{"Tidewater Courier"}}},
				Conflicts: []dossier.Conflict{{About: "ships waiting", Values: []dossier.ConflictValue{{Article: "a1", Value: "12"}, {Article: "a2", Value: "14"}}}},
			},
		}},
	}
}

func TestWriteTablesCSV(t *testing.T) {
	dir := t.TempDir()
	counts, err := WriteTables(context.Background(), tablesFixture(), dir, CSV)
	if err != nil {
		t.Fatal(err)
	}
	want := TableCounts{"articles": 2, "quotes": 1, "stories": 1, "speakers": 1, "remarks": 1, "remark_quotes": 1, "unique": 1, "conflicts": 2}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	articles := readCSV(t, filepath.Join(dir, "articles.csv"))
	header := articles[0]
	col := func(row int, name string) string {
		for i, h := range header {
			if h == name {
				return articles[row][i]
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return ""
	}
	cells := []struct {
		row          int
		column, want string
	}{
		{1, "id", "a1"},
		{1, "title", `Harbour "reopens"`},
		{1, "authors", "Ada Obi; Ben Ross"},
		{1, "published", "2025-04-02T09:30:00+01:00"},
		{1, "published_utc", "2025-04-02T08:30:00Z"},
		{1, "text", "The harbour reopened.\n\n\"We are ready,\" the master said."},
		{1, "duplicate_of", ""},
		{1, "quotes", "1"},
		{2, "published", ""},
		{2, "duplicate_of", "a1"},
		{2, "similarity", "0.93"},
		{2, "authors", ""},
	}
	for _, c := range cells {
		if got := col(c.row, c.column); got != c.want {
			t.Errorf("articles row %d %s = %q, want %q", c.row, c.column, got, c.want)
		}
	}
	conflicts := readCSV(t, filepath.Join(dir, "conflicts.csv"))
	if len(conflicts) != 3 || conflicts[2][4] != "14" || conflicts[0][0] != "story" {
		t.Errorf("conflicts.csv = %q", conflicts)
	}
	assertOnlyTables(t, dir, "csv")
}

func TestWriteTablesParquetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fx := tablesFixture()
	if _, err := WriteTables(context.Background(), fx, dir, Parquet); err != nil {
		t.Fatal(err)
	}
	got, err := parquet.ReadFile[ArticleRow](filepath.Join(dir, "articles.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(fx.articles) {
		t.Fatalf("%d article rows, want %d", len(got), len(fx.articles))
	}
	for i, a := range fx.articles {
		want := articleRow(a)
		// Parquet keeps instants to the millisecond, in UTC.
		if want.PublishedUTC != nil {
			if got[i].PublishedUTC == nil || !got[i].PublishedUTC.Equal(*want.PublishedUTC) {
				t.Errorf("row %d published_utc %v, want %v", i, got[i].PublishedUTC, want.PublishedUTC)
			}
		} else if got[i].PublishedUTC != nil {
			t.Errorf("row %d published_utc %v, want null", i, got[i].PublishedUTC)
		}
		got[i].PublishedUTC, want.PublishedUTC = nil, nil
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want)
		}
	}
	remarks, err := parquet.ReadFile[RemarkRow](filepath.Join(dir, "remarks.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(remarks) != 1 || *remarks[0].Speaker != "Ines Duarte" || !reflect.DeepEqual(remarks[0].Outlets, []string{"Tidewater Courier"}) {
		t.Errorf("remarks = %+v", remarks)
	}
	assertOnlyTables(t, dir, "parquet")
}

// A read that fails half way leaves no table behind, not even a complete one.
func TestWriteTablesFailureLeavesNothing(t *testing.T) {
	for _, f := range []Format{CSV, Parquet} {
		dir := t.TempDir()
		fx := tablesFixture()
		fx.fail = errors.New("disk gone")
		if _, err := WriteTables(context.Background(), fx, dir, f); err == nil {
			t.Fatalf("%s: no error", f)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%s: left %v", f, left)
		}
	}
	if _, err := WriteTables(context.Background(), tablesFixture(), t.TempDir(), "xlsx"); err == nil {
		t.Error("an unknown format must fail")
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func assertOnlyTables(t *testing.T, dir, ext string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	var want []string
	for _, n := range Tables {
		want = append(want, n+"."+ext)
	}
	if !sameSet(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
