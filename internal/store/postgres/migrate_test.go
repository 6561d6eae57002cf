package postgres

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

func TestLoadMigrations(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("SELECT 1;")}
	for _, tc := range []struct {
		name    string
		fsys    fstest.MapFS
		want    []int
		errPart string
	}{
		{"ordered", fstest.MapFS{"m/0002_b.sql": sql, "m/0001_a.sql": sql, "m/README": sql}, []int{1, 2}, ""},
		{"gap", fstest.MapFS{"m/0001_a.sql": sql, "m/0003_c.sql": sql}, nil, "consecutive"},
		{"bad name", fstest.MapFS{"m/first.sql": sql}, nil, "NNNN_description"},
		{"empty", fstest.MapFS{"m/README": sql}, nil, "no migrations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := loadMigrations(tc.fsys, "m")
			if tc.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errPart) {
					t.Fatalf("err %v, want one saying %q", err, tc.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("versions %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := loadMigrations(migrationFiles, "migrations"); err != nil {
		t.Errorf("the embedded migrations: %v", err)
	}
}

// TestOpenReadOnly opens a current store through read-only transactions,
// as a read replica serves it: opening must not write.
func TestOpenReadOnly(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	putTitled(t, st, "a1", "s1", "Weir repairs begin")
	u, err := url.Parse(st.dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	ro, err := Open(ctx, u.String())
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	defer ro.Close()
	if s, err := ro.Story(ctx, "s1"); err != nil || s.Title != "Weir repairs begin" {
		t.Errorf("Story through a read-only store: %+v, %v", s, err)
	}
	if err := putTitled(nil, ro, "a2", "s2", "Weir reopens"); err == nil {
		t.Error("Put through read-only transactions succeeded")
	}
}

// TestSchemaTooNew refuses a store a newer Dossier migrated.
func TestSchemaTooNew(t *testing.T) {
	st := openTemp(t)
	defer st.Close()
	ctx := context.Background()
	if _, err := st.pool.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, st.dsn); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open of a newer schema: %v, want ErrSchemaTooNew", err)
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil || v != 9999 {
		t.Errorf("SchemaVersion = %d, %v", v, err)
	}
}

func articleNamed(id, story, title string) dossier.Article {
	return dossier.Article{ID: id, StoryID: story, Title: title, Text: title + ".", Language: "en", Fingerprint: "fp-" + id}
}

// putTitled stores a small article; with t nil it returns the error.
func putTitled(t *testing.T, st store.Store, id, story, title string) error {
	a := articleNamed(id, story, title)
	err := st.Put(context.Background(), &a, store.State{})
	if t != nil && err != nil {
		t.Fatal(err)
	}
	return err
}
