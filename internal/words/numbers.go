package words

import (
	"strconv"
	"strings"
)

// Amount is a cardinal number read from tokens: its value, the tokens it
// spans and how finely it is stated.
type Amount struct {
	Value float64
	// First and Last index the tokens read, Last included.
	First, Last int
	// Start and End are the byte offsets of the whole number phrase.
	Start, End int
	// Step is the unit of the last digit stated: 1 for "14", 100 for
	// "2,400", 0.1 million for "2.3 million". A reader takes the number as
	// exact to within half a step.
	Step float64
	// Spelled is true for a number written in words ("three", "a dozen").
	Spelled bool
}

var smallNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tensNumbers = map[string]float64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// scales multiply the number before them ("2.3 million", "three hundred").
var scales = map[string]float64{
	"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"dozen": 12,
}

// scaleSuffixes are the short scales written against the digits ("$2.3m",
// "€4bn", "5k").
var scaleSuffixes = map[string]float64{"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}

// ordinalSuffixes turn digits into an ordinal ("21st").
var ordinalSuffixes = map[string]bool{"st": true, "nd": true, "rd": true, "th": true}

// ReadNumber reads the cardinal number that starts at toks[i] in text (the
// string toks were cut from): digits ("2,014", "2.3"), number words
// ("three", "twenty-one", "a dozen"), each optionally scaled ("2.3
// million", "$4bn", "two hundred"). Ordinals ("21st", "third") and digits
// glued to a word ("COVID-19", "G7") are not cardinals.
func ReadNumber(text string, toks []Token, i int) (Amount, bool) {
	if i < 0 || i >= len(toks) {
		return Amount{}, false
	}
	t := toks[i]
	a := Amount{First: i, Last: i, Start: t.Start, End: t.End}
	switch t.Kind {
	case Number:
		if t.Start > 0 && glued(text[t.Start-1]) {
			return Amount{}, false
		}
		v, step, ok := ParseDigits(t.Text)
		if !ok {
			return Amount{}, false
		}
		a.Value, a.Step = v, step
		if i+1 < len(toks) && toks[i+1].Start == t.End {
			suffix := Norm(toks[i+1].Text)
			if ordinalSuffixes[suffix] {
				return Amount{}, false
			}
			if m, ok := scaleSuffixes[suffix]; ok {
				a.Value, a.Step = a.Value*m, a.Step*m
				a.Last, a.End = i+1, toks[i+1].End
			} else {
				return Amount{}, false // "3D", "5G"
			}
		}
		if t.End < len(text) && text[t.End] == '-' && i+1 < len(toks) && toks[i+1].Start == t.End+1 && toks[i+1].Kind == Word && !isScale(toks[i+1].Text) {
			return a, true // "34-year-old": the caller reads the compound
		}
	default:
		w := Norm(t.Text)
		v, ok := spelled(w)
		switch {
		case ok:
		case (w == "a" || w == "an") && i+1 < len(toks) && isScale(toks[i+1].Text):
			v = 1
		default:
			return Amount{}, false
		}
		a.Value, a.Step, a.Spelled = v, 1, true
	}
	for j := a.Last + 1; j < len(toks); j++ {
		w := Norm(toks[j].Text)
		m, ok := scales[w]
		if !ok || !spaceOnly(text[toks[j-1].End:toks[j].Start]) {
			break
		}
		if w == "dozen" && a.Value >= 12 && !a.Spelled {
			break
		}
		a.Value *= m
		a.Step *= m
		if w == "dozen" {
			a.Step = 2 // "a dozen" is a round figure
		}
		a.Last, a.End = j, toks[j].End
	}
	return a, true
}

// Spelled reads a number word ("seven", "twenty-one"); it reads no scale.
func spelled(w string) (float64, bool) {
	if v, ok := smallNumbers[w]; ok {
		return v, true
	}
	if v, ok := tensNumbers[w]; ok {
		return v, true
	}
	if tens, unit, ok := strings.Cut(w, "-"); ok {
		t, ok1 := tensNumbers[tens]
		u, ok2 := smallNumbers[unit]
		if ok1 && ok2 && u > 0 && u < 10 {
			return t + u, true
		}
	}
	return 0, false
}

// IsNumberWord says whether a normalised word spells a number or scales one.
func IsNumberWord(w string) bool {
	_, ok := spelled(w)
	return ok || scales[w] > 0
}

func isScale(w string) bool { return scales[Norm(w)] > 0 }

// glued says whether a byte before digits makes them part of a name
// ("COVID-19", "G7", "H.R.1").
func glued(c byte) bool {
	return c == '-' || c == '_' || c == '/' || c == '.' || c == '#' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// ParseDigits reads "2,014", "2.3" or "1500" and the step of its last
// digit. Commas must group thousands; anything else is not a number.
func ParseDigits(s string) (v, step float64, ok bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && strings.ContainsAny(frac, ".,") {
		return 0, 0, false
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, 0, false
			}
		}
		whole = strings.Join(groups, "")
	}
	n, err := strconv.ParseFloat(whole, 64)
	if err != nil {
		return 0, 0, false
	}
	step = 1
	if hasFrac {
		f, err := strconv.ParseFloat("0."+frac, 64)
		if err != nil {
			return 0, 0, false
		}
		n += f
		for range frac {
			step /= 10
		}
	} else if n >= 100 {
		for m := n; m >= 10 && int64(m)%10 == 0; m /= 10 {
			step *= 10
		}
	}
	return n, step, true
}

func spaceOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpaceByte(s[i]) {
			return false
		}
	}
	return true
}
