package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

func runStory(ctx context.Context, e *env, args []string) error {
	id, st, err := openForID(ctx, e, "story", "Shows one story: its articles and speakers, each remark as every outlet worded it,\n"+
		"what only one outlet reported, and where outlets disagree.\n"+
		"ID is a story's ID from dossier stories, or any unique beginning of it.", store.KindStory, args)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Story(ctx, id) // the store's errors name the story
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n%s · %s · %s · %s\n\nArticles\n", s.Title, short(s.ID),
		plural(len(s.Articles), "article", "articles"), dateRange(s.FirstPublished, s.LastPublished), outlets(s.Outlets))
	var articles []dossier.Article
	copies := false
	for _, aid := range s.Articles {
		a, err := st.Article(ctx, aid)
		if err != nil {
			return fmt.Errorf("story %s: %w", short(s.ID), err)
		}
		articles = append(articles, a)
		copies = copies || a.DuplicateOf != ""
	}
	header := []string{"ARTICLE", "PUBLISHED", "OUTLET", "TITLE"}
	cols := []column{{}, {}, {max: outletWidth, min: 16, give: 1}, {min: 24}}
	if copies {
		header = slices.Insert(header, 3, "COPY OF")
		cols = slices.Insert(cols, 3, column{})
	}
	rows := [][]string{header}
	for _, a := range articles {
		outlet := a.Outlet
		if outlet == "" {
			outlet = unknown
		}
		row := []string{short(a.ID), when(a.Published), outlet, a.Title}
		if copies {
			of := unknown
			if a.DuplicateOf != "" {
				of = fmt.Sprintf("%s %.0f%%", short(a.DuplicateOf), 100*a.Similarity)
			}
			row = slices.Insert(row, 3, of)
		}
		rows = append(rows, row)
	}
	writeTable(w, e.width, "  ", cols, rows)
	printRuns(w, e.width, articles)
	if len(s.Speakers) > 0 {
		fmt.Fprintln(w, "\nSpeakers")
		roles := speakerRoles(articles)
		rows := [][]string{}
		for _, sp := range s.Speakers {
			rows = append(rows, []string{sp.Name, plural(sp.Quotes, "quote", "quotes"), roles[sp.Name]})
		}
		writeTable(w, e.width, "  ", []column{{max: 40}, {}, {min: 12}}, rows)
	}
	if s.Comparison != nil && len(s.Comparison.Remarks) > 0 {
		// The remarks show every quote, grouped: listing them again is noise.
		printComparison(w, e.width, *s.Comparison, articles)
		return printHistory(ctx, e, st, s)
	}
	quotes := 0
	for _, a := range articles {
		quotes += len(a.Quotes)
	}
	if quotes > 0 {
		fmt.Fprintln(w, "\nQuotes")
		for _, a := range articles {
			for _, q := range a.Quotes {
				fmt.Fprintf(w, "  %s (%s): “%s”\n", orUnknown(q.Speaker), orUnknown(a.Outlet), q.Text)
			}
		}
	}
	if s.Comparison != nil {
		printComparison(w, e.width, *s.Comparison, articles)
	}
	return printHistory(ctx, e, st, s)
}

// printHistory shows the articles that changed story, when any did: an
// article that only arrived is in the list above already.
func printHistory(ctx context.Context, e *env, st store.Store, s dossier.Story) error {
	moves, err := st.Moves(ctx, s.ID)
	if err != nil {
		return fmt.Errorf("story %s: history: %w", short(s.ID), err)
	}
	var rows [][]string
	for _, m := range moves {
		var what string
		switch {
		case m.From == "" && m.To == s.ID:
			continue
		case m.To == s.ID:
			what = "came from " + short(m.From)
		case m.To == "":
			what = "left the store"
		default:
			what = "moved to " + short(m.To)
		}
		if m.Reason != "" {
			what += " (" + m.Reason + ")"
		}
		at := unknown
		if !m.At.IsZero() {
			at = m.At.Local().Format(time.DateTime)
		}
		rows = append(rows, []string{at, short(m.Article), what})
	}
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout, "\nHistory")
	writeTable(e.stdout, e.width, "  ", nil, rows)
	return nil
}

// openForID parses the flags of a command that takes one ID, opens the
// store and resolves the ID.
func openForID(ctx context.Context, e *env, name, help string, kind store.Kind, args []string) (string, store.Store, error) {
	fs, c := newFlags(e, name, "ID", help)
	rest, err := parse(e, fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(rest) != 1 {
		return "", nil, usagef("%s takes one %s ID", name, kind)
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return "", nil, err
	}
	id, err := resolve(ctx, st, kind, rest[0])
	if err != nil {
		st.Close()
		return "", nil, err
	}
	return id, st, nil
}

// speakerRoles gives each speaker the role the story's articles give them
// most often (the first such on a tie).
func speakerRoles(articles []dossier.Article) map[string]string {
	counts := map[string]map[string]int{}
	var order []string
	for _, a := range articles {
		for _, q := range a.Quotes {
			if q.Speaker == "" || q.Role == "" {
				continue
			}
			if counts[q.Speaker] == nil {
				counts[q.Speaker] = map[string]int{}
			}
			if counts[q.Speaker][q.Role] == 0 {
				order = append(order, q.Speaker+"\x00"+q.Role)
			}
			counts[q.Speaker][q.Role]++
		}
	}
	roles := map[string]string{}
	best := map[string]int{}
	for _, k := range order {
		name, role, _ := strings.Cut(k, "\x00")
		if n := counts[name][role]; n > best[name] {
			roles[name], best[name] = role, n
		}
	}
	return roles
}
