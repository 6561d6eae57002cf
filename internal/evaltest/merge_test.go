package evaltest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossiernews/dossier/internal/evaldata"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store"
)

// TestMergedStoriesLeaveATrace: on a real stream where later articles show
// two stories to be one, every article of the merged story moved with a
// recorded reason, the merged story's ID resolves to the story it went
// into, and that story was compared again.
func TestMergedStoriesLeaveATrace(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a dev stream")
	}
	ctx := context.Background()
	st := openSQLite(t, filepath.Join(t.TempDir(), "merge.db"))
	sum := ingestFiles(t, st, filepath.Join(evaldata.Dir(t, "eval/ecbplus-dev"), "stream.jsonl"))
	if sum.Merged == 0 {
		t.Fatal("no stories merged on ECB+ dev, which has stories that heal (1 at the time of writing): nothing to check")
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]string{} // from → into
	for _, s := range stories {
		if s.Comparison == nil {
			t.Errorf("story %s has no comparison", s.ID)
		}
		moves, err := st.Moves(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			if m.Reason == ingest.MoveMerged && m.To == s.ID {
				merged[m.From] = s.ID
			}
		}
	}
	if len(merged) != sum.Merged {
		t.Errorf("%d stories merged by the summary, %d by the recorded moves", sum.Merged, len(merged))
	}
	for from, into := range merged {
		if _, err := st.Story(ctx, from); err == nil {
			t.Errorf("merged story %s is still listed", from)
		}
		got, err := st.Resolve(ctx, store.KindStory, from)
		if err != nil || got != into {
			t.Errorf("merged story %s resolves to %q (%v), want %s", from, got, err, into)
		}
	}
}

// TestSplitStoriesLeaveATrace: on ECB+ dev, where stories take in the
// other event of their topic and split again as both grow, every split
// is recorded as its articles' moves, and each split-off story exists.
func TestSplitStoriesLeaveATrace(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a dev stream")
	}
	ctx := context.Background()
	st := openSQLite(t, filepath.Join(t.TempDir(), "split.db"))
	sum := ingestFiles(t, st, filepath.Join(evaldata.Dir(t, "eval/ecbplus-dev"), "stream.jsonl"))
	if sum.Split == 0 {
		t.Fatal("no story split on ECB+ dev (several at the time of writing): nothing to check")
	}
	into := map[string]bool{}
	stories, err := st.Stories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		moves, err := st.Moves(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			if m.Reason == ingest.MoveSplit && m.To == s.ID {
				if m.From == "" || m.From == s.ID {
					t.Errorf("split move into %s from %q", s.ID, m.From)
				}
				into[s.ID] = true
			}
		}
		if s.Comparison == nil {
			t.Errorf("story %s has no comparison", s.ID)
		}
	}
	// A story split off may later merge or split again, so the stories
	// still holding split moves number at most the splits.
	if len(into) == 0 || len(into) > sum.Split {
		t.Errorf("%d splits by the summary, %d stories with split moves in", sum.Split, len(into))
	}
}
