package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/syndication"
)

func runOutlets(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "outlets", "",
		"Lists the outlets: articles and stories; of the stories other outlets covered\n"+
			"too, how many it published first; how many of its articles re-ran another\n"+
			"outlet's copy, and how many copies others made of its articles.\n"+
			"First is by publication time when every outlet's article is dated, else by\n"+
			"the order the articles were ingested.")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("outlets takes no arguments")
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	// What a tally needs of each article, kept per story in ingest order.
	byStory := map[string][]dossier.Article{}
	var order []string
	err = st.Articles(ctx, func(a dossier.Article) error {
		if _, ok := byStory[a.StoryID]; !ok {
			order = append(order, a.StoryID)
		}
		byStory[a.StoryID] = append(byStory[a.StoryID], dossier.Article{
			ID: a.ID, Outlet: a.Outlet, DuplicateOf: a.DuplicateOf, Published: a.Published})
		return nil
	})
	if err != nil {
		return err
	}
	tally := syndication.NewTally()
	for _, id := range order {
		tally.Add(byStory[id])
	}
	printOutlets(e.stdout, e.width, e.prog, tally.Outlets())
	return nil
}

func printOutlets(w io.Writer, width int, prog string, outlets []syndication.Outlet) {
	if len(outlets) == 0 {
		fmt.Fprintf(w, "no outlets yet: %s ingest PATH...\n", prog)
		return
	}
	rows := [][]string{{"OUTLET", "ARTICLES", "STORIES", "SHARED", "FIRST", "RE-RAN", "RE-RUN BY OTHERS"}}
	for _, o := range outlets {
		rows = append(rows, []string{o.Name, strconv.Itoa(o.Articles), strconv.Itoa(o.Stories),
			strconv.Itoa(o.Shared), strconv.Itoa(o.First), strconv.Itoa(o.Reran), strconv.Itoa(o.RerunBy)})
	}
	right := column{right: true}
	writeTable(w, width, "", []column{{max: 40, min: 16}, right, right, right, right, right, right}, rows)
}
