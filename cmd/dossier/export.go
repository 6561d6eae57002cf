package main

import (
	"context"
	"fmt"

	"github.com/dossiernews/dossier/internal/export"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "export", "--out DIR", "Writes DIR/articles.jsonl and DIR/stories.jsonl (the export contract in the README).")
	out := fs.String("out", "", "the folder `DIR` to write to (created when missing)")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		return usagef("export takes --out DIR and no arguments")
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := export.Write(ctx, st, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %s and %s to %s\n", plural(n.Articles, "article", "articles"), plural(n.Stories, "story", "stories"), *out)
	return nil
}
