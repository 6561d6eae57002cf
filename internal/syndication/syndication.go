// Package syndication reads who originated what from the copy links: which
// outlet first ran a wire story and who re-ran it, and per outlet how often
// it broke a story first and how often it re-ran others' copy.
//
// It works on plain articles as any store gives them back, so that every
// backend and every view (CLI, web, API) tells the same.
package syndication

import (
	"cmp"
	"slices"

	dossier "github.com/dossiernews/dossier"
)

// Run is one original article with the copies of it that other outlets (or
// the same one) published.
type Run struct {
	Original dossier.Article
	Copies   []dossier.Article // in the order given
}

// Runs lists the originals of a story that were copied, each with its
// copies, in the order the originals are given. Articles are a story's, in
// ingest order; a copy whose original is not among them is left out.
func Runs(articles []dossier.Article) []Run {
	at := map[string]int{}
	var runs []Run
	for _, a := range articles {
		if a.DuplicateOf == "" {
			at[a.ID] = -1
		}
	}
	for _, a := range articles {
		i, ok := at[a.DuplicateOf]
		if a.DuplicateOf == "" || !ok {
			continue
		}
		if i < 0 {
			i = len(runs)
			at[a.DuplicateOf] = i
			runs = append(runs, Run{Original: originalOf(articles, a.DuplicateOf)})
		}
		runs[i].Copies = append(runs[i].Copies, a)
	}
	// In the order the originals came, not the order their first copy did.
	pos := map[string]int{}
	for i, a := range articles {
		pos[a.ID] = i
	}
	slices.SortStableFunc(runs, func(x, y Run) int { return pos[x.Original.ID] - pos[y.Original.ID] })
	return runs
}

func originalOf(articles []dossier.Article, id string) dossier.Article {
	for _, a := range articles {
		if a.ID == id {
			return a
		}
	}
	return dossier.Article{ID: id}
}

// Outlet is what one outlet did across the stories.
type Outlet struct {
	Name     string
	Articles int
	// Stories counts the stories it ran an article in; Shared those of them
	// more than one outlet covered, and First those of the shared ones in
	// which it published first.
	Stories, Shared, First int
	// Reran counts its articles that copy another outlet's; RerunBy counts
	// the copies other outlets made of its articles.
	Reran, RerunBy int
}

// Tally counts, per outlet, over the stories given one at a time with
// their articles in ingest order. Who published first is decided by the
// publication time where every contender has one, else by ingest order: an
// undated article cannot be said to be later than a dated one.
type Tally struct {
	outlets map[string]*Outlet
}

// NewTally returns an empty tally.
func NewTally() *Tally { return &Tally{outlets: map[string]*Outlet{}} }

// Add counts one story's articles.
func (t *Tally) Add(articles []dossier.Article) {
	outletOf := map[string]string{}
	seen := map[string]bool{}
	var names []string
	for _, a := range articles {
		outletOf[a.ID] = a.Outlet
		if a.Outlet == "" {
			continue
		}
		o := t.outlet(a.Outlet)
		o.Articles++
		if !seen[a.Outlet] {
			seen[a.Outlet] = true
			names = append(names, a.Outlet)
			o.Stories++
		}
	}
	for _, a := range articles {
		from, ok := outletOf[a.DuplicateOf]
		if a.DuplicateOf == "" || !ok || from == "" || from == a.Outlet {
			continue
		}
		if a.Outlet != "" {
			t.outlet(a.Outlet).Reran++
		}
		t.outlet(from).RerunBy++
	}
	if len(names) < 2 {
		return
	}
	for _, n := range names {
		t.outlet(n).Shared++
	}
	if first := firstOutlet(articles); first != "" {
		t.outlet(first).First++
	}
}

func (t *Tally) outlet(name string) *Outlet {
	o := t.outlets[name]
	if o == nil {
		o = &Outlet{Name: name}
		t.outlets[name] = o
	}
	return o
}

// firstOutlet is the outlet of the first article: the earliest published
// when all the outlets' articles are dated, else the first ingested.
func firstOutlet(articles []dossier.Article) string {
	var named []dossier.Article
	dated := true
	for _, a := range articles {
		if a.Outlet == "" {
			continue
		}
		named = append(named, a)
		dated = dated && !a.Published.IsZero()
	}
	if len(named) == 0 {
		return ""
	}
	if !dated {
		return named[0].Outlet
	}
	first := named[0]
	for _, a := range named[1:] {
		if a.Published.Before(first.Published) {
			first = a
		}
	}
	return first.Outlet
}

// Outlets returns the tally, the outlets that broke most stories first
// ahead, then by name.
func (t *Tally) Outlets() []Outlet {
	out := make([]Outlet, 0, len(t.outlets))
	for _, o := range t.outlets {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b Outlet) int {
		return cmp.Or(b.First-a.First, b.Articles-a.Articles, cmp.Compare(a.Name, b.Name))
	})
	return out
}
