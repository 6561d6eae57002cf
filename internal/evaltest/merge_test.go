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
