package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dossiernews/dossier/internal/store"
)

func runArticle(ctx context.Context, e *env, args []string) error {
	id, st, err := openForID(ctx, e, "article", "Shows one article: its metadata, clean text and quotes.\n"+
		"ID is an article's ID from dossier story, or any unique beginning of it.", store.KindArticle, args)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Article(ctx, id) // the store's errors name the article
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n\n", a.Title)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-12s %s\n", name+":", value)
		}
	}
	field("id", short(a.ID))
	field("source", a.Source)
	field("url", a.URL)
	field("outlet", orUnknown(a.Outlet))
	field("authors", strings.Join(a.Authors, ", "))
	field("contacts", strings.Join(a.Contacts, ", "))
	published := "unknown"
	if !a.Published.IsZero() {
		published = when(a.Published)
	}
	field("published", published)
	field("language", a.Language)
	field("story", short(a.StoryID))
	if a.DuplicateOf != "" {
		field("copy of", fmt.Sprintf("%s (%.0f%% alike)", short(a.DuplicateOf), 100*a.Similarity))
	}
	for _, cap := range a.Captions {
		field("caption", cap)
	}
	fmt.Fprintf(w, "\n%s\n", a.Text)
	if len(a.Quotes) > 0 {
		fmt.Fprintln(w, "\nQuotes")
		for _, q := range a.Quotes {
			fmt.Fprintf(w, "  %s: “%s”\n", orUnknown(q.Speaker), q.Text)
		}
	}
	return printFurniture(ctx, w, st, a.ID)
}

// printFurniture shows what the outlet's template took out of the text,
// and when the article was cleaned again as the template changed.
func printFurniture(ctx context.Context, w io.Writer, st store.Store, id string) error {
	sv, _, err := st.Saved(ctx, id)
	if err != nil {
		return err
	}
	if f := sv.Furniture; len(f.Removed) > 0 {
		fmt.Fprintf(w, "\nOutlet furniture taken out (template %s)\n", f.Version)
		for _, r := range f.InOrder() {
			fmt.Fprintf(w, "  ¶%d %s\n", r.Index+1, r.Text)
		}
	}
	rs, err := st.Recleans(ctx, id)
	if err != nil {
		return err
	}
	if len(rs) > 0 {
		fmt.Fprintln(w, "\nCleaned again")
		for _, r := range rs {
			fmt.Fprintf(w, "  %s  template %s: %s out, %s back\n", when(r.At), r.Version,
				plural(r.Removed, "paragraph", "paragraphs"), strconv.Itoa(r.Restored))
		}
	}
	return nil
}
