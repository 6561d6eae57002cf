package main

import (
	"context"
	"fmt"
	"strings"
)

func runArticle(ctx context.Context, e *env, args []string) error {
	id, st, err := openForID(ctx, e, "article", "Shows one article: its metadata, clean text and quotes.",
		"article ID (see dossier story ID)", args)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Article(ctx, id)
	if err != nil {
		return fmt.Errorf("article %s: %w", id, err)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n\n", a.Title)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-12s %s\n", name+":", value)
		}
	}
	field("id", a.ID)
	field("source", a.Source)
	field("url", a.URL)
	field("outlet", orUnknown(a.Outlet))
	field("authors", strings.Join(a.Authors, ", "))
	field("contacts", strings.Join(a.Contacts, ", "))
	field("published", when(a.Published))
	field("language", a.Language)
	field("story", a.StoryID)
	if a.DuplicateOf != "" {
		field("copy of", fmt.Sprintf("%s (%.0f%% alike)", a.DuplicateOf, 100*a.Similarity))
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
