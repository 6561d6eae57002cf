package query

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// SnippetSize is about how many bytes a snippet holds.
const SnippetSize = 200

// ellipsis marks text cut from a snippet.
const ellipsis = "…"

// match is a term found in a text: its byte range and which term.
type match struct{ start, end, term int }

// Marks returns the byte ranges of text where q's positive terms match, in
// order and not overlapping: what a caller highlights. Filters and excluded
// terms mark nothing.
func Marks(text string, q Query) [][2]int {
	ms := matches(text, q.Positive())
	if len(ms) == 0 {
		return nil
	}
	out := make([][2]int, len(ms))
	for i, m := range ms {
		out[i] = [2]int{m.start, m.end}
	}
	return out
}

// normToken is a token of the stream with the byte range of the text it
// came from (several share one when a normal form cuts again).
type normToken struct {
	text       string
	start, end int
}

func stream(text string) []normToken {
	ts := words.Tokens(text)
	out := make([]normToken, 0, len(ts))
	var buf []string
	for _, t := range ts {
		buf = appendNorm(buf[:0], t.Text, 3)
		for _, n := range buf {
			out = append(out, normToken{n, t.Start, t.End})
		}
	}
	return out
}

// matches finds every occurrence of terms in text, sorted, overlaps merged
// into the earlier one.
func matches(text string, terms []Term) []match {
	if len(terms) == 0 {
		return nil
	}
	toks := stream(text)
	var ms []match
	for i := range toks {
		for ti, t := range terms {
			if termAt(toks, i, t) {
				ms = append(ms, match{toks[i].start, toks[i+len(t.Tokens)-1].end, ti})
			}
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, m.end)
			continue
		}
		out = append(out, m)
	}
	return out
}

func termAt(toks []normToken, i int, t Term) bool {
	if i+len(t.Tokens) > len(toks) {
		return false
	}
	last := len(t.Tokens) - 1
	for k, w := range t.Tokens {
		got := toks[i+k].text
		if k == last && t.Prefix {
			if !strings.HasPrefix(got, w) {
				return false
			}
		} else if got != w {
			return false
		}
	}
	return true
}

// Snippet picks the passage of text that best shows why it matched q: the
// run of whole sentences within SnippetSize with the most distinct terms
// (then the most matches, then the earliest), widened back while it fits,
// or a sentence longer than that cut around its first match. Text without a match gives its opening. It
// returns the passage, with an ellipsis where text was cut, and the byte
// ranges of the passage to highlight. It never returns markup.
func Snippet(text string, q Query) (string, [][2]int) {
	ms := matches(text, q.Positive())
	sents := words.Sentences(text)
	if len(sents) == 0 {
		return "", nil
	}
	// The passage of whole sentences within SnippetSize (one sentence at
	// least) with the most distinct terms, then the most matches, the
	// earliest on a tie.
	best, bestEnd, bestTerms, bestHits := 0, 0, -1, -1
	for i := range sents {
		j := i
		for j+1 < len(sents) && sents[j+1].End-sents[i].Start <= SnippetSize {
			j++
		}
		seen := map[int]bool{}
		hits := 0
		for _, m := range ms {
			if m.start >= sents[i].Start && m.end <= sents[j].End {
				seen[m.term] = true
				hits++
			}
		}
		if len(seen) > bestTerms || (len(seen) == bestTerms && hits > bestHits) {
			best, bestEnd, bestTerms, bestHits = i, j, len(seen), hits
		}
	}
	span := words.Span{Start: sents[best].Start, End: sents[bestEnd].End}
	for j := best - 1; j >= 0 && span.End-sents[j].Start <= SnippetSize; j-- {
		span.Start = sents[j].Start
	}
	if span.End-span.Start > SnippetSize {
		span = cut(text, span, ms)
	}
	var sb strings.Builder
	var marks [][2]int
	if span.Start > 0 {
		sb.WriteString(ellipsis)
	}
	shift := sb.Len() - span.Start
	// Line breaks become spaces, byte for byte, so marks stay put.
	sb.WriteString(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, text[span.Start:span.End]))
	if span.End < len(text) {
		sb.WriteString(ellipsis)
	}
	for _, m := range ms {
		if m.start >= span.Start && m.end <= span.End {
			marks = append(marks, [2]int{m.start + shift, m.end + shift})
		}
	}
	return sb.String(), marks
}

// cut narrows a long span to about SnippetSize bytes on word boundaries,
// starting a little before its first match.
func cut(text string, span words.Span, ms []match) words.Span {
	from := span.Start
	for _, m := range ms {
		if m.start >= span.Start && m.end <= span.End {
			from = max(span.Start, m.start-SnippetSize/4)
			break
		}
	}
	to := min(span.End, from+SnippetSize)
	// On word boundaries: back to a space, never inside a character.
	if from > span.Start {
		if i := strings.IndexByte(text[from:to], ' '); i >= 0 {
			from += i + 1
		}
	}
	if to < span.End {
		if i := strings.LastIndexByte(text[from:to], ' '); i > 0 {
			to = from + i
		} else {
			for to > from && !utf8.RuneStart(text[to]) {
				to--
			}
		}
	}
	for from < to && !utf8.RuneStart(text[from]) {
		from++
	}
	return words.Span{Start: from, End: to}
}
