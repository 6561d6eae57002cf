package main

import (
	"fmt"
	"io"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/syndication"
)

// printRuns shows, for each original that others copied, who first ran it
// and who re-ran it.
func printRuns(w io.Writer, width int, articles []dossier.Article) {
	runs := syndication.Runs(articles)
	if len(runs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCopies")
	rows := [][]string{{"ORIGINAL", "FIRST RUN BY", "RE-RUN BY"}}
	for _, r := range runs {
		var by []string
		for _, c := range r.Copies {
			by = append(by, orUnknown(c.Outlet)+" "+short(c.ID))
		}
		rows = append(rows, []string{short(r.Original.ID), orUnknown(r.Original.Outlet), strings.Join(by, ", ")})
	}
	writeTable(w, width, "  ", []column{{}, {max: outletWidth, min: 12}, {min: 24}}, rows)
}
