package evaltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/export"
)

// exported is an export read back: its articles by ID and by example
// source, its stories by ID, and each expected story's ID by name.
type exported struct {
	articles map[string]export.Article
	bySource map[string]export.Article
	source   map[string]string // article ID → example source
	stories  map[string]export.Story
	named    map[string]string // expected story name → story ID
	copies   map[string][]string
}

func readExport(t *testing.T, dir, root string, want expected) exported {
	t.Helper()
	e := exported{
		articles: map[string]export.Article{}, bySource: map[string]export.Article{},
		source: map[string]string{}, stories: map[string]export.Story{},
		named: map[string]string{}, copies: map[string][]string{},
	}
	readJSONL(t, filepath.Join(dir, "articles.jsonl"), func(a export.Article) {
		rel, err := filepath.Rel(root, a.Source)
		if err != nil {
			t.Fatal(err)
		}
		e.articles[a.ID] = a
		e.bySource[filepath.ToSlash(rel)] = a
		e.source[a.ID] = filepath.ToSlash(rel)
		if a.DuplicateOf != nil {
			e.copies[*a.DuplicateOf] = append(e.copies[*a.DuplicateOf], a.ID)
		}
	})
	readJSONL(t, filepath.Join(dir, "stories.jsonl"), func(s export.Story) { e.stories[s.ID] = s })
	for _, s := range want.Stories {
		e.named[s.Name] = e.article(t, s.Members[0]).Story
	}
	return e
}

func readJSONL[T any](t *testing.T, path string, each func(T)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		each(v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func (e exported) article(t *testing.T, src string) export.Article {
	t.Helper()
	a, ok := e.bySource[src]
	if !ok {
		t.Fatalf("no article from %s", src)
	}
	return a
}

func (e exported) story(t *testing.T, name string) export.Story {
	t.Helper()
	s, ok := e.stories[e.named[name]]
	if !ok {
		t.Fatalf("no story %q in EXPECTED.json's stories", name)
	}
	return s
}

// span is a byte range [start, end) of one article's text.
type span struct {
	article    string
	start, end int
}

func (a span) overlaps(b span) bool {
	return a.article == b.article && a.start < b.end && b.start < a.end
}

// at returns every place src's text holds words. An expectation whose words
// are not in the text could never fail, so that stops the test.
func (e exported) at(t *testing.T, src, words string) []span {
	t.Helper()
	a := e.article(t, src)
	var out []span
	for i := 0; ; {
		j := strings.Index(a.Text[i:], words)
		if j < 0 {
			break
		}
		out = append(out, span{a.ID, i + j, i + j + len(words)})
		i += j + 1
	}
	if len(out) == 0 {
		t.Fatalf("EXPECTED.json: %s has no %q", src, words)
	}
	return out
}

// hits reports whether s overlaps one of places.
func hits(s span, places []span) bool {
	return slices.ContainsFunc(places, s.overlaps)
}

// describe shows a span as its source and words, for failure messages.
func (e exported) describe(s span) string {
	a := e.articles[s.article]
	if s.start < 0 || s.end > len(a.Text) || s.start > s.end {
		return fmt.Sprintf("%s [%d,%d) out of range", e.source[s.article], s.start, s.end)
	}
	return fmt.Sprintf("%s %q", e.source[s.article], a.Text[s.start:s.end])
}

func remarkSpans(r export.Remark) []span {
	var out []span
	for _, q := range r.Quotes {
		out = append(out, span{q.Article, q.Start, q.End})
	}
	return out
}

// holds reports whether one of the remark's quotes is at places.
func holds(r export.Remark, places []span) bool {
	return slices.ContainsFunc(remarkSpans(r), func(s span) bool { return hits(s, places) })
}

func (e exported) describeRemark(r export.Remark) string {
	var parts []string
	for _, s := range remarkSpans(r) {
		parts = append(parts, e.describe(s))
	}
	return fmt.Sprintf("remark of %s %q: %s", deref(r.Speaker), r.Outlets, strings.Join(parts, "; "))
}

func (e exported) describeConflict(c export.Conflict) string {
	var parts []string
	for _, v := range c.Values {
		parts = append(parts, e.describe(span{v.Article, v.Start, v.End}))
	}
	return fmt.Sprintf("conflict %q: %s", c.About, strings.Join(parts, " vs "))
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// TestExamplesCompare checks the comparison of every example story end to
// end, through the export: remarks, what only one report carries, where
// reports disagree, and one name per speaker, by what examples/EXPECTED.json
// says must and must not come out.
func TestExamplesCompare(t *testing.T) {
	want, root := readExpected(t)
	_, dir, _ := run(t, root)
	e := readExport(t, dir, root, want)

	// The story an expectation names must be the story its sources are in,
	// or a check could pass on the wrong story.
	inStory := func(t *testing.T, name, src string) {
		t.Helper()
		if got := e.article(t, src).Story; got != e.named[name] {
			t.Fatalf("EXPECTED.json: %s is in story %s, not %q (%s)", src, got, name, e.named[name])
		}
	}

	t.Run("well formed", func(t *testing.T) {
		for _, sid := range slices.Sorted(maps.Keys(e.stories)) {
			s := e.stories[sid]
			original := func(what, id string) bool {
				a, ok := e.articles[id]
				switch {
				case !ok:
					t.Errorf("story %s: %s names article %s, which is not exported", s.ID, what, id)
				case a.Story != s.ID:
					t.Errorf("story %s: %s names %s, of story %s", s.ID, what, e.source[id], a.Story)
				case a.DuplicateOf != nil:
					t.Errorf("story %s: %s names the copy %s: copies are not compared", s.ID, what, e.source[id])
				default:
					return true
				}
				return false
			}
			inText := func(what string, sp span) bool {
				if a := e.articles[sp.article]; sp.start < 0 || sp.start >= sp.end || sp.end > len(a.Text) {
					t.Errorf("story %s: %s [%d,%d) outside %s's %d bytes", s.ID, what, sp.start, sp.end, e.source[sp.article], len(a.Text))
					return false
				}
				return true
			}
			// carriers are the outlets that carry what an original says.
			carriers := func(id string) []string {
				out := []string{e.articles[id].Outlet}
				for _, c := range e.copies[id] {
					out = append(out, e.articles[c].Outlet)
				}
				return out
			}
			inRemarks := map[span]int{}
			for _, r := range s.Remarks {
				if r.Text == "" || len(r.Quotes) == 0 {
					t.Errorf("story %s: empty remark %+v", s.ID, r)
				}
				var carried []string
				for _, sp := range remarkSpans(r) {
					if !original("a remark", sp.article) || !inText("a remark's quote", sp) {
						continue
					}
					inRemarks[sp]++
					a := e.articles[sp.article]
					i := slices.IndexFunc(a.Quotes, func(q export.Quote) bool { return q.Start == sp.start && q.End == sp.end })
					if i < 0 {
						t.Errorf("story %s: %s is none of the article's quotes", s.ID, e.describe(sp))
						continue
					}
					if got := a.Quotes[i].Speaker; deref(got) != deref(r.Speaker) {
						t.Errorf("story %s: %s, said by %s, is in a remark of %s", s.ID, e.describe(sp), deref(got), deref(r.Speaker))
					}
					carried = append(carried, carriers(sp.article)...)
				}
				if !sameSet(r.Outlets, carried) {
					t.Errorf("story %s: %s: outlets %q, want those carrying its quotes, %q", s.ID, e.describeRemark(r), r.Outlets, slices.Compact(slices.Sorted(slices.Values(carried))))
				}
			}
			// Every quote of a report is in one remark: a remark one outlet
			// carried is a remark too.
			for _, id := range s.Articles {
				a := e.articles[id]
				if a.DuplicateOf != nil {
					continue
				}
				if len(s.Remarks) == 0 && len(a.Quotes) > 0 {
					t.Errorf("story %s: no remarks, though %s has %d quotes", s.ID, e.source[id], len(a.Quotes))
					continue
				}
				for _, q := range a.Quotes {
					if n := inRemarks[span{id, q.Start, q.End}]; n != 1 {
						t.Errorf("story %s: quote %s is in %d remarks, want 1", s.ID, e.describe(span{id, q.Start, q.End}), n)
					}
				}
			}
			last := map[string]float64{}
			for _, u := range s.Unique {
				sp := span{u.Article, u.Start, u.End}
				if !original("a unique sentence", u.Article) || !inText("a unique sentence", sp) {
					continue
				}
				if u.Score < 0 || u.Score > 1 {
					t.Errorf("story %s: unique %s: score %v outside 0..1", s.ID, e.describe(sp), u.Score)
				}
				if prev, ok := last[u.Article]; ok && u.Score > prev {
					t.Errorf("story %s: unique %s (score %v) after one scored %v: not best first", s.ID, e.describe(sp), u.Score, prev)
				}
				last[u.Article] = u.Score
				if !sameSet(u.Outlets, carriers(u.Article)) {
					t.Errorf("story %s: unique %s: outlets %q, want %q", s.ID, e.describe(sp), u.Outlets, carriers(u.Article))
				}
			}
			for _, c := range s.Conflicts {
				reports := map[string]bool{}
				for _, v := range c.Values {
					vs, ss := span{v.Article, v.Start, v.End}, span{v.Article, v.SentenceStart, v.SentenceEnd}
					if !original("a conflict", v.Article) || !inText("a conflict's value", vs) || !inText("a conflict's sentence", ss) {
						continue
					}
					reports[v.Article] = true
					if got := e.articles[v.Article].Text[v.Start:v.End]; got != v.Value {
						t.Errorf("story %s: %s: value %q, its offsets hold %q", s.ID, e.describeConflict(c), v.Value, got)
					}
					if v.SentenceStart > v.Start || v.End > v.SentenceEnd {
						t.Errorf("story %s: %s: value %q outside its sentence", s.ID, e.describeConflict(c), v.Value)
					}
				}
				if c.About == "" || len(reports) < 2 {
					t.Errorf("story %s: %s: want an about label and values from two reports", s.ID, e.describeConflict(c))
				}
			}
		}
	})

	t.Run("one name per speaker", func(t *testing.T) {
		for _, sp := range want.Speakers {
			var got []string
			for _, c := range e.story(t, sp.Story).Speakers {
				got = append(got, c.Name)
			}
			if !sameSet(got, sp.Names) {
				t.Errorf("%s: speakers %q, want %q", sp.Story, got, sp.Names)
			}
		}
		for _, q := range want.StorySpeakers {
			a, places := e.article(t, q.Source), e.at(t, q.Source, q.Contains)
			found := false
			for _, got := range a.Quotes {
				if hits(span{a.ID, got.Start, got.End}, places) {
					found = true
					if deref(got.Speaker) != q.Speaker {
						t.Errorf("%s: quote %q: speaker %s, want %s", q.Source, got.Text, deref(got.Speaker), q.Speaker)
					}
				}
			}
			if !found {
				t.Errorf("%s: no quote with %q", q.Source, q.Contains)
			}
		}
	})

	t.Run("remarks", func(t *testing.T) {
		for _, w := range want.Remarks {
			s := e.story(t, w.Story)
			var places [][]span
			for _, q := range w.Quotes {
				inStory(t, w.Story, q.Source)
				places = append(places, e.at(t, q.Source, q.Contains))
			}
			i := slices.IndexFunc(s.Remarks, func(r export.Remark) bool {
				return !slices.ContainsFunc(places, func(p []span) bool { return !holds(r, p) })
			})
			if i < 0 {
				var got []string
				for _, r := range s.Remarks {
					if slices.ContainsFunc(places, func(p []span) bool { return holds(r, p) }) {
						got = append(got, e.describeRemark(r))
					}
				}
				if len(got) == 0 {
					got = []string{"none"}
				}
				t.Errorf("%s: no remark holds all of %+v; those holding some:\n\t%s", w.Story, w.Quotes, strings.Join(got, "\n\t"))
				continue
			}
			r := s.Remarks[i]
			if deref(r.Speaker) != w.Speaker {
				t.Errorf("%s: %s: speaker %s, want %s", w.Story, e.describeRemark(r), deref(r.Speaker), w.Speaker)
			}
			if !sameSet(r.Outlets, w.Outlets) {
				t.Errorf("%s: %s: outlets %q, want %q", w.Story, e.describeRemark(r), r.Outlets, w.Outlets)
			}
			if w.Fullest != "" && !strings.Contains(r.Text, w.Fullest) {
				t.Errorf("%s: %s: text %q, want the fullest wording, with %q", w.Story, e.describeRemark(r), r.Text, w.Fullest)
			}
		}
	})

	t.Run("different remarks apart", func(t *testing.T) {
		for _, w := range want.NotMerged {
			s := e.story(t, w.Story)
			a, b := w.Quotes[0], w.Quotes[1]
			inStory(t, w.Story, a.Source)
			inStory(t, w.Story, b.Source)
			pa, pb := e.at(t, a.Source, a.Contains), e.at(t, b.Source, b.Contains)
			for _, r := range s.Remarks {
				if holds(r, pa) && holds(r, pb) {
					t.Errorf("%s: %q (%s) and %q (%s) are different remarks, merged: %s", w.Story, a.Contains, a.Source, b.Contains, b.Source, e.describeRemark(r))
				}
			}
		}
	})

	uniques := func(t *testing.T, src string) []export.Unique {
		t.Helper()
		a := e.article(t, src)
		var out []export.Unique
		for _, u := range e.stories[a.Story].Unique {
			if u.Article == a.ID {
				out = append(out, u)
			}
		}
		return out
	}
	t.Run("only in one outlet", func(t *testing.T) {
		for _, w := range want.Unique {
			places := e.at(t, w.Source, w.Contains)
			us := uniques(t, w.Source)
			i := slices.IndexFunc(us, func(u export.Unique) bool { return hits(span{u.Article, u.Start, u.End}, places) })
			if i < 0 {
				t.Errorf("%s: %q is not listed as only in this report (%d unique sentences listed)", w.Source, w.Contains, len(us))
				continue
			}
			if !sameSet(us[i].Outlets, w.Outlets) {
				t.Errorf("%s: unique %q: outlets %q, want %q", w.Source, w.Contains, us[i].Outlets, w.Outlets)
			}
		}
	})
	t.Run("shared facts not unique", func(t *testing.T) {
		for _, w := range want.NotUnique {
			places := e.at(t, w.Source, w.Contains)
			for _, u := range uniques(t, w.Source) {
				if sp := (span{u.Article, u.Start, u.End}); hits(sp, places) {
					t.Errorf("%s: %s is listed as unique; another report carries it", w.Source, e.describe(sp))
				}
			}
		}
	})

	// matches reports whether a found value is an expected one.
	matches := func(t *testing.T, v export.ConflictValue, w value) bool {
		t.Helper()
		a := e.article(t, w.Source)
		return v.Article == a.ID && hits(span{v.Article, v.Start, v.End}, e.at(t, w.Source, w.Value))
	}
	holdsValue := func(t *testing.T, c export.Conflict, w value) bool {
		t.Helper()
		return slices.ContainsFunc(c.Values, func(v export.ConflictValue) bool { return matches(t, v, w) })
	}
	t.Run("conflicts", func(t *testing.T) {
		for _, w := range want.Conflicts {
			for _, v := range w.Values {
				inStory(t, w.Story, v.Source)
			}
			s := e.story(t, w.Story)
			found := slices.ContainsFunc(s.Conflicts, func(c export.Conflict) bool {
				return !slices.ContainsFunc(w.Values, func(v value) bool { return !holdsValue(t, c, v) })
			})
			switch {
			case !found && !w.Missed:
				t.Errorf("%s: no conflict on %s with %+v (%d conflicts found)", w.Story, w.About, w.Values, len(s.Conflicts))
			case found && w.Missed:
				t.Errorf("%s: the conflict on %s is found now: drop its \"missed\" mark in EXPECTED.json", w.Story, w.About)
			}
		}
	})
	// EXPECTED.json lists every conflict of the corpus: a found conflict
	// whose values are not all those of one listed conflict is false.
	t.Run("no other conflicts", func(t *testing.T) {
		for _, sid := range slices.Sorted(maps.Keys(e.stories)) {
			s := e.stories[sid]
			for _, c := range s.Conflicts {
				known := slices.ContainsFunc(want.Conflicts, func(w conflictWant) bool {
					return e.named[w.Story] == s.ID && !slices.ContainsFunc(c.Values, func(v export.ConflictValue) bool {
						return !slices.ContainsFunc(w.Values, func(wv value) bool { return matches(t, v, wv) })
					})
				})
				if !known {
					t.Errorf("story %s: %s is no conflict EXPECTED.json lists", s.ID, e.describeConflict(c))
				}
			}
		}
	})
	t.Run("near misses not conflicts", func(t *testing.T) {
		for _, w := range want.NotConflicts {
			for _, v := range w.Values {
				inStory(t, w.Story, v.Source)
			}
			for _, c := range e.story(t, w.Story).Conflicts {
				if !slices.ContainsFunc(w.Values, func(v value) bool { return !holdsValue(t, c, v) }) {
					t.Errorf("%s: %+v do not disagree, but: %s", w.Story, w.Values, e.describeConflict(c))
				}
			}
		}
	})
}
