package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is one paragraph of the clean text as byte offsets [start, end).
type para struct{ start, end int }

// span is one quotation found in the text. open is the offset of the opening
// mark, close the offset just past the closing mark (or the paragraph end
// when the quote runs on into the next paragraph); [start, end) is the text.
type span struct {
	open, start, end, close int
	par                     int
	// runsOn is true when the quote is not closed in its paragraph because
	// the next paragraph reopens it (multi-paragraph convention).
	runsOn bool
	// continued is true when this paragraph's quote continues one left open
	// in the previous paragraph.
	continued bool
}

// paragraphs splits text into its non-blank lines. Clean text separates
// paragraphs with a blank line and never hard-wraps, and crawl dumps put one
// paragraph on a line, so every line break is taken as a paragraph break.
func paragraphs(text string) []para {
	var out []para
	for lineStart := 0; lineStart <= len(text); {
		nl := strings.IndexByte(text[lineStart:], '\n')
		lineEnd := len(text)
		if nl >= 0 {
			lineEnd = lineStart + nl
		}
		if p := trimPara(text, lineStart, lineEnd); p.start < p.end {
			out = append(out, p)
		}
		if nl < 0 {
			break
		}
		lineStart = lineEnd + 1
	}
	return out
}

func trimPara(text string, s, e int) para {
	s, e = trimRange(text, s, e, false)
	return para{s, e}
}

// trimRange narrows [s,e) of text past leading and trailing white space, and
// trailing commas too when commas is set, keeping byte offsets exact.
func trimRange(text string, s, e int, commas bool) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) && !(commas && r == ',') {
			break
		}
		e -= n
	}
	return s, e
}

// runeBefore returns the rune ending at i, or ' ' at lo (a boundary acts as space).
func runeBefore(text string, lo, i int) rune {
	if i <= lo {
		return ' '
	}
	r, _ := utf8.DecodeLastRuneInString(text[lo:i])
	return r
}

// runeAt returns the rune starting at i and its size, or ' ' at hi.
func runeAt(text string, i, hi int) (rune, int) {
	if i >= hi {
		return ' ', 0
	}
	return utf8.DecodeRuneInString(text[i:hi])
}

func isOpenContext(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("([{—–-/:;“‘\"'„«‹", r)
}

func isDoubleMark(r rune) bool { return strings.ContainsRune("\"“”„«»", r) }

// findSpans finds the quotations of paragraph pi, marking a quote left open
// at the paragraph's end as running on when the next paragraph reopens it.
func findSpans(text string, ps []para, pi int) []span {
	p := ps[pi]
	var out []span
	i := p.start
	for i < p.end {
		r, n := runeAt(text, i, p.end)
		prev := runeBefore(text, p.start, i)
		next, _ := runeAt(text, i+n, p.end)
		switch {
		case r == '"' || r == '“' || r == '„' || r == '«' || (r == '”' && i == p.start):
			if r == '"' && !(isOpenContext(prev) && !unicode.IsSpace(next)) {
				break
			}
			bound := lineBound(text, i+n, p.end)
			j, cn := closeDouble(text, r, i+n, bound)
			if j >= 0 {
				out = append(out, mkSpan(text, i, i+n, j, j+cn, pi))
				i = j + cn
				continue
			}
			if bound < p.end {
				// A new line opening a quote ends this unclosed one.
				sp := mkSpan(text, i, i+n, bound, bound, pi)
				if len(strings.Fields(text[sp.start:sp.end])) >= 3 {
					out = append(out, sp)
				}
				i = bound
				continue
			}
			// Unclosed: the multi-paragraph convention if the next
			// paragraph opens with a mark, else bound to this paragraph.
			sp := mkSpan(text, i, i+n, p.end, p.end, pi)
			if pi+1 < len(ps) {
				nr, _ := runeAt(text, ps[pi+1].start, ps[pi+1].end)
				sp.runsOn = isDoubleMark(nr)
			}
			if sp.runsOn || len(strings.Fields(text[sp.start:sp.end])) >= 3 {
				out = append(out, sp)
			}
			return out
		case r == '‘':
			if !isOpenContext(prev) || !(unicode.IsLetter(next) || unicode.IsDigit(next)) {
				break
			}
			// Single-quoted passages are short; bounding the search
			// keeps a paragraph of stray apostrophes linear.
			j, cn := closeSingle(text, i+n, min(p.end, i+n+maxSingleQuote))
			if j >= 0 && j > i+n {
				out = append(out, mkSpan(text, i, i+n, j, j+cn, pi))
				i = j + cn
				continue
			}
		}
		i += n
	}
	return out
}

// lineBound is where a line inside the paragraph starts with an opening
// double mark: an open quote cannot run past it.
func lineBound(text string, from, hi int) int {
	for i := from; i < hi; {
		nl := strings.IndexByte(text[i:hi], '\n')
		if nl < 0 {
			return hi
		}
		j := i + nl + 1
		for j < hi && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		if r, _ := runeAt(text, j, hi); r == '"' || r == '“' || r == '„' || r == '«' {
			return i + nl
		}
		i = j
	}
	return hi
}

// closeDouble finds the closing mark of a double quote opened with op,
// honouring one level of nested quotes. It returns the mark's offset and size.
func closeDouble(text string, op rune, from, hi int) (int, int) {
	depth := 0
	for j := from; j < hi; {
		r, n := runeAt(text, j, hi)
		prev := runeBefore(text, from, j)
		next, _ := runeAt(text, j+n, hi)
		switch {
		case op == '«' && r == '»':
			return j, n
		case op == '«':
		case r == '”' || (op == '„' && r == '“' && !unicode.IsSpace(prev)):
			if depth > 0 {
				depth--
			} else {
				return j, n
			}
		case r == '“':
			if unicode.IsSpace(prev) || j == from {
				depth++
			} else if depth > 0 {
				depth--
			} else {
				return j, n
			}
		case r == '"':
			opening := isOpenContext(prev) && !unicode.IsSpace(next) && !isCloseFollower(next)
			if opening && j > from {
				depth++
			} else if depth > 0 {
				depth--
			} else if j > from {
				return j, n
			}
		}
		j += n
	}
	return -1, 0
}

// isCloseFollower reports runes that follow a closing mark.
func isCloseFollower(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

// maxSingleQuote bounds, in bytes, how far a single quote may run.
const maxSingleQuote = 1200

// closeSingle finds a closing ’ or ' that is not an apostrophe: preceded by a
// non-space and followed by a non-letter.
func closeSingle(text string, from, hi int) (int, int) {
	for j := from; j < hi; {
		r, n := runeAt(text, j, hi)
		if r == '"' || r == '“' || r == '”' {
			return -1, 0 // a single quote never spans a double mark here
		}
		if r == '’' {
			prev := runeBefore(text, from, j)
			next, _ := runeAt(text, j+n, hi)
			if !unicode.IsSpace(prev) && !unicode.IsLetter(next) && !unicode.IsDigit(next) {
				// "players’ union": a plural possessive, not a close,
				// when a lowercase word follows directly.
				if prev == 's' && next == ' ' {
					nn, _ := runeAt(text, j+n+1, hi)
					if unicode.IsLower(nn) && j+n+1 < hi && !endsClause(text[from:j]) {
						j += n
						continue
					}
				}
				return j, n
			}
		}
		j += n
	}
	return -1, 0
}

func endsClause(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ",") || strings.HasSuffix(s, ".")
}

// mkSpan trims whitespace and a trailing comma from the quoted text: the
// comma before a cue is the writer's punctuation, not the speaker's.
func mkSpan(text string, open, s, e, close, pi int) span {
	s, e = trimRange(text, s, e, true)
	return span{open: open, start: s, end: e, close: close, par: pi}
}
