package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/postgres/pgtest"
	"github.com/dossiernews/dossier/internal/store/storetest"
)

// server returns the test server's URL, skipping or failing without one.
func server(tb testing.TB) string {
	tb.Helper()
	return pgtest.Server(tb)
}

// openTemp opens a store in a schema of its own, dropped at the end.
func openTemp(tb testing.TB) *Store {
	tb.Helper()
	return openTempWith(tb, nil)
}

// openTempWith is openTemp with the pool configured by configure.
func openTempWith(tb testing.TB, configure func(*pgxpool.Config)) *Store {
	tb.Helper()
	st, err := open(context.Background(), pgtest.Schema(tb), configure)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) store.Store { return openTemp(t) },
		Again: func(t *testing.T, st store.Store) store.Store {
			other, err := Open(context.Background(), st.(*Store).dsn)
			if err != nil {
				t.Fatal(err)
			}
			return other
		},
	})
}

// TestOthersMark: a store taking the writer lock again, and writing, leaves
// its mark; the lock held by another handle between moves it.
func TestOthersMark(t *testing.T) {
	ctx := context.Background()
	mine := openTemp(t)
	defer mine.Close()
	other, err := Open(ctx, mine.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mark := func() int64 {
		t.Helper()
		m, err := mine.OthersMark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	hold := func(st *Store, write bool) {
		t.Helper()
		release, err := st.Lock(ctx, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		if write {
			a := &dossier.Article{ID: fmt.Sprintf("a-%d", time.Now().UnixNano()), Title: "t", Text: "text"}
			if err := st.Put(ctx, a, store.State{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
	}
	hold(mine, true)
	before := mark()
	hold(mine, true)
	hold(mine, false)
	if got := mark(); got != before {
		t.Errorf("own turns moved the mark %d -> %d", before, got)
	}
	hold(other, false)
	hold(mine, false)
	if got := mark(); got == before {
		t.Errorf("another handle's turn left the mark at %d", got)
	}
}
