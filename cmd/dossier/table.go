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
}

// writeTable prints rows in aligned columns two spaces apart, measuring
// display width (accents, wide characters), so that a long outlet or an
// unknown date shifts nothing. Cells wider than their column's max are cut
// with "…"; the last column is never padded.
func writeTable(w io.Writer, indent string, cols []column, rows [][]string) {
	widths := make([]int, len(cols))
	cells := make([][]string, len(rows))
	for r, row := range rows {
		cells[r] = make([]string, len(row))
		for i, cell := range row {
			if i < len(cols) && cols[i].max > 0 {
				cell = truncate(cell, cols[i].max)
			}
			cells[r][i] = cell
			if i < len(widths) {
				widths[i] = max(widths[i], uniseg.StringWidth(cell))
			}
		}
	}
	for _, row := range cells {
		var b strings.Builder
		b.WriteString(indent)
		for i, cell := range row {
			last := i == len(row)-1
			pad := 0
			if i < len(widths) {
				pad = widths[i] - uniseg.StringWidth(cell)
			}
			right := i < len(cols) && cols[i].right
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
