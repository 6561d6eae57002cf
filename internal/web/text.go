package web

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Segment is a run of an article's text with what marks it.
type Segment struct {
	Text string
	// Quote is the index+1 of the quote it is inside, 0 for none.
	Quote int
	// Mark is true inside the span a link asked to highlight.
	Mark bool
	// Anchor is true on the marked span's first segment.
	Anchor bool
	// Speaker follows the last segment of a quote: who said it.
	Speaker, Role string
}

// Paragraph is one paragraph of an article, cut into segments.
type Paragraph []Segment

// span is a byte range [start, end) of the text.
type span struct{ start, end int }

// paragraphs cuts text at blank lines and marks the quotes and the
// highlighted span. Offsets out of range or off a rune boundary are ignored.
func paragraphs(text string, quotes []QuoteView, mark span) []Paragraph {
	valid := func(s, e int) bool { return s >= 0 && e <= len(text) && s < e && slice(text, s, e) != "" }
	cuts := []int{}
	// chip is where each quote's speaker is shown: after the closing
	// quotation mark and the punctuation around it, when they follow.
	chip := make([]int, len(quotes))
	for i, q := range quotes {
		if valid(q.Start, q.End) {
			chip[i] = closing(text, q.End)
			cuts = append(cuts, q.Start, q.End, chip[i])
		}
	}
	markOK := valid(mark.start, mark.end)
	if markOK {
		cuts = append(cuts, mark.start, mark.end)
	}
	var out []Paragraph
	anchored := false
	pos := 0
	for _, p := range strings.Split(text, "\n\n") {
		start, end := pos, pos+len(p)
		pos = end + 2
		if strings.TrimSpace(p) == "" {
			continue
		}
		bounds := []int{start, end}
		for _, c := range cuts {
			if c > start && c < end {
				bounds = append(bounds, c)
			}
		}
		slices.Sort(bounds)
		bounds = slices.Compact(bounds)
		var para Paragraph
		for i := 0; i+1 < len(bounds); i++ {
			s, e := bounds[i], bounds[i+1]
			seg := Segment{Text: text[s:e]}
			for qi, q := range quotes {
				if valid(q.Start, q.End) && q.Start <= s && e <= q.End {
					seg.Quote = qi + 1
					break
				}
			}
			for qi, q := range quotes {
				if valid(q.Start, q.End) && e == chip[qi] {
					seg.Speaker, seg.Role = q.Speaker, q.Role
					break
				}
			}
			if markOK && mark.start <= s && e <= mark.end {
				seg.Mark = true
				if !anchored {
					seg.Anchor, anchored = true, true
				}
			}
			para = append(para, seg)
		}
		out = append(out, para)
	}
	return out
}

// closing is the end of the closing quotation mark after a quote's words
// at end, with punctuation before it ("…fly again,”"); end itself when no
// mark follows within a few characters.
func closing(text string, end int) int {
	i := end
	for n := 0; n < 4 && i < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case strings.ContainsRune("”\"’»」』", r):
			return i + size
		case strings.ContainsRune(",.;:!?…", r):
			i += size
		default:
			return end
		}
	}
	return end
}
