package main

import (
	"context"
	"fmt"
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
	return nil
}
