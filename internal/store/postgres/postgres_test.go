package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/storetest"
)

// serverEnv names the server the tests run against, as a postgres:// URL
// (.ci/run sets it). Without it the tests skip, unless CI is set: there a
// missing server is a failure.
const serverEnv = "DOSSIER_TEST_POSTGRES"

// server returns the test server's URL, skipping or failing without one.
func server(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(serverEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must run the PostgreSQL suite", serverEnv)
		}
		tb.Skipf("%s is not set: no PostgreSQL server to test against", serverEnv)
	}
	return dsn
}

var schemas atomic.Int64

// openTemp opens a store in a schema of its own, dropped at the end.
func openTemp(tb testing.TB) *Store {
	tb.Helper()
	return openTempWith(tb, nil)
}

// openTempWith is openTemp with the pool configured by configure.
func openTempWith(tb testing.TB, configure func(*pgxpool.Config)) *Store {
	tb.Helper()
	dsn := server(tb)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", serverEnv, err)
	}
	defer admin.Close(ctx)
	dropStale(tb, admin)
	name := fmt.Sprintf("dossier_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, schemas.Add(1))
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	st, err := open(ctx, withSchema(tb, dsn, name), configure)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// dropStale drops the schemas of test processes no longer running (a fuzz
// worker killed at the deadline cannot clean up).
func dropStale(tb testing.TB, admin *pgx.Conn) {
	tb.Helper()
	if _, err := os.Stat("/proc/self"); err != nil {
		return // no way to tell a running process here
	}
	ctx := context.Background()
	rows, err := admin.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dossier\_test\_%'`)
	if err != nil {
		tb.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range names {
		var pid int
		if _, err := fmt.Sscanf(n, "dossier_test_%d_", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			continue // running still
		}
		if _, err := admin.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{n}.Sanitize()+` CASCADE`); err != nil {
			tb.Logf("drop stale schema %s: %v", n, err)
		}
	}
}

// withSchema is dsn with its search_path set to schema.
func withSchema(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", serverEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
