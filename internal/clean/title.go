package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTitle caps a title, in bytes: long headlines with a site name run to
// about half of it, so anything longer is body text, not a headline.
const maxTitle = 300

// IsHeadline reports whether s can stand as a title as it is: some words,
// not too long, and not just a date or time, a URL, or digits and
// punctuation. It looks at shape only, so it holds for any language.
func IsHeadline(s string) bool {
	s = normLine(s)
	return s != "" && len(s) <= maxTitle && headlineShape(s)
}

// headlineShape is IsHeadline without the length cap.
func headlineShape(s string) bool {
	return hasLetter(s) && !urlShape(s) && !dateShape(s)
}

var (
	reDomain = regexp.MustCompile(`^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(/\S*)?$`)
	// reNumDate needs a year: day.month.version numbers are not dates.
	reNumDate = regexp.MustCompile(`(^|\D)(\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{1,2}[/-]\d{1,2}[/-]\d{2})(\D|$)`)
	reClock   = regexp.MustCompile(`(^|\D)\d{1,2}:\d{2}(\D|$)`)
	reSepGap  = regexp.MustCompile(`\s*([./:-])\s*`)
)

// urlShape reports a URL, a bare domain or a site path standing alone.
func urlShape(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.HasPrefix(l, "/") && len(l) > 1 ||
		strings.Contains(l, "@") || reDomain.MatchString(l)
}

// dateShape reports a line that is only a date or time, told by shape: a
// few digit groups, in a numeric date or clock pattern or a year with a
// day, and at most a few words between them (a month, a weekday, a time
// zone in whatever language). One-letter units between digits (年, 월)
// are free.
func dateShape(s string) bool {
	digits, words, long := 0, 0, 0
	year, day := false, false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsDigit(r):
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i { // a non-ASCII digit: count it on its own
				j = i + n
			}
			digits++
			switch g := s[i:j]; {
			case len(g) == 4:
				year = true
			case len(g) <= 2 && g != "0" && g != "00" && (len(g) == 1 || g <= "31"):
				day = true
			}
			i = j
		case unicode.IsLetter(r):
			runes := 0
			for i < len(s) {
				r, n := utf8.DecodeRuneInString(s[i:])
				if !unicode.IsLetter(r) {
					break
				}
				runes++
				i += n
			}
			if runes > 1 {
				words++
			}
			if runes > 3 {
				long++
			}
		default:
			i += n
		}
		if digits > 8 || words > 4 {
			return false
		}
	}
	if digits < 2 {
		return false
	}
	compact := reSepGap.ReplaceAllString(s, "$1") // "11 / 09 / 2010"
	if reNumDate.MatchString(compact) || reClock.MatchString(compact) {
		return words <= 3 && long <= 2
	}
	return year && day && words <= 2 && digits <= 3
}

// shortTitle caps s at maxTitle bytes: its first sentence if that fits,
// else as many whole words as fit.
func shortTitle(s string) string {
	if len(s) <= maxTitle {
		return s
	}
	if end := sentenceEnd(s[:maxTitle]); end > 0 {
		return s[:end]
	}
	cut := maxTitle
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if sp := strings.LastIndexByte(s[:cut+1], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:-–—")
}

// minSentence keeps abbreviations ("Dr.", "U.S.") from ending a first
// sentence.
const minSentence = 20

// sentenceEnd is the end of the first sentence in s at least minSentence
// bytes long, or 0 when s holds no whole sentence.
func sentenceEnd(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch r {
		case '。', '！', '？':
			if i >= minSentence {
				return i
			}
		case '.', '!', '?':
			if i < minSentence || i >= len(s) || s[i] != ' ' {
				continue
			}
			next, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[i:], " "))
			if unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'“‘«„`, next) || isCJK(next) {
				return i
			}
		}
	}
	return 0
}

// leadTitle finds the title in the text itself: the first line shaped like
// a headline. Lines above it (a date, a URL) are removed, dates as bylines
// for describe. A line too long for a headline is body: it stays, and
// lends the title its first words. It returns the title and the first
// line left to classify.
func leadTitle(lines []string, p *Page) (string, int) {
	for i, l := range lines {
		if !headlineShape(l) {
			continue
		}
		for j, junk := range lines[:i] {
			k := Furniture
			if dateShape(junk) {
				k = Byline
			}
			p.Removed = append(p.Removed, Line{Text: junk, Kind: k, Index: j})
		}
		if len(l) > maxTitle {
			return shortTitle(l), i
		}
		p.Removed = append(p.Removed, Line{Text: l, Kind: Title, Index: i})
		return l, i + 1
	}
	return "", 0
}
