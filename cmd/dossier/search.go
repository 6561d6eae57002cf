package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/web"
)

// searchLimit is how many hits a search shows unless told.
const searchLimit = 20

func runSearch(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "search", "QUERY...", "Finds articles, best match first, with the passage that matched.\n"+
		"All of QUERY must match: words, \"a phrase\", prefix*, -excluded, and the filters\n"+
		"speaker:NAME (or speaker:\"Full Name\"), outlet:NAME, lang:CODE, from:YYYY-MM-DD and\n"+
		"to:YYYY-MM-DD (days in UTC, both included). A query of filters alone lists the\n"+
		"matches newest first. With --quotes it finds quotes instead: what did someone\n"+
		"say about something is speaker:NAME WORDS.")
	quotes := fs.Bool("quotes", false, "find quotes, with their speaker, instead of articles")
	limit := fs.Int("limit", searchLimit, fmt.Sprintf("show at most `N` hits (at most %d)", store.MaxLimit))
	cursor := fs.String("after", "", "go on after the hits shown: the `CURSOR` printed below the list")
	asJSON := fs.Bool("json", false, "print the hits as JSON")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("search takes a QUERY")
	}
	if *limit <= 0 || *limit > store.MaxLimit {
		return usagef("--limit %d: want 1 to %d", *limit, store.MaxLimit)
	}
	q := query.Parse(strings.Join(rest, " "))
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	page, err := st.Search(ctx, store.SearchQuery{Query: q, Quotes: *quotes, Cursor: *cursor, Limit: *limit})
	if errors.Is(err, store.ErrBadCursor) {
		return usagef("--after %q: not a cursor this list printed", *cursor)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeSearchJSON(e.stdout, page)
	}
	if len(page.Hits) == 0 {
		fmt.Fprintln(e.stdout, "no matches")
		return nil
	}
	// Bold only on a terminal (width is known only there).
	printHits(e.stdout, e.width, *quotes, e.width > 0, page.Hits)
	if page.Next != "" {
		fmt.Fprintf(e.stdout, "\nshowing %s; more with --after %s\n", plural(len(page.Hits), "hit", "hits"), page.Next)
	}
	return nil
}

// printHits prints a table of hits, each row followed by its snippet.
func printHits(w io.Writer, width int, quotes, bold bool, hits []store.SearchHit) {
	rows := [][]string{{"ARTICLE", "PUBLISHED", "OUTLET", "TITLE"}}
	cols := []column{{}, {}, {max: outletWidth, min: 12, give: 1}, {min: 24}}
	if quotes {
		rows = [][]string{{"ARTICLE", "PUBLISHED", "SPEAKER", "OUTLET", "TITLE"}}
		cols = []column{{}, {}, {max: outletWidth, min: 12, give: 2}, {max: outletWidth, min: 12, give: 1}, {min: 24}}
	}
	for _, h := range hits {
		id := short(h.ArticleID)
		if h.DuplicateOf != "" {
			id += " (copy)"
		}
		published := unknown
		if !h.Published.IsZero() {
			published = h.Published.Format(time.DateOnly)
		}
		row := []string{id, published, orUnknown(h.Outlet), h.Title}
		if quotes {
			speaker := unknown
			if h.Quote != nil && h.Quote.Speaker != "" {
				speaker = h.Quote.Speaker
			}
			row = []string{id, published, speaker, orUnknown(h.Outlet), h.Title}
		}
		rows = append(rows, row)
	}
	var table strings.Builder
	writeTable(&table, width, "", cols, rows)
	lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
	fmt.Fprintln(w, lines[0])
	for i, h := range hits {
		fmt.Fprintln(w, lines[i+1])
		text := marked(h.Snippet, bold)
		if quotes {
			text = "“" + text + "”"
		}
		fmt.Fprintf(w, "    %s\n", text)
	}
}

// marked is a snippet with its marks in bold (ANSI), or as it is.
func marked(s store.Snippet, bold bool) string {
	if !bold || len(s.Marks) == 0 {
		return s.Text
	}
	var b strings.Builder
	at := 0
	for _, m := range s.Marks {
		if m[0] < at || m[1] > len(s.Text) || m[0] > m[1] {
			continue
		}
		b.WriteString(s.Text[at:m[0]])
		b.WriteString("\x1b[1m" + s.Text[m[0]:m[1]] + "\x1b[0m")
		at = m[1]
	}
	b.WriteString(s.Text[at:])
	return b.String()
}

// writeSearchJSON prints a page of hits as the API gives them.
func writeSearchJSON(w io.Writer, page store.SearchPage) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(web.NewSearchList(page)); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
