package main

import (
	"context"
	"fmt"

	"github.com/dossiernews/dossier/internal/export"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "export", "--out DIR", "Writes DIR/articles.jsonl and DIR/stories.jsonl (the export contract in the README).")
	out := fs.String("out", "", "the folder to write to (created when missing)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		return fmt.Errorf("%w: export takes --out DIR and no arguments", errUsage)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := export.Write(ctx, st, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %d articles and %d stories to %s\n", n.Articles, n.Stories, *out)
	return nil
}
