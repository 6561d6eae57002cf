package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// testComparison: a story's comparison is stored whole, read back with the
// story and in the list, replaced when set again, and refused for a story
// that does not exist.
func testComparison(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	story := fx["tide-1"].Article.StoryID
	if s, err := st.Story(ctx, story); err != nil || s.Comparison != nil {
		t.Fatalf("before any comparison: %v, %+v", err, s.Comparison)
	}
	c := dossier.Comparison{
		Remarks: []dossier.Remark{{Speaker: "Mara Quill", Text: "We have waited long enough", Outlets: []string{"Tide Herald", "Ferry Wire"},
			Quotes: []dossier.QuoteRef{{Article: "tide-1", Start: 73, End: 118}}}},
		Unique:    []dossier.Unique{{Article: "tide-3", Start: 0, End: 40, Score: 0.75, Outlets: []string{"Tide Herald"}}},
		Conflicts: []dossier.Conflict{{About: "sailings cancelled", Values: []dossier.ConflictValue{{Article: "tide-1", Value: "12", Start: 5, End: 7, SentenceStart: 0, SentenceEnd: 30}}}},
	}
	if err := st.SetComparison(ctx, story, c); err != nil {
		t.Fatal(err)
	}
	got, err := st.Story(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	if got.Comparison == nil || !reflect.DeepEqual(*got.Comparison, c) {
		t.Errorf("comparison read back as %+v, want %+v", got.Comparison, c)
	}
	all, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.ID == story && (s.Comparison == nil || !reflect.DeepEqual(*s.Comparison, c)) {
			t.Errorf("Stories: comparison %+v, want %+v", s.Comparison, c)
		}
		if s.ID != story && s.Comparison != nil {
			t.Errorf("story %s has a comparison it was never given", s.ID)
		}
	}
	c.Conflicts = nil
	if err := st.SetComparison(ctx, story, c); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Story(ctx, story); got.Comparison == nil || len(got.Comparison.Conflicts) != 0 {
		t.Errorf("a comparison set again was not replaced: %+v", got.Comparison)
	}
	if err := st.SetComparison(ctx, "no-such-story", c); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetComparison on an absent story: %v, want ErrNotFound", err)
	}
}

// testUncompared: every write leaves its story uncompared until a
// comparison is set, and a removal leaves the story it left uncompared.
func testUncompared(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	uncompared := func() []string {
		t.Helper()
		ids, err := st.Uncompared(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got, want := uncompared(), []string{"s-tide", "s-dam", "s-bare"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after the first writes: uncompared %q, want %q (oldest first)", got, want)
	}
	for _, id := range []string{"s-tide", "s-dam", "s-bare"} {
		if err := st.SetComparison(ctx, id, dossier.Comparison{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := uncompared(); len(got) != 0 {
		t.Fatalf("after comparing all: uncompared %q", got)
	}
	a := fx["tide-3"]
	a.Article.Title += " (updated)"
	if err := st.Put(ctx, &a.Article, a.state()); err != nil {
		t.Fatal(err)
	}
	if got, want := uncompared(), []string{"s-tide"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a Put into s-tide: uncompared %q, want %q", got, want)
	}
	if err := st.Remove(ctx, "dam-1", "test"); err != nil {
		t.Fatal(err)
	}
	// dam-1 was s-dam's only article: the story is gone, not uncompared.
	if got, want := uncompared(), []string{"s-tide"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after removing a story's last article: uncompared %q, want %q", got, want)
	}
}

// testRenameSpeakers: a story's quotes take the names given, other
// stories' quotes keep theirs.
func testRenameSpeakers(t *testing.T, st store.Store) {
	ctx := context.Background()
	fx := loadFixtures(t)
	putAll(t, st, fx, putOrder...)
	if err := st.RenameSpeakers(ctx, "s-tide", map[string]string{"Mara Quill": "Mara Quill-Ode", "Otto Fenn": "Otto Fenn"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"tide-1", "tide-3"} {
		a, err := st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range a.Quotes {
			if q.Speaker == "Mara Quill" {
				t.Errorf("%s: a quote kept the old name", id)
			}
		}
	}
	s, err := st.Story(ctx, "s-tide")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, sp := range s.Speakers {
		names[sp.Name] = true
	}
	if !names["Mara Quill-Ode"] || names["Mara Quill"] {
		t.Errorf("story speakers after the rename: %+v", s.Speakers)
	}
	a, err := st.Article(ctx, "tide-1")
	if err != nil {
		t.Fatal(err)
	}
	if q := a.Quotes[0]; q.Speaker != "Mara Quill-Ode" || q.Given != "Mara Quill" {
		t.Errorf("renamed quote: speaker %q given %q, want the new name and the article's own", q.Speaker, q.Given)
	}
	// Renaming with other names starts from the article's own names again.
	if err := st.RenameSpeakers(ctx, "s-tide", nil); err != nil {
		t.Fatal(err)
	}
	if a, _ := st.Article(ctx, "tide-1"); a.Quotes[0].Speaker != "Mara Quill" || a.Quotes[0].Given != "" {
		t.Errorf("after renaming with no names: speaker %q given %q, want the article's own name back", a.Quotes[0].Speaker, a.Quotes[0].Given)
	}
	if err := st.RenameSpeakers(ctx, "s-dam", nil); err != nil {
		t.Errorf("renaming nothing: %v", err)
	}
}
