package ingest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// records are named JSONL lines (invented events) that tests assemble into
// feeds: "port-copy" is a wire copy of "port" under another masthead.
func records(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/edits/lines.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// writeFeed writes the named records, one a line, to dir/name.
func writeFeed(t *testing.T, dir, name string, recs map[string]string, names ...string) string {
	t.Helper()
	var b strings.Builder
	for _, n := range names {
		line, ok := recs[n]
		if !ok {
			t.Fatalf("no record %q", n)
		}
		b.WriteString(line + "\n")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// view is what a store says of its articles, keyed by title: which story
// (as the set of titles sharing it) and which original they copy.
type view map[string]struct{ story, copyOf, id string }

func viewOf(t *testing.T, st store.Store) view {
	t.Helper()
	byStory := map[string][]string{}
	all := map[string]dossier.Article{}
	byID := map[string]string{}
	err := st.Articles(context.Background(), func(a dossier.Article) error {
		key := a.Title + " @" + a.Outlet
		all[key] = a
		byID[a.ID] = key
		byStory[a.StoryID] = append(byStory[a.StoryID], key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v := view{}
	for key, a := range all {
		members := byStory[a.StoryID]
		sort.Strings(members)
		if a.StoryID == "" {
			members = []string{"(no story)"}
		}
		v[key] = struct{ story, copyOf, id string }{strings.Join(members, " | "), byID[a.DuplicateOf], a.ID}
	}
	return v
}

func ingestOnce(t *testing.T, st store.Store, cfg ingest.Config, paths ...string) ingest.Summary {
	t.Helper()
	ctx := context.Background()
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	files, problems := source.List(paths)
	if len(problems) > 0 {
		t.Fatalf("list: %v", problems)
	}
	sum, err := in.Run(ctx, files, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// sameView compares two views by partition and links, ignoring IDs.
func sameView(t *testing.T, what string, got, want view) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: %q missing", what, k)
			continue
		}
		if g.story != w.story || g.copyOf != w.copyOf {
			t.Errorf("%s: %q in story [%s] copying %q; want [%s] copying %q", what, k, g.story, g.copyOf, w.story, w.copyOf)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %q", what, k)
		}
	}
}

// TestLinesInsertedAndReordered: a line added at the top of a feed and the
// others reordered change no article's ID, and the copy links still point
// at the right original.
func TestLinesInsertedAndReordered(t *testing.T) {
	recs := records(t)
	dir := t.TempDir()
	st := openStore(t)
	cfg := ingest.DefaultConfig()
	path := writeFeed(t, dir, "feed.jsonl", recs, "port", "bakery", "port-copy", "bridge")
	ingestOnce(t, st, cfg, path)
	before := viewOf(t, st)
	if c := before["Port workers strike over night shifts @Riverside Daily"]; c.copyOf != "Port workers strike over night shifts @Harlow Post" {
		t.Fatalf("the wire copy is not linked to its original: %+v", c)
	}

	writeFeed(t, dir, "feed.jsonl", recs, "fire", "bridge", "port", "bakery", "port-copy")
	sum := ingestOnce(t, st, cfg, path)
	if sum.New != 1 || sum.Unchanged != 4 || sum.Updated != 0 {
		t.Errorf("after inserting a line: %+v; want 1 new, 4 unchanged", sum)
	}
	after := viewOf(t, st)
	for k, b := range before {
		if after[k].id != b.id || after[k].copyOf != b.copyOf {
			t.Errorf("%q: id %s copying %q became id %s copying %q", k, b.id, b.copyOf, after[k].id, after[k].copyOf)
		}
	}
}

// TestEditsAgreeWithFreshIngest: when an original's text is replaced by
// another event's, and when an original is removed, the copies are checked
// again and the store agrees with a fresh ingest of the final inputs.
func TestEditsAgreeWithFreshIngest(t *testing.T) {
	recs := records(t)
	cfg := ingest.DefaultConfig()
	t.Run("original replaced", func(t *testing.T) {
		dir := t.TempDir()
		st := openStore(t)
		path := writeFeed(t, dir, "feed.jsonl", recs, "port", "port-copy", "bakery", "bridge")
		ingestOnce(t, st, cfg, path)
		// The Harlow Post page now carries the fire report under its URL.
		var port, fire map[string]any
		_ = json.Unmarshal([]byte(recs["port"]), &port)
		_ = json.Unmarshal([]byte(recs["fire"]), &fire)
		port["title"], port["text"] = fire["title"], fire["text"]
		b, _ := json.Marshal(port)
		recs2 := map[string]string{"port-now-fire": string(b)}
		for k, v := range recs {
			recs2[k] = v
		}
		writeFeed(t, dir, "feed.jsonl", recs2, "port-now-fire", "port-copy", "bakery", "bridge")
		sum := ingestOnce(t, st, cfg, path)
		if sum.Updated != 1 || sum.Relinked != 1 {
			t.Errorf("update: %+v; want 1 updated, 1 copy relinked", sum)
		}
		fresh := openStore(t)
		ingestOnce(t, fresh, cfg, path)
		sameView(t, "after the update", viewOf(t, st), viewOf(t, fresh))
		moved := viewOf(t, st)["Port workers strike over night shifts @Riverside Daily"]
		if moved.copyOf != "" {
			t.Errorf("the old copy still copies %q", moved.copyOf)
		}
	})
	t.Run("original removed", func(t *testing.T) {
		dir := t.TempDir()
		st := openStore(t)
		path := writeFeed(t, dir, "feed.jsonl", recs, "port", "port-copy", "bakery")
		ingestOnce(t, st, cfg, path)
		orig := viewOf(t, st)["Port workers strike over night shifts @Harlow Post"]
		in, err := ingest.New(context.Background(), st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := in.Remove(context.Background(), []string{orig.id})
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		if rs.Removed != 1 || rs.Relinked != 1 {
			t.Errorf("remove: %+v; want 1 removed, 1 relinked", rs)
		}
		fresh := openStore(t)
		ingestOnce(t, fresh, cfg, writeFeed(t, t.TempDir(), "feed.jsonl", recs, "port-copy", "bakery"))
		sameView(t, "after the removal", viewOf(t, st), viewOf(t, fresh))
		if _, err := st.Article(context.Background(), orig.id); err == nil {
			t.Error("the removed article is still stored")
		}
	})
}

// TestUnchangedBytesSkippedUnread: a second run over unchanged inputs
// cleans nothing.
func TestUnchangedBytesSkippedUnread(t *testing.T) {
	st := openStore(t)
	ingestOnce(t, st, ingest.DefaultConfig(), "testdata/run")
	sum := ingestOnce(t, st, ingest.DefaultConfig(), "testdata/run")
	if sum.Unchanged != 4 || sum.New+sum.Updated != 0 {
		t.Errorf("second run %+v: want 4 unchanged", sum)
	}
	for _, stage := range []string{ingest.StageClean, ingest.StageDescribe, ingest.StageQuote} {
		if d := sum.Timing[stage]; d != 0 {
			t.Errorf("stage %s ran for %v on unchanged input", stage, d)
		}
	}
}

// TestLegacyIDsRenamed: articles stored under the IDs that older versions
// derived from a file's path and line number take their stable IDs when
// their inputs are read again, and the old IDs resolve as aliases.
func TestLegacyIDsRenamed(t *testing.T) {
	recs := records(t)
	dir := t.TempDir()
	path := writeFeed(t, dir, "feed.jsonl", recs, "port", "port-copy", "bakery")
	st := openStore(t)
	ctx := context.Background()
	ingestOnce(t, st, ingest.DefaultConfig(), path)
	// Rewrite the store as an older version left it: IDs from path#N.
	var stored []dossier.Article
	_ = st.Articles(ctx, func(a dossier.Article) error {
		stored = append(stored, a)
		return nil
	})
	legacy := map[string]string{} // new ID → legacy ID
	states := map[string]store.State{}
	for i, a := range stored {
		sv, _, err := st.Saved(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Older stores kept no source key or digest.
		states[a.ID] = store.State{Signature: sv.Signature, Features: sv.Features}
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", path, i+1)))
		legacy[a.ID] = "a" + hex.EncodeToString(sum[:8])
	}
	for _, a := range stored {
		if err := st.Remove(ctx, a.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range stored {
		sv := states[a.ID]
		a.ID = legacy[a.ID]
		if a.DuplicateOf != "" {
			a.DuplicateOf = legacy[a.DuplicateOf]
		}
		if err := st.Put(ctx, &a, sv); err != nil {
			t.Fatal(err)
		}
	}

	sum := ingestOnce(t, st, ingest.DefaultConfig(), path)
	if sum.New != 0 || sum.Updated != 3 {
		t.Errorf("re-read over a legacy store: %+v; want 3 updated, none new", sum)
	}
	n := 0
	_ = st.Articles(ctx, func(a dossier.Article) error {
		n++
		return nil
	})
	if n != 3 {
		t.Errorf("%d articles after the rename, want 3", n)
	}
	for id, old := range legacy {
		got, err := st.Resolve(ctx, store.KindArticle, old)
		if err != nil || got != id {
			t.Errorf("legacy ID %s resolves to %q (%v), want %s", old, got, err, id)
		}
	}
	v := viewOf(t, st)
	if c := v["Port workers strike over night shifts @Riverside Daily"]; c.copyOf != "Port workers strike over night shifts @Harlow Post" {
		t.Errorf("after the rename the copy copies %q", c.copyOf)
	}
}

// TestStoriesComparedOncePerRun: a run compares each story it touched once,
// however many of its articles arrived, and leaves the others alone.
func TestStoriesComparedOncePerRun(t *testing.T) {
	recs := records(t)
	dir := t.TempDir()
	st := openStore(t)
	cfg := ingest.DefaultConfig()
	sum := ingestOnce(t, st, cfg, writeFeed(t, dir, "a.jsonl", recs, "port", "port-copy", "bakery", "bridge"))
	stories, err := st.Stories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Compared != len(stories) {
		t.Errorf("first run compared %d stories, want each of the %d once", sum.Compared, len(stories))
	}
	for _, s := range stories {
		if s.Comparison == nil {
			t.Errorf("story %s has no comparison after the run", s.ID)
		}
	}
	sum = ingestOnce(t, st, cfg, writeFeed(t, dir, "b.jsonl", recs, "fire"))
	if sum.Compared != 1 {
		t.Errorf("a run adding one article compared %d stories, want 1", sum.Compared)
	}
	sum = ingestOnce(t, st, cfg, filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl"))
	if sum.Compared != 0 {
		t.Errorf("a run over unchanged input compared %d stories, want none", sum.Compared)
	}
}
