package main

import (
	"context"
	"fmt"

	dossier "github.com/dossiernews/dossier"
)

func runStory(ctx context.Context, e *env, args []string) error {
	id, st, err := openForID(ctx, e, "story", "Shows one story: its articles, its speakers and what each said.",
		"story ID (see dossier stories)", args)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Story(ctx, id)
	if err != nil {
		return fmt.Errorf("story %s: %w", id, err)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n%s\n", s.Title, s.ID)
	fmt.Fprintf(w, "%s · %s · %s\n\nArticles\n", plural(len(s.Articles), "article"), dateRange(s.FirstPublished, s.LastPublished), outlets(s.Outlets))
	var articles []dossier.Article
	for _, id := range s.Articles {
		a, err := st.Article(ctx, id)
		if err != nil {
			return fmt.Errorf("story %s: article %s: %w", s.ID, id, err)
		}
		articles = append(articles, a)
		dup := ""
		if a.DuplicateOf != "" {
			dup = fmt.Sprintf("  (copy of %s, %.0f%% alike)", a.DuplicateOf, 100*a.Similarity)
		}
		fmt.Fprintf(w, "  %s  %s  %-24s %s%s\n", a.ID, when(a.Published), orUnknown(a.Outlet), a.Title, dup)
	}
	if len(s.Speakers) > 0 {
		fmt.Fprintln(w, "\nSpeakers")
		for _, sp := range s.Speakers {
			fmt.Fprintf(w, "  %-32s %s\n", sp.Name, plural(sp.Quotes, "quote"))
		}
	}
	fmt.Fprintln(w, "\nQuotes")
	for _, a := range articles {
		for _, q := range a.Quotes {
			fmt.Fprintf(w, "  %s (%s): “%s”\n", orUnknown(q.Speaker), orUnknown(a.Outlet), q.Text)
		}
	}
	return nil
}

// plural says "1 quote", "2 quotes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
