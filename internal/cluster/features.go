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
}

// Extract computes an article's features. It never fails: odd input only
// yields fewer terms.
func Extract(title, text, language string, published time.Time) Features {
	en := language == "" || strings.HasPrefix(strings.ToLower(language), "en")
	terms := make(map[string]float32)
	// Title capitals are unreliable (headline case, all caps), so names are
	// detected in the body only.
	addTokens(terms, title, titleWeight, en, false)
	addTokens(terms, text, 1, en, true)
	if len(terms) > maxTerms {
		terms = topTerms(terms, maxTerms)
	}
	return Features{Terms: terms, Published: published}
}

// token is one word of a text, with what the name detection needs.
type token struct {
	text       string // lowercased
	capital    bool   // starts with an upper-case letter
	sentStart  bool   // first word of a sentence or paragraph
	breakAfter bool   // punctuation follows, ending a multiword name
}

func addTokens(terms map[string]float32, s string, w float32, en, names bool) {
	toks := tokenize(s)
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
// about an event; CJK bigrams and longer numbers stay.
func keepToken(s string) bool {
	n := utf8.RuneCountInString(s)
	if n >= 2 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isCJK(r)
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai)
}

// tokenize splits on anything but Unicode letters, digits and marks; numbers
// keep inner separators ("6.1", "1,200") and CJK runs become bigrams.
func tokenize(s string) []token {
	var out []token
	sentStart := true
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isCJK(r) {
			j := i
			var runes []rune
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !isCJK(r2) {
					break
				}
				runes = append(runes, r2)
				j += sz
			}
			if len(runes) == 1 {
				out = append(out, token{text: string(runes), breakAfter: true})
			}
			for k := 0; k+1 < len(runes); k++ {
				out = append(out, token{text: string(runes[k : k+2]), breakAfter: true})
			}
			i = j
			sentStart = false
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			switch r {
			case '.', '!', '?', '\n', ';', ':', '"', '“', '”', '(', ')':
				sentStart = sentStart || r != '"' && r != '“' && r != '”' && r != '(' && r != ')'
				if len(out) > 0 {
					out[len(out)-1].breakAfter = true
				}
			case ',', '-', '–', '—', '/':
				if len(out) > 0 {
					out[len(out)-1].breakAfter = true
				}
			}
			i += size
			continue
		}
		j := i
		digits := unicode.IsDigit(r)
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r2) && !isCJK(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2) {
				j += sz
				continue
			}
			// Keep 6.1 and 1,200 whole: a separator between two digits.
			if digits && (r2 == '.' || r2 == ',') && j+sz < len(s) {
				r3, _ := utf8.DecodeRuneInString(s[j+sz:])
				if unicode.IsDigit(r3) {
					j += sz
					continue
				}
			}
			break
		}
		word := s[i:j]
		if r == '\'' {
			word = strings.TrimLeft(word, "'")
		}
		out = append(out, token{
			text:      strings.ToLower(strings.ReplaceAll(word, ",", "")),
			capital:   unicode.IsUpper(r),
			sentStart: sentStart,
		})
		sentStart = false
		i = j
	}
	return out
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
// encoding or the meaning of the terms changes.
const featuresVersion = 1

// Marshal encodes features for storage: version, publication time, then the
// terms sorted so equal features give equal bytes.
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
	return b
}

var errTruncated = errors.New("truncated")

// UnmarshalFeatures decodes what Marshal wrote.
func UnmarshalFeatures(b []byte) (Features, error) {
	var f Features
	if len(b) < 2 {
		return f, fmt.Errorf("cluster: decode features: %w", errTruncated)
	}
	if b[0] != featuresVersion {
		return f, fmt.Errorf("cluster: decode features: unknown version %d", b[0])
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
	if len(b) != 0 {
		return f, fmt.Errorf("cluster: decode features: %d trailing bytes", len(b))
	}
	return f, nil
}
