package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	dossier "github.com/dossiernews/dossier"
)

func runStories(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "stories", "", "Lists the stories, the largest first: title, article count, outlets and dates.")
	limit := fs.Int("limit", 0, "show at most this many stories (0: all)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: stories takes no arguments", errUsage)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	stories, err := st.Stories(ctx)
	if err != nil {
		return err
	}
	if *limit > 0 && len(stories) > *limit {
		stories = stories[:*limit]
	}
	printStories(e.stdout, stories)
	return nil
}

func printStories(w io.Writer, stories []dossier.Story) {
	if len(stories) == 0 {
		fmt.Fprintln(w, "no stories yet: dossier ingest PATH...")
		return
	}
	for _, s := range stories {
		fmt.Fprintf(w, "%s  %s\n", s.ID, s.Title)
		fmt.Fprintf(w, "    %s · %s · %s\n", plural(len(s.Articles), "article"), dateRange(s.FirstPublished, s.LastPublished), outlets(s.Outlets))
	}
}

func outlets(names []string) string {
	if len(names) == 0 {
		return "outlet unknown"
	}
	return strings.Join(names, ", ")
}

func dateRange(first, last time.Time) string {
	switch {
	case first.IsZero():
		return "undated"
	case first.Format(time.DateOnly) == last.Format(time.DateOnly):
		return first.Format(time.DateOnly)
	}
	return first.Format(time.DateOnly) + " – " + last.Format(time.DateOnly)
}

// when formats a publication time in its own zone, or says it is unknown.
func when(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("2006-01-02 15:04 -07:00")
}
