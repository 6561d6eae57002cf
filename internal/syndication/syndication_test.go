package syndication

import (
	"reflect"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
)

func art(id, outlet, copyOf, published string) dossier.Article {
	a := dossier.Article{ID: id, Outlet: outlet, DuplicateOf: copyOf}
	if published != "" {
		t, err := time.Parse(time.RFC3339, published)
		if err != nil {
			panic(err)
		}
		a.Published = t
	}
	return a
}

func TestRuns(t *testing.T) {
	story := []dossier.Article{
		art("own", "Vale Courier", "", ""),
		art("c2", "Glen Post", "wire", ""),
		art("wire", "Tarn Wire", "", ""),
		art("c1", "Moss Herald", "wire", ""),
		art("c3", "Moss Herald", "own", ""),
		art("lost", "Fen Daily", "elsewhere", ""),
	}
	got := Runs(story)
	var summary [][]string
	for _, r := range got {
		row := []string{r.Original.ID}
		for _, c := range r.Copies {
			row = append(row, c.ID)
		}
		summary = append(summary, row)
	}
	want := [][]string{{"own", "c3"}, {"wire", "c2", "c1"}}
	if !reflect.DeepEqual(summary, want) {
		t.Errorf("Runs = %v, want %v", summary, want)
	}
	if Runs(story[:1]) != nil {
		t.Error("a story without copies has runs")
	}
}

func TestTally(t *testing.T) {
	tests := []struct {
		name    string
		stories [][]dossier.Article
		want    []Outlet
	}{
		{
			name: "dated: the earliest breaks it, copies count both ways",
			stories: [][]dossier.Article{{
				art("a", "Glen Post", "", "2026-03-02T10:00:00Z"),
				art("b", "Tarn Wire", "", "2026-03-02T08:00:00+01:00"), // 07:00 UTC
				art("c", "Moss Herald", "b", "2026-03-02T09:00:00Z"),
				art("d", "Tarn Wire", "b", "2026-03-02T09:30:00Z"), // its own copy
			}},
			want: []Outlet{
				{Name: "Tarn Wire", Articles: 2, Stories: 1, Shared: 1, First: 1, RerunBy: 1},
				{Name: "Glen Post", Articles: 1, Stories: 1, Shared: 1},
				{Name: "Moss Herald", Articles: 1, Stories: 1, Shared: 1, Reran: 1},
			},
		},
		{
			name: "undated somewhere: ingest order decides; one outlet alone is not shared",
			stories: [][]dossier.Article{
				{art("a", "Glen Post", "", ""), art("b", "Tarn Wire", "", "2026-03-01T00:00:00Z")},
				{art("c", "Glen Post", "", "")},
			},
			want: []Outlet{
				{Name: "Glen Post", Articles: 2, Stories: 2, Shared: 1, First: 1},
				{Name: "Tarn Wire", Articles: 1, Stories: 1, Shared: 1},
			},
		},
		{
			name:    "no outlet names: nothing to count",
			stories: [][]dossier.Article{{art("a", "", "", ""), art("b", "", "a", "")}},
			want:    []Outlet{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally := NewTally()
			for _, s := range tt.stories {
				tally.Add(s)
			}
			if got := tally.Outlets(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Outlets =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}
