package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// column shapes one column of a table.
type column struct {
	max   int  // widest a cell may be, in terminal cells; 0: no limit
	right bool // numbers line up on the right
	// min > 0 makes the column give way, down to min cells, when the
	// table is wider than the terminal; of those, the one with the
	// highest give goes first.
	min, give int
}

// writeTable prints rows in aligned columns two spaces apart, measuring
// display width (accents, wide characters), so that a long outlet or an
// unknown date shifts nothing. Cells wider than their column are cut with
// "…"; the last column is never padded. width is the terminal's, 0 when
// output goes elsewhere and may be as wide as it likes.
func writeTable(w io.Writer, width int, indent string, cols []column, rows [][]string) {
	col := func(i int) column {
		if i < len(cols) {
			return cols[i]
		}
		return column{}
	}
	n := 0
	for _, row := range rows {
		n = max(n, len(row))
	}
	widths := make([]int, n)
	for _, row := range rows {
		for i, cell := range row {
			if m := col(i).max; m > 0 {
				cell = truncate(cell, m)
			}
			widths[i] = max(widths[i], uniseg.StringWidth(cell))
		}
	}
	if width > 0 {
		total := uniseg.StringWidth(indent) + 2*(n-1)
		for _, cw := range widths {
			total += cw
		}
		// A cell at a time, from the column that gives first, then the widest.
		for total > width {
			next := -1
			for i, cw := range widths {
				c := col(i)
				if c.min == 0 || cw <= c.min {
					continue
				}
				if next < 0 || c.give > col(next).give || c.give == col(next).give && cw > widths[next] {
					next = i
				}
			}
			if next < 0 {
				break
			}
			widths[next]--
			total--
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, cell := range row {
			cell = truncate(cell, widths[i])
			last := i == len(row)-1
			pad := widths[i] - uniseg.StringWidth(cell)
			right := col(i).right
			if right {
				b.WriteString(strings.Repeat(" ", pad))
			}
			b.WriteString(cell)
			if !right && !last {
				b.WriteString(strings.Repeat(" ", pad))
			}
			if !last {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// truncate cuts s to at most width terminal cells, ending it with "…"
// when cut; it never splits a grapheme cluster.
func truncate(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if used+g.Width() > width-1 {
			break
		}
		b.WriteString(g.Str())
		used += g.Width()
	}
	return strings.TrimRight(b.String(), " ") + "…"
}

// plural says "1 story", "2 stories".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// unknown stands in a table cell for what is not known, so the column
// keeps its shape.
const unknown = "—"

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func outlets(names []string) string {
	if len(names) == 0 {
		return "outlet unknown"
	}
	return strings.Join(names, ", ")
}

// dateRange gives a story's days: one date, "first – last", or "—".
func dateRange(first, last time.Time) string {
	switch {
	case first.IsZero():
		return unknown
	case first.Format(time.DateOnly) == last.Format(time.DateOnly):
		return first.Format(time.DateOnly)
	}
	return first.Format(time.DateOnly) + " – " + last.Format(time.DateOnly)
}

// when formats a publication time in its own zone, or "—" when unknown.
func when(t time.Time) string {
	if t.IsZero() {
		return unknown
	}
	return t.Format("2006-01-02 15:04 -07:00")
}
