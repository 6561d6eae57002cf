package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossiernews/dossier/internal/export"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "export", "--out DIR [--format jsonl|csv|parquet]", "Writes DIR/articles.jsonl and DIR/stories.jsonl (the export contract in the README),\nor, with --format csv or parquet, flat tables joined by IDs: articles, quotes,\nstories, speakers, remarks, remark_quotes, unique and conflicts.")
	out := fs.String("out", "", "the folder `DIR` to write to (created when missing)")
	format := fs.String("format", "jsonl", "`FORMAT`: jsonl (the contract), csv or parquet (flat tables)")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		return usagef("export takes --out DIR and no arguments")
	}
	if *format != "jsonl" && *format != string(export.CSV) && *format != string(export.Parquet) {
		return usagef("export --format is jsonl, csv or parquet, not %q", *format)
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if *format != "jsonl" {
		counts, err := export.WriteTables(ctx, st, *out, export.Format(*format))
		if err != nil {
			return err
		}
		var parts []string
		for _, t := range export.Tables {
			parts = append(parts, fmt.Sprintf("%s %d", t, counts[t]))
		}
		fmt.Fprintf(e.stdout, "exported %s tables to %s: %s\n", *format, *out, strings.Join(parts, ", "))
		return nil
	}
	n, err := export.Write(ctx, st, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %s and %s to %s\n", plural(n.Articles, "article", "articles"), plural(n.Stories, "story", "stories"), *out)
	return nil
}
