package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// TestWritesBehind: in a batch whose ctx allows it, Put returns before the
// server has written, yet every later call of the batch sees the write and
// a change the caller makes to the article afterwards is not stored; a
// Put the server refuses then fails the batch's next call and the batch,
// which keeps nothing, the writes before and after it included. The
// inner batch case refuses inside a savepoint, which must not be
// released over the write still out.
func TestWritesBehind(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	if _, err := st.pool.Exec(ctx, `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused'; END $$;
		CREATE TRIGGER refuse_quote BEFORE INSERT ON quotes FOR EACH ROW WHEN (NEW.text = 'refuse me') EXECUTE FUNCTION refuse()`); err != nil {
		t.Fatal(err)
	}
	behind := store.WritesBehind(ctx)

	// Seen by the batch's next reads, and stored as it was when Put returned.
	err := st.Batch(behind, func(ctx context.Context) error {
		a := benchArticle(1)
		if err := st.Put(ctx, a, store.State{Signature: []byte("sig")}); err != nil {
			return err
		}
		a.Title, a.Quotes[0].Text = "changed after Put", "changed after Put"
		got, err := st.Article(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("read in the batch after Put: %w", err)
		}
		if got.Title != benchArticle(1).Title || got.Quotes[0].Text != benchArticle(1).Quotes[0].Text {
			return fmt.Errorf("read in the batch: title %q, quote %q: the caller's later change was stored", got.Title, got.Quotes[0].Text)
		}
		for i := 2; i < 6; i++ {
			if err := st.Put(ctx, benchArticle(i), store.State{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	for i := 1; i < 6; i++ {
		if _, err := st.Article(ctx, benchArticle(i).ID); err != nil {
			t.Errorf("article %d after the batch: %v", i, err)
		}
	}

	for _, tt := range []struct {
		name  string
		inner bool
	}{{"in the batch", false}, {"in an inner batch", true}} {
		t.Run(tt.name, func(t *testing.T) {
			bad := benchArticle(20)
			bad.Quotes[1].Text = "refuse me"
			var next error
			err := st.Batch(behind, func(ctx context.Context) error {
				if err := st.Put(ctx, benchArticle(10), store.State{}); err != nil {
					return err
				}
				putBad := func(ctx context.Context) error { return st.Put(ctx, bad, store.State{}) }
				put := putBad
				if tt.inner {
					put = func(ctx context.Context) error { return st.Batch(ctx, putBad) }
				}
				if err := put(ctx); err != nil && !tt.inner {
					return fmt.Errorf("the refused Put failed at once: %w", err)
				}
				// Writes after it, sent behind it or refused at once.
				for i := 11; i < 14 && !tt.inner; i++ {
					_ = st.Put(ctx, benchArticle(i), store.State{})
				}
				_, next = st.Article(ctx, benchArticle(10).ID)
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), "refused") {
				t.Errorf("Batch with a refused write behind: %v, want the server's refusal", err)
			}
			if !tt.inner && next == nil {
				t.Error("the call after a refused write behind succeeded")
			}
			for _, id := range []string{benchArticle(10).ID, bad.ID, benchArticle(13).ID} {
				if _, err := st.Article(ctx, id); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s after the failed batch: %v, want not found", id, err)
				}
			}
		})
	}
}
