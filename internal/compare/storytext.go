package compare

import (
	"math"
	"regexp"
	"unicode"

	"github.com/dossiernews/dossier/internal/words"
)

// storyText indexes the sentences of a story's reports by content term, so
// that a sentence or a quote finds its counterparts without comparing every
// pair. Term weights are rarities over the story's sentences.
type storyText struct {
	sents []sentUnit
	// first[r] is the index of report r's first sentence; first[len] = len(sents).
	first []int
	ids   map[string]int32
	df    []int32   // sentences holding the term
	w     []float64 // the term's weight
	post  [][]int32 // term → sentences holding it, in order
	name  []bool    // the term reads as a name (mostly capitalised mid-sentence)
	num   []bool    // the term is a number
	cal   []bool    // the term names a month or a weekday
}

type sentUnit struct {
	rep        int
	start, end int
	// terms are the sentence's distinct terms, in order of first use.
	terms []int32
	// toks are its content terms in order, with article offsets.
	toks []sentTerm
}

type sentTerm struct {
	id         int32
	start, end int
}

func newStoryText(reports []Report) *storyText {
	st := &storyText{ids: map[string]int32{}}
	var capMid, lowMid []int32
	for ri, r := range reports {
		st.first = append(st.first, len(st.sents))
		text := r.Article.Text
		for _, sp := range words.Sentences(text) {
			su := sentUnit{rep: ri, start: sp.Start, end: sp.End}
			seen := map[int32]bool{}
			sent := text[sp.Start:sp.End]
			skip := datelineEnd(sent)
			for k, tm := range words.Terms(sent) {
				if tm.Start < skip {
					continue
				}
				stem := words.Base(tm.Stem)
				id, ok := st.ids[stem]
				if !ok {
					id = int32(len(st.df))
					st.ids[stem] = id
					st.df = append(st.df, 0)
					st.post = append(st.post, nil)
					capMid = append(capMid, 0)
					lowMid = append(lowMid, 0)
				}
				su.toks = append(su.toks, sentTerm{id, sp.Start + tm.Start, sp.Start + tm.End})
				if tm.Kind == words.Word && (k > 0 || hasLetterIn(sent[:tm.Start])) {
					if tm.Cap {
						capMid[id]++
					} else {
						lowMid[id]++
					}
				}
				if !seen[id] {
					seen[id] = true
					su.terms = append(su.terms, id)
					st.df[id]++
					st.post[id] = append(st.post[id], int32(len(st.sents)))
				}
			}
			st.sents = append(st.sents, su)
		}
	}
	st.first = append(st.first, len(st.sents))
	n := float64(len(st.sents))
	st.w = make([]float64, len(st.df))
	st.name = make([]bool, len(st.df))
	st.num = make([]bool, len(st.df))
	st.cal = make([]bool, len(st.df))
	for stem, id := range st.ids {
		st.num[id] = stem != "" && stem[0] >= '0' && stem[0] <= '9'
		st.cal[id] = words.IsCalendar(stem)
	}
	for id, df := range st.df {
		st.w[id] = math.Log(1 + n/float64(df))
		st.name[id] = capMid[id] > lowMid[id]
	}
	return st
}

// weight is the rarity of a term given as a stem; a term the story's text
// never holds (a quote whose offsets disagree with the text) counts as rare.
func (st *storyText) weight(stem string) float64 {
	if id, ok := st.ids[stem]; ok {
		return st.w[id]
	}
	return math.Log(1 + float64(len(st.sents)+1))
}

// dateline matches the place line a report opens with: a place in
// capitals, perhaps a date, perhaps the outlet in brackets, then a dash
// ("HARBOURTON, May 2 (Coast Wire) - ").
var dateline = regexp.MustCompile(`^\p{Lu}[\p{Lu}.'’-]+(?:[ \t]+\p{Lu}[\p{Lu}.'’-]*){0,3}(?:,[^()\n]{1,30}?)?[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*[-–—]+[ \t]+`)

// datelineEnd is where a sentence's opening dateline ends, or 0. Its words
// are furniture: they say who ran the report, not what happened.
func datelineEnd(sent string) int {
	if m := dateline.FindStringIndex(sent); m != nil {
		return m[1]
	}
	return 0
}

func hasLetterIn(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
