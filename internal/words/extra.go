package words

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is a content word or number of a text as Content gives it, with the
// token it came from.
type Term struct {
	// Stem is the comparable form, the same string Content returns.
	Stem       string
	Start, End int
	Kind       Kind
	// Cap says the token opens with an upper-case letter.
	Cap bool
}

// Terms returns the content terms of s in order (Content is their stems),
// each with its token's offsets. A contraction's words share its token.
func Terms(s string) []Term {
	var out []Term
	for _, t := range Tokens(s) {
		if t.Kind == Number {
			out = append(out, Term{strings.ReplaceAll(t.Text, ",", ""), t.Start, t.End, Number, false})
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Text)
		c := unicode.IsUpper(r)
		for _, w := range Expand(Norm(t.Text)) {
			if !IsStop(w) {
				out = append(out, Term{Stem(w), t.Start, t.End, Word, c})
			}
		}
	}
	return out
}

// calendar names months and days (normalised, with common abbreviations),
// the words a date is made of.
var calendar = Set(`january february march april may june july august september october
	november december jan feb mar apr jun jul aug sep sept oct nov dec
	monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun`)

// IsCalendar says whether a normalised word names a month or a weekday.
// "may", "march", "sun" and "sat" are also ordinary words: callers should
// use it where a date is plausible (next to a number, or capitalised).
func IsCalendar(w string) bool { return calendar[w] }

// irregular maps irregular past forms and plurals, which Stem leaves
// alone, to their base so that "made" meets "make" and "went" meets "go",
// and the abbreviations of months and days that mean nothing else to the
// full name ("mar", "sat" and "wed" are words too, so they stay).
var irregular = func() map[string]string {
	m := map[string]string{}
	for _, row := range strings.Fields(`make:made go:went,gone take:took,taken give:gave,given
		come:came see:saw,seen know:knew,known think:thought bring:brought buy:bought
		build:built feel:felt find:found hold:held keep:kept lose:lost mean:meant meet:met
		pay:paid run:ran send:sent spend:spent stand:stood teach:taught understand:understood
		win:won write:wrote,written begin:began,begun choose:chose,chosen fall:fell,fallen
		grow:grew,grown rise:rose,risen speak:spoke,spoken break:broke,broken drive:drove,driven
		eat:ate,eaten forget:forgot,forgotten sell:sold catch:caught fight:fought seek:sought
		hear:heard become:became get:got,gotten strike:struck,stricken tell:told
		man:men woman:women child:children
		january:jan february:feb april:apr june:jun july:jul august:aug september:sep,sept
		october:oct november:nov december:dec tuesday:tue,tues thursday:thu,thur,thurs friday:fri`) {
		base, forms, ok := strings.Cut(row, ":")
		if !ok {
			continue
		}
		for _, f := range strings.Split(forms, ",") {
			m[f] = base
		}
	}
	return m
}()

// Base maps an irregular form (a stem from Content or Terms) to its base
// word, and returns any other stem as it is.
func Base(stem string) string {
	if b, ok := irregular[stem]; ok {
		return b
	}
	return stem
}
