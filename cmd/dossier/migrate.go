package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/dossiernews/dossier/internal/store/postgres"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "migrate", "--to postgres://...",
		"Copies a SQLite store whole into an empty PostgreSQL one: articles and\n"+
			"quotes, copies, stories with their comparisons, old IDs, the history of\n"+
			"moves and the streaming state, so that both export alike and ingesting\n"+
			"goes on in either the same way. Both stores are locked meanwhile.")
	from := flags.String("from", "", "the SQLite store to copy, a file at `PATH` (default --db)")
	to := flags.String("to", "", "the PostgreSQL store to fill, a postgres:// `URL`")
	rest, err := parse(e, flags, args)
	if err != nil {
		return err
	}
	if *from == "" {
		*from = c.db
	}
	switch {
	case len(rest) > 0:
		return usagef("migrate takes --from PATH --to URL and no arguments")
	case !postgres.IsURL(*to):
		return usagef("migrate --to wants a postgres:// URL")
	case postgres.IsURL(*from):
		return usagef("migrate --from wants a SQLite file: only SQLite to PostgreSQL is supported")
	}
	if _, err := os.Stat(*from); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no store at %s", *from)
	}
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	sum, err := dst.ImportSQLite(ctx, *from)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "copied %s, %s and %s from %s\n", plural(sum.Articles, "article", "articles"),
		plural(sum.Stories, "story", "stories"), plural(sum.Quotes, "quote", "quotes"), *from)
	return nil
}
