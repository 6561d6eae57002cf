package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	dossier "github.com/dossiernews/dossier"
)

func runStories(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "stories", "", "Lists the stories, the largest first: ID, article count, dates, outlets and title.\n"+
		"Any unique beginning of an ID will do for dossier story.")
	limit := fs.Int("limit", 0, "show at most this many stories (0: all)")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("stories takes no arguments")
	}
	if *limit < 0 {
		return usagef("--limit %d: want 0 (all) or more", *limit)
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	stories, err := st.Stories(ctx)
	if err != nil {
		return err
	}
	all := len(stories)
	if *limit > 0 && all > *limit {
		stories = stories[:*limit]
	}
	printStories(e.stdout, e.width, e.prog, stories)
	if len(stories) < all {
		fmt.Fprintf(e.stdout, "\nshowing %d of %s (--limit 0 shows all)\n", len(stories), plural(all, "story", "stories"))
	}
	return nil
}

// Widest cells of the story tables, in terminal cells.
const (
	outletsWidth = 32
	outletWidth  = 24
)

func printStories(w io.Writer, width int, prog string, stories []dossier.Story) {
	if len(stories) == 0 {
		fmt.Fprintf(w, "no stories yet: %s ingest PATH...\n", prog)
		return
	}
	rows := [][]string{{"STORY", "ARTICLES", "PUBLISHED", "OUTLETS", "TITLE"}}
	for _, s := range stories {
		names := unknown
		if len(s.Outlets) > 0 {
			names = strings.Join(s.Outlets, ", ")
		}
		rows = append(rows, []string{short(s.ID), strconv.Itoa(len(s.Articles)),
			dateRange(s.FirstPublished, s.LastPublished), names, s.Title})
	}
	writeTable(w, width, "", []column{{}, {right: true}, {}, {max: outletsWidth, min: 16, give: 1}, {min: 24}}, rows)
}
