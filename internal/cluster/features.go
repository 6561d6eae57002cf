package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/words"
)

// Weights given to a term occurrence by where it stands. Titles state the
// event; names, places and numbers are what tell two events of one kind apart.
//
// Name-like words count both as plain terms and as separate "#name" entries,
// which weighs them up.
const (
	titleWeight = 2.0
	nameWeight  = 1.0
	// maxTerms caps an article's features so storage and comparison stay small.
	maxTerms = 400
)

// Features are what clustering needs to know of an article.
type Features struct {
	// Terms are weighted term counts: body and title words, plus "#"-prefixed
	// entries for name-like words, numbers and adjacent name pairs.
	Terms     map[string]float32
	Published time.Time
	// Stated are the past periods the text names (statedPeriods): a
	// report that names when something happened may follow up on what
	// happened then, however long ago.
	Stated []Period
}

// Extract computes an article's features. It never fails: odd input only
// yields fewer terms.
func Extract(title, text, language string, published time.Time) Features {
	en := language == "" || strings.HasPrefix(strings.ToLower(language), "en")
	terms := make(map[string]float32)
	// Title capitals are unreliable (headline case, all caps), so names are
	// detected in the body only.
	titleToks, textToks := tokenize(title), tokenize(text)
	addTokens(terms, titleToks, titleWeight, en, false)
	addTokens(terms, textToks, 1, en, true)
	if len(terms) > maxTerms {
		terms = topTerms(terms, maxTerms)
	}
	f := Features{Terms: terms, Published: published}
	if !published.IsZero() {
		f.Stated = statedPeriods(published, titleToks, textToks)
	}
	return f
}

// token is one word of a text, with what the name detection needs.
type token struct {
	text       string // lowercased
	capital    bool   // starts with an upper-case letter
	sentStart  bool   // first word of a sentence or paragraph
	breakAfter bool   // punctuation follows, ending a multiword name
}

func addTokens(terms map[string]float32, toks []token, w float32, en, names bool) {
	var run []string // current sequence of name-like words
	flush := func() {
		if len(run) >= 2 {
			// Joined pairs keep "New York" apart from "new" and "york".
			for i := 0; i+1 < len(run); i++ {
				terms[string(namePrefix)+run[i]+" "+run[i+1]] += w * nameWeight
			}
		}
		run = run[:0]
	}
	for _, t := range toks {
		stop := en && isStopword(t.text)
		if !stop && keepToken(t.text) {
			terms[t.text] += w
		}
		if !names {
			continue
		}
		nameLike := t.capital && !stop && !t.sentStart && utf8.RuneCountInString(t.text) > 1
		if nameLike || isNumber(t.text) && utf8.RuneCountInString(t.text) > 1 {
			terms[string(namePrefix)+t.text] += w * nameWeight
		}
		// A capitalised sentence opener may still continue into a name run
		// ("Police in Varnholm" vs "Port Ellery police").
		if t.capital && !stop {
			run = append(run, t.text)
		} else {
			flush()
		}
		if t.breakAfter {
			flush()
		}
	}
	flush()
}

// namePrefix marks name-like entries in Features.Terms; it cannot occur in
// a token.
const namePrefix = '#'

func isNumber(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// keepToken drops single letters and one-digit numbers, which say nothing
// about an event; single Han, kana, Hangul and Thai characters stay.
func keepToken(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n < len(s) || words.IsUnspaced(r) || isRuneGrams(r)
}

// tokenize turns the words of s (words.Tokens) into cluster tokens: lower
// case, contractions spelled out, numbers without thousands separators, and
// runs of Han and kana characters and Hangul and Thai words as character
// bigrams so that a word meets its inflected or particle-bearing forms and
// an unspaced run its words. The punctuation between two words tells where
// a name run or a sentence ends.
func tokenize(s string) []token {
	ts := words.Tokens(s)
	out := make([]token, 0, len(ts))
	sentStart := true
	end := 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		brk, sent := gapBreaks(s[end:t.Start])
		if brk && len(out) > 0 {
			out[len(out)-1].breakAfter = true
		}
		sentStart = sentStart || sent
		end = t.End
		kind := bigrams(t)
		switch {
		case t.Kind == words.Number:
			num := strings.ReplaceAll(t.Text, ",", "")
			if i+1 < len(ts) && ts[i+1].Start == t.End && bigrams(ts[i+1]) == 0 {
				// A number with letters glued on ("11th", "76ers") names one
				// thing: a term of its own, not the bare number.
				i++
				end = ts[i].End
				out = appendWord(out, ts[i], num, sentStart)
				break
			}
			out = append(out, token{text: num, sentStart: sentStart})
		case kind == unspaced:
			// Adjacent characters make one run.
			j := i + 1
			for j < len(ts) && ts[j].Start == ts[j-1].End && bigrams(ts[j]) == unspaced {
				j++
			}
			if j == i+1 {
				out = append(out, token{text: t.Text, breakAfter: true})
			}
			for k := i; k+1 < j; k++ {
				out = append(out, token{text: s[ts[k].Start:ts[k+1].End], breakAfter: true})
			}
			end = ts[j-1].End
			i = j - 1
		case kind == runeGrams:
			out = appendBigrams(out, t.Text)
		default:
			out = appendWord(out, t, "", sentStart)
		}
		sentStart = false
	}
	return out
}

// Kinds of word that clustering cuts into character bigrams.
const (
	unspaced  = 1 + iota // a Han or kana character (words.IsUnspaced)
	runeGrams            // a Hangul word, particles attached, or a Thai run
)

// bigrams tells which kind of word t is cut into bigrams, or 0 for a word
// taken whole (and for a number).
func bigrams(t words.Token) int {
	if t.Kind != words.Word {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	switch {
	case words.IsUnspaced(r):
		return unspaced
	case isRuneGrams(r):
		return runeGrams
	}
	return 0
}

func isRuneGrams(r rune) bool { return unicode.In(r, unicode.Hangul, unicode.Thai) }

// appendWord adds the terms of a word token: its parts when it is a
// compound, which the dev figures prefer to whole compounds ("first-degree"
// meets "first degree"), contractions spelled out, prefix (a number the
// word is glued to) before the first.
func appendWord(out []token, t words.Token, prefix string, sentStart bool) []token {
	parts := []words.Token{t}
	if strings.IndexByte(t.Text, '-') >= 0 {
		parts = words.Parts(t)
	}
	for k, p := range parts {
		low := words.Norm(p.Text)
		r, _ := utf8.DecodeRuneInString(p.Text)
		first := sentStart && k == 0
		if k == 0 && prefix != "" {
			low, r = prefix+low, '0'
		}
		if strings.IndexByte(low, '\'') < 0 {
			out = append(out, token{text: low, capital: unicode.IsUpper(r), sentStart: first})
			continue
		}
		for e, w := range words.Expand(low) {
			out = append(out, token{text: w, capital: unicode.IsUpper(r) && e == 0, sentStart: first && e == 0})
		}
	}
	return out
}

// appendBigrams adds the rune bigrams of w (w itself when it is one rune).
func appendBigrams(out []token, w string) []token {
	if utf8.RuneCountInString(w) == 1 {
		return append(out, token{text: w, breakAfter: true})
	}
	for i := 0; i < len(w); {
		_, a := utf8.DecodeRuneInString(w[i:])
		if i+a >= len(w) {
			break
		}
		_, b := utf8.DecodeRuneInString(w[i+a:])
		out = append(out, token{text: w[i : i+a+b], breakAfter: true})
		i += a
	}
	return out
}

// gapBreaks reads the text between two words: brk when punctuation there
// ends a name run, sent when it also ends a sentence or clause.
func gapBreaks(gap string) (brk, sent bool) {
	for i := 0; i < len(gap); {
		c := gap[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '.', '!', '?', '\n', ';', ':':
				return true, true
			case '"', '(', ')', ',', '-', '/':
				brk = true
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(gap[i:])
		i += n
		switch r {
		case '“', '”', '–', '—':
			brk = true
		case '。', '！', '？':
			return true, true
		}
	}
	return brk, false
}

// topTerms keeps the n heaviest terms, ties broken by the term so the result
// does not depend on map order.
func topTerms(terms map[string]float32, n int) map[string]float32 {
	keys := make([]string, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if terms[a] != terms[b] {
			if terms[a] > terms[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	out := make(map[string]float32, n)
	for _, k := range keys[:n] {
		out[k] = terms[k]
	}
	return out
}

// featuresVersion is the first byte of Marshal's output, bumped whenever the
// encoding or the meaning of the terms changes. Version 1 had no stated
// periods; it still decodes, with none.
const featuresVersion = 2

// Marshal encodes features for storage: version, publication time, the
// terms sorted so equal features give equal bytes, then the stated periods
// as their first day (days since 1970) and length in days.
func (f Features) Marshal() []byte {
	b := []byte{featuresVersion}
	if f.Published.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendVarint(b, f.Published.Unix())
		b = binary.AppendUvarint(b, uint64(f.Published.Nanosecond()))
		_, off := f.Published.Zone()
		b = binary.AppendVarint(b, int64(off))
	}
	keys := make([]string, 0, len(f.Terms))
	for k := range f.Terms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f.Terms[k]))
	}
	b = binary.AppendUvarint(b, uint64(len(f.Stated)))
	for _, p := range f.Stated {
		b = appendPeriod(b, p)
	}
	return b
}

var errTruncated = errors.New("truncated")

// UnmarshalFeatures decodes what Marshal wrote.
func UnmarshalFeatures(b []byte) (Features, error) {
	var f Features
	if len(b) < 2 {
		return f, fmt.Errorf("cluster: decode features: %w", errTruncated)
	}
	version := b[0]
	if version != 1 && version != featuresVersion {
		return f, fmt.Errorf("cluster: decode features: unknown version %d", version)
	}
	dated := b[1]
	b = b[2:]
	switch dated {
	case 0:
	case 1:
		sec, n := binary.Varint(b)
		if n <= 0 {
			return f, fmt.Errorf("cluster: decode features: time: %w", errTruncated)
		}
		b = b[n:]
		nsec, n := binary.Uvarint(b)
		if n <= 0 || nsec >= 1e9 {
			return f, fmt.Errorf("cluster: decode features: bad nanoseconds")
		}
		b = b[n:]
		off, n := binary.Varint(b)
		if n <= 0 || off < -24*3600 || off > 24*3600 {
			return f, fmt.Errorf("cluster: decode features: bad zone offset")
		}
		b = b[n:]
		t := time.Unix(sec, int64(nsec))
		if off == 0 {
			t = t.UTC()
		} else {
			t = t.In(time.FixedZone("", int(off)))
		}
		f.Published = t
	default:
		return f, fmt.Errorf("cluster: decode features: bad date flag %d", dated)
	}
	count, n := binary.Uvarint(b)
	if n <= 0 {
		return f, fmt.Errorf("cluster: decode features: term count: %w", errTruncated)
	}
	b = b[n:]
	// Each term takes at least 5 bytes, which bounds the allocation.
	if count > uint64(len(b)/5) {
		return f, fmt.Errorf("cluster: decode features: %d terms in %d bytes: %w", count, len(b), errTruncated)
	}
	f.Terms = make(map[string]float32, count)
	for i := uint64(0); i < count; i++ {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) || uint64(len(b)-n)-l < 4 {
			return f, fmt.Errorf("cluster: decode features: term %d: %w", i, errTruncated)
		}
		b = b[n:]
		k := string(b[:l])
		w := math.Float32frombits(binary.LittleEndian.Uint32(b[l:]))
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) || w < 0 {
			return f, fmt.Errorf("cluster: decode features: term %q: bad weight", k)
		}
		f.Terms[k] = w
		b = b[l+4:]
	}
	if version >= 2 {
		count, n := binary.Uvarint(b)
		if n <= 0 || count > maxStated {
			return f, fmt.Errorf("cluster: decode features: stated periods: %w", errTruncated)
		}
		b = b[n:]
		for i := uint64(0); i < count; i++ {
			p, rest, err := readPeriod(b)
			if err != nil {
				return f, fmt.Errorf("cluster: decode features: stated period %d: %w", i, err)
			}
			f.Stated, b = append(f.Stated, p), rest
		}
	}
	if len(b) != 0 {
		return f, fmt.Errorf("cluster: decode features: %d trailing bytes", len(b))
	}
	return f, nil
}
