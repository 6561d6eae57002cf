package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"

	dossier "github.com/dossiernews/dossier"
)

// printComparison shows what the story's reports say alike and apart: each
// remark with every outlet's wording, what only one outlet reported, and
// where outlets disagree, the values side by side.
func printComparison(w io.Writer, width int, c dossier.Comparison, articles []dossier.Article) {
	byID := map[string]dossier.Article{}
	for _, a := range articles {
		byID[a.ID] = a
	}
	slice := func(id string, start, end int) string {
		a := byID[id]
		if start < 0 || end > len(a.Text) || start > end {
			return ""
		}
		return a.Text[start:end]
	}
	outletOf := func(id string) string { return orUnknown(byID[id].Outlet) }
	if width <= 0 {
		width = 100
	}

	if len(c.Remarks) > 0 {
		fmt.Fprintln(w, "\nRemarks")
		for _, r := range c.Remarks {
			carried := plural(len(r.Outlets), "outlet", "outlets")
			if len(r.Outlets) == 1 {
				carried = "only " + r.Outlets[0]
			}
			fmt.Fprintf(w, "  %s · %s\n", orUnknown(r.Speaker), carried)
			seen := map[string]bool{}
			for _, q := range r.Quotes {
				text := slice(q.Article, q.Start, q.End)
				key := q.Article + "\x00" + text
				if text == "" || seen[key] {
					continue
				}
				seen[key] = true
				wrap(w, width, "    "+outletOf(q.Article)+": ", "“"+text+"”")
			}
		}
	}
	if len(c.Unique) > 0 {
		fmt.Fprintln(w, "\nOnly in one outlet")
		last := ""
		for _, u := range c.Unique {
			if u.Article != last {
				last = u.Article
				fmt.Fprintf(w, "  %s (%s)\n", strings.Join(u.Outlets, ", "), short(u.Article))
			}
			wrap(w, width, "    • ", slice(u.Article, u.Start, u.End))
		}
	}
	if len(c.Conflicts) > 0 {
		fmt.Fprintln(w, "\nWhere outlets disagree")
		for _, cf := range c.Conflicts {
			fmt.Fprintf(w, "  %s\n", cf.About)
			for _, v := range cf.Values {
				wrap(w, width, fmt.Sprintf("    %s: %s — ", outletOf(v.Article), v.Value), slice(v.Article, v.SentenceStart, v.SentenceEnd))
			}
		}
	}
}

// wrap prints text after lead, wrapped at word boundaries to width terminal
// cells, continuation lines indented under the text.
func wrap(w io.Writer, width int, lead, text string) {
	indent := strings.Repeat(" ", min(uniseg.StringWidth(lead), width/2))
	line, used := lead, uniseg.StringWidth(lead)
	first := true
	for _, word := range strings.Fields(text) {
		ww := uniseg.StringWidth(word)
		if !first && used+1+ww > width {
			fmt.Fprintln(w, line)
			line, used, first = indent+word, len(indent)+ww, false
			continue
		}
		if first {
			line, used, first = line+word, used+ww, false
			continue
		}
		line, used = line+" "+word, used+1+ww
	}
	fmt.Fprintln(w, line)
}
