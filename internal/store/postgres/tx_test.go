package postgres

import (
	"context"
	"errors"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// TestPutFailsAlone: a Put that the server refuses half-way, in the batch
// of its rows or in its last, is undone alone, and the batch goes on and
// commits the rest, as when its savepoint took round trips of its own.
func TestPutFailsAlone(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	// The server refuses a quote or a move that says so.
	if _, err := st.pool.Exec(ctx, `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused'; END $$;
		CREATE TRIGGER refuse_quote BEFORE INSERT ON quotes FOR EACH ROW WHEN (NEW.text = 'refuse me') EXECUTE FUNCTION refuse();
		CREATE TRIGGER refuse_move BEFORE INSERT ON moves FOR EACH ROW WHEN (NEW.reason = 'refuse me') EXECUTE FUNCTION refuse()`); err != nil {
		t.Fatal(err)
	}
	stored := benchArticle(1)
	if err := st.Put(ctx, stored, store.State{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		bad   func() (*dossier.Article, store.State)
		gone  string // the story the refused Put would have made
		kept  string // the refused article's story after, "" for none
		first int    // the good articles put around it
	}{
		{"in the rows", func() (*dossier.Article, store.State) {
			a := benchArticle(10)
			a.StoryID = "s-refused-quote"
			a.Quotes[1].Text = "refuse me"
			return a, store.State{}
		}, "s-refused-quote", "", 20},
		{"in the last batch", func() (*dossier.Article, store.State) {
			a := benchArticle(1)
			a.StoryID = "s-refused-move"
			return a, store.State{Reason: "refuse me"}
		}, "s-refused-move", stored.StoryID, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad, state := tt.bad()
			err := st.Batch(ctx, func(ctx context.Context) error {
				if err := st.Put(ctx, benchArticle(tt.first), store.State{}); err != nil {
					return err
				}
				if err := st.Put(ctx, bad, state); err == nil {
					return errors.New("the refused Put succeeded")
				}
				return st.Put(ctx, benchArticle(tt.first+1), store.State{})
			})
			if err != nil {
				t.Fatalf("Batch: %v", err)
			}
			for _, i := range []int{tt.first, tt.first + 1} {
				if _, err := st.Article(ctx, benchArticle(i).ID); err != nil {
					t.Errorf("article %d put around the refused one: %v", i, err)
				}
			}
			if _, err := st.Story(ctx, tt.gone); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("story %s of the refused Put: %v, want not found", tt.gone, err)
			}
			got, err := st.Article(ctx, bad.ID)
			switch {
			case tt.kept == "" && !errors.Is(err, store.ErrNotFound):
				t.Errorf("the refused article: %v, want not found", err)
			case tt.kept != "" && (err != nil || got.StoryID != tt.kept):
				t.Errorf("the refused article: story %q, %v; want it as it was, in %s", got.StoryID, err, tt.kept)
			}
		})
	}
}
