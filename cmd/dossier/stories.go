package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dossiernews/dossier/internal/store"
)

func runStories(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "stories", "", "Lists the stories, the most recently published first: ID, article count, dates, outlets and title.\n"+
		"Any unique beginning of an ID will do for dossier story.")
	limit := fs.Int("limit", 0, "show at most this many stories (0: all)")
	outlet := fs.String("outlet", "", "only the stories with an article from this `OUTLET`")
	from := fs.String("from", "", "only the stories published on or after `DATE` (YYYY-MM-DD, or RFC 3339)")
	to := fs.String("to", "", "only the stories published on or before `DATE` (YYYY-MM-DD, or RFC 3339)")
	cursor := fs.String("after", "", "go on after the stories shown: the `CURSOR` printed below a --limit list")
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
	q := store.StoryQuery{Outlet: *outlet, Cursor: *cursor}
	if q.From, err = store.ParseBound(*from, false); err != nil {
		return usagef("--from %q: %v", *from, err)
	}
	if q.To, err = store.ParseBound(*to, true); err != nil {
		return usagef("--to %q: %v", *to, err)
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	stories, next, err := listStories(ctx, st, q, *limit)
	if err != nil {
		return err
	}
	if len(stories) == 0 && (q.Outlet != "" || !q.From.IsZero() || !q.To.IsZero() || q.Cursor != "") {
		fmt.Fprintln(e.stdout, "no stories match")
		return nil
	}
	printStories(e.stdout, e.width, e.prog, stories)
	if next != "" {
		fmt.Fprintf(e.stdout, "\nshowing %s; more with --after %s (--limit 0 shows all)\n", plural(len(stories), "story", "stories"), next)
	}
	return nil
}

// listStories reads up to limit stories (0: all) page by page; next is
// where a further list would start, "" when none is left.
func listStories(ctx context.Context, st store.Store, q store.StoryQuery, limit int) ([]store.StorySummary, string, error) {
	var out []store.StorySummary
	for {
		q.Limit = store.MaxLimit
		if limit > 0 {
			q.Limit = min(limit-len(out), store.MaxLimit)
		}
		page, err := st.StoriesPage(ctx, q)
		if err != nil {
			return nil, "", err
		}
		out = append(out, page.Stories...)
		if page.Next == "" || (limit > 0 && len(out) >= limit) {
			return out, page.Next, nil
		}
		q.Cursor = page.Next
	}
}

// Widest cells of the story tables, in terminal cells.
const (
	outletsWidth = 32
	outletWidth  = 24
)

func printStories(w io.Writer, width int, prog string, stories []store.StorySummary) {
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
		rows = append(rows, []string{short(s.ID), strconv.Itoa(s.Articles),
			dateRange(s.FirstPublished, s.LastPublished), names, s.Title})
	}
	writeTable(w, width, "", []column{{}, {right: true}, {}, {max: outletsWidth, min: 16, give: 1}, {min: 24}}, rows)
}
