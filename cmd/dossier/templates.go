package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

func runTemplates(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "templates", "[OUTLET]",
		"Lists the outlets whose furniture (menus, footers, legal lines printed on\n"+
			"their pages of different stories) was learned from their stored pages: the\n"+
			"lines, the version, when and from how many pages. With OUTLET, prints its\n"+
			"lines, which leave its articles' text as they are ingested.")
	asJSON := fs.Bool("json", false, "print the templates as JSON")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usagef("templates takes at most one OUTLET")
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.Templates(ctx)
	if err != nil {
		return err
	}
	// A template of no lines only records that the outlet was learned from.
	var ts []store.Template
	for _, t := range all {
		if len(t.Lines) > 0 {
			ts = append(ts, t)
		}
	}
	if len(rest) == 1 {
		for _, t := range ts {
			if t.Outlet == rest[0] {
				if *asJSON {
					return writeTemplatesJSON(e.stdout, []store.Template{t})
				}
				for _, l := range t.Lines {
					fmt.Fprintln(e.stdout, l)
				}
				return nil
			}
		}
		return fmt.Errorf("no template of outlet %q: %w", rest[0], store.ErrNotFound)
	}
	if *asJSON {
		return writeTemplatesJSON(e.stdout, ts)
	}
	printTemplates(e.stdout, e.width, e.prog, ts)
	return nil
}

func printTemplates(w io.Writer, width int, prog string, ts []store.Template) {
	if len(ts) == 0 {
		fmt.Fprintf(w, "no templates yet: an outlet's are learned once %s ingest has its pages of several stories\n", prog)
		return
	}
	rows := [][]string{{"OUTLET", "LINES", "VERSION", "LEARNED", "PAGES"}}
	for _, t := range ts {
		rows = append(rows, []string{t.Outlet, strconv.Itoa(len(t.Lines)), t.Version, when(t.LearnedAt), strconv.Itoa(t.Pages)})
	}
	right := column{right: true}
	writeTable(w, width, "", []column{{max: outletWidth, min: 16}, right, {}, {}, right}, rows)
}

type templateJSON struct {
	Outlet    string    `json:"outlet"`
	Lines     []string  `json:"lines"`
	Version   string    `json:"version"`
	LearnedAt time.Time `json:"learned_at"`
	Pages     int       `json:"pages"`
}

func writeTemplatesJSON(w io.Writer, ts []store.Template) error {
	out := make([]templateJSON, 0, len(ts))
	for _, t := range ts {
		lines := t.Lines
		if lines == nil {
			lines = []string{}
		}
		out = append(out, templateJSON{Outlet: t.Outlet, Lines: lines, Version: t.Version, LearnedAt: t.LearnedAt, Pages: t.Pages})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"templates": out}); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
