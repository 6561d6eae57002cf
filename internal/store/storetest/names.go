package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/store"
)

// IDs in the form the ingester gives (a kind letter and 16 hex digits),
// chosen for their shared prefixes.
const (
	artA = "a3f09c1b27d4e8a60"
	artB = "a3f09c1b2ffe10001" // shares 9 characters with artA
	artC = "a7b2000000000c001"
	artD = "aab1200000000000f" // its hex digits start with the article letter
	stA  = "s3f09c1b27d4e8a60" // artA's digits: kinds must not mix
	stB  = "s51c0000000000002"
)

// putNamed stores a copy of fixture dam-1 as article id in story.
func putNamed(t *testing.T, st store.Store, fx map[string]fixture, id, story string) {
	t.Helper()
	f := fx["dam-1"]
	f.Article.ID, f.Article.StoryID, f.Article.Fingerprint = id, story, "fp-"+id
	f.SourceKey = ""
	a := f.Article
	if err := st.Put(context.Background(), &a, f.state()); err != nil {
		t.Fatalf("Put %s: %v", id, err)
	}
}

// resolveCase is one Resolve call and what must come of it: an ID, or an
// error wrapping err whose message names every ID in mention.
type resolveCase struct {
	kind    store.Kind
	ref     string
	want    string
	err     error
	mention []string
}

func checkResolve(t *testing.T, st store.Store, when string, cases []resolveCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := st.Resolve(context.Background(), tc.kind, tc.ref)
		switch {
		case tc.err == nil && (err != nil || got != tc.want):
			t.Errorf("%s: Resolve(%s, %q) = %q, %v; want %q", when, tc.kind, tc.ref, got, err, tc.want)
		case tc.err != nil && !errors.Is(err, tc.err):
			t.Errorf("%s: Resolve(%s, %q) = %q, %v; want an error wrapping %v", when, tc.kind, tc.ref, got, err, tc.err)
		case err != nil:
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%s: Resolve(%s, %q): error %q does not list %s", when, tc.kind, tc.ref, err, m)
				}
			}
		}
	}
}

func testResolve(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	putNamed(t, st, fx, artA, stA)
	putNamed(t, st, fx, artB, stA)
	putNamed(t, st, fx, artC, stB)
	putNamed(t, st, fx, artD, stB)
	art, story := store.KindArticle, store.KindStory
	checkResolve(t, st, "stored", []resolveCase{
		{kind: art, ref: artA, want: artA},
		{kind: art, ref: "a3f09c1b27", want: artA},
		{kind: art, ref: " a3f09c1b27\n", want: artA}, // as pasted
		{kind: art, ref: "A3F09C1B27", want: artA},
		{kind: art, ref: "3f09c1b27", want: artA}, // without the kind letter
		{kind: art, ref: "a3f09c1b2", err: store.ErrAmbiguous, mention: []string{artA, artB}},
		{kind: art, ref: "3f09", err: store.ErrAmbiguous, mention: []string{artA, artB}},
		{kind: art, ref: "a", err: store.ErrAmbiguous, mention: []string{artA, artB, artC, artD}},
		{kind: art, ref: "a7b", want: artC},
		{kind: art, ref: "7b2", want: artC},
		{kind: art, ref: "aab", want: artD},
		{kind: art, ref: "ab12", want: artD}, // "ab12" names nothing; as digits it is "aab12"
		{kind: art, ref: "", err: store.ErrNotFound},
		{kind: art, ref: "a0", err: store.ErrNotFound},
		{kind: art, ref: artA + "0", err: store.ErrNotFound},
		{kind: art, ref: "a3f0%", err: store.ErrNotFound}, // not a pattern
		{kind: art, ref: "a3f0_9", err: store.ErrNotFound},
		{kind: art, ref: stA, err: store.ErrNotFound},
		{kind: art, ref: "s3f0", err: store.ErrNotFound},
		{kind: story, ref: stA, want: stA},
		{kind: story, ref: "s3f", want: stA},
		{kind: story, ref: "3f", want: stA},
		{kind: story, ref: "5", want: stB},
		{kind: story, ref: "s", err: store.ErrAmbiguous, mention: []string{stA, stB}},
		{kind: story, ref: artA, err: store.ErrNotFound},
		{kind: story, ref: "a3f0", err: store.ErrNotFound},
	})
	// A story left empty no longer resolves.
	for _, id := range []string{artC, artD} {
		if err := st.Remove(context.Background(), id, "test"); err != nil {
			t.Fatal(err)
		}
	}
	checkResolve(t, st, "removed", []resolveCase{
		{kind: art, ref: "a7b", err: store.ErrNotFound},
		{kind: story, ref: "s5", err: store.ErrNotFound},
		{kind: story, ref: "s", want: stA},
	})
	if _, err := st.Resolve(context.Background(), store.Kind(7), artA); err == nil {
		t.Error("Resolve with an unknown kind succeeded")
	}
}

func testAlias(t *testing.T, st store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putNamed(t, st, fx, artA, stA)
	putNamed(t, st, fx, artB, stA)
	putNamed(t, st, fx, artC, stB)
	art, story := store.KindArticle, store.KindStory
	alias := func(kind store.Kind, old, id string) {
		t.Helper()
		if err := st.Alias(ctx, kind, old, id); err != nil {
			t.Fatalf("Alias(%s, %s, %s): %v", kind, old, id, err)
		}
	}
	const oldArt, oldStory = "a9e0000000000000d", "s-before-merge"
	alias(art, oldArt, artA)
	alias(story, oldStory, stA)
	alias(art, "tide-1", artC) // a name from an older scheme
	checkResolve(t, st, "aliased", []resolveCase{
		{kind: art, ref: oldArt, want: artA},
		{kind: art, ref: "a9e0", want: artA}, // a printed prefix of the old name
		{kind: art, ref: "9e00", want: artA}, // without the letter
		{kind: art, ref: "tide-1", want: artC},
		{kind: story, ref: oldStory, want: stA},
		{kind: story, ref: "s-before", want: stA},
		{kind: story, ref: oldArt, err: store.ErrNotFound}, // aliases keep their kind
		{kind: art, ref: oldStory, err: store.ErrNotFound},
	})

	// An alias is replaced, not added to.
	alias(art, oldArt, artB)
	// A name for a name: the chain resolves to the current ID, both when
	// the new name points at an alias and when an aliased name becomes one.
	alias(story, "s-older", oldStory)
	alias(story, "s-first", "s-second")
	alias(story, "s-second", stB)
	// An old name sharing a prefix with current IDs.
	alias(art, "a3f0dead00000000a", artC)
	checkResolve(t, st, "re-aliased", []resolveCase{
		{kind: art, ref: oldArt, want: artB},
		{kind: story, ref: "s-older", want: stA},
		{kind: story, ref: "s-first", want: stB},
		{kind: story, ref: "s-second", want: stB},
		{kind: art, ref: "a3f0d", want: artC},
		{kind: art, ref: "a3f0", err: store.ErrAmbiguous, mention: []string{artA, artB, artC}},
	})

	// Saying x is an old name of y after the opposite reverses the pair.
	alias(story, "s-left", "s-right")
	alias(story, "s-right", "s-left")
	putNamed(t, st, fx, "left-1", "s-left")
	checkResolve(t, st, "reversed", []resolveCase{
		{kind: story, ref: "s-right", want: "s-left"},
		{kind: story, ref: "s-left", want: "s-left"},
	})

	// An alias of an article that is gone names nothing.
	if err := st.Remove(ctx, artB, "test"); err != nil {
		t.Fatal(err)
	}
	checkResolve(t, st, "target removed", []resolveCase{{kind: art, ref: oldArt, err: store.ErrNotFound}})

	// A current ID is itself even when it is also recorded as an alias.
	alias(art, artC, artA)
	checkResolve(t, st, "current and alias", []resolveCase{{kind: art, ref: artC, want: artC}})

	for _, bad := range []struct {
		kind    store.Kind
		old, id string
	}{{art, "", artA}, {art, oldArt, ""}, {store.Kind(7), oldArt, artA}} {
		if err := st.Alias(ctx, bad.kind, bad.old, bad.id); err == nil {
			t.Errorf("Alias(%d, %q, %q) succeeded, want an error", bad.kind, bad.old, bad.id)
		}
	}
}
