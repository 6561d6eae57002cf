package storetest

import (
	"context"
	"errors"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// testStoryVersion checks that every write changing what a story shows
// gives it a new version, and that others leave it, for a store that
// keeps versions.
func testStoryVersion(t *testing.T, st store.Store) {
	sv, ok := st.(store.StoryVersioner)
	if !ok {
		t.Skip("the store keeps no story versions")
	}
	ctx := context.Background()
	putSearchFixtures(t, st)
	seen := map[int64]string{} // every version st-bridge had, by the step
	version := func(id string) (int64, bool) {
		t.Helper()
		v, found, err := sv.StoryVersion(ctx, id)
		if err != nil {
			t.Fatalf("StoryVersion(%s): %v", id, err)
		}
		return v, found
	}
	step := func(what string, changes bool, write func() error) {
		t.Helper()
		before, _ := version("st-bridge")
		other, _ := version("st-fair")
		if err := write(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		after, found := version("st-bridge")
		if !found {
			t.Fatalf("%s: st-bridge not found", what)
		}
		if changes {
			if after == before {
				t.Errorf("%s: version stayed %d", what, after)
			}
			if prev, ok := seen[after]; ok {
				t.Errorf("%s: version %d again, as after %s", what, after, prev)
			}
		} else if after != before {
			t.Errorf("%s: version %d -> %d, want it kept", what, before, after)
		}
		seen[after] = what
		if o, _ := version("st-fair"); o != other {
			t.Errorf("%s: st-fair's version %d -> %d, want it kept", what, other, o)
		}
	}
	first, found := version("st-bridge")
	if !found {
		t.Fatal("st-bridge not found")
	}
	seen[first] = "the fixtures"
	if _, found := version("st-none"); found {
		t.Error("a story never stored has a version")
	}

	step("an article added", true, func() error {
		return st.Put(ctx, searchArticle("v1", "st-bridge", "Hill Post", "en", "", "Ferry fares rise", "Ferry fares will rise by a tenth."), store.State{})
	})
	step("an article replaced", true, func() error {
		return st.Put(ctx, searchArticle("v1", "st-bridge", "Hill Post", "en", "", "Ferry fares rise", "Ferry fares will rise by a fifth."), store.State{})
	})
	step("a comparison set", true, func() error {
		return st.SetComparison(ctx, "st-bridge", dossier.Comparison{Remarks: []dossier.Remark{{Speaker: "Petra Lindqvist", Text: "The cables are worn"}}})
	})
	step("a speaker renamed", true, func() error {
		return st.RenameSpeakers(ctx, "st-bridge", map[string]string{"Petra Lindqvist": "P. Lindqvist"})
	})
	step("an article moved out", true, func() error {
		return st.Put(ctx, searchArticle("v1", "st-ferry", "Hill Post", "en", "", "Ferry fares rise", "Ferry fares will rise by a fifth."), store.State{})
	})
	step("an article removed", true, func() error { return st.Remove(ctx, "s2", "test") })
	step("a write to another story", false, func() error {
		return st.Put(ctx, searchArticle("v2", "st-ferry", "Hill Post", "en", "", "Ferry crew hired", "Four more crew were hired."), store.State{})
	})
	step("a batch rolled back", false, func() error {
		err := st.Batch(ctx, func(ctx context.Context) error {
			if err := st.Put(ctx, searchArticle("v3", "st-bridge", "Hill Post", "en", "", "Toll waived", "The toll is waived."), store.State{}); err != nil {
				return err
			}
			return errRollBack
		})
		if !errors.Is(err, errRollBack) {
			return err
		}
		return nil
	})

	// Dropped and made again under its ID, a story has a new version.
	before, _ := version("st-fair")
	if err := st.Remove(ctx, "s4", "test"); err != nil {
		t.Fatal(err)
	}
	if _, found := version("st-fair"); found {
		t.Error("st-fair, left empty, still has a version")
	}
	if err := st.Put(ctx, searchArticle("s4", "st-fair", "Valley Herald", "fr", "", "La foire ouvre", "La foire ouvre samedi."), store.State{}); err != nil {
		t.Fatal(err)
	}
	if after, found := version("st-fair"); !found || after == before {
		t.Errorf("st-fair made again: version %d (found %v), the dropped one had %d", after, found, before)
	}
}

var errRollBack = errors.New("roll back")
