package store

import (
	"fmt"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ident"
)

// This file is what every backend's Resolve agrees on: how a typed
// reference is read and how an ambiguous prefix is reported.

// Letter is the letter IDs of this kind begin with.
func (k Kind) Letter() string {
	if k == KindStory {
		return ident.StoryPrefix
	}
	return ident.ArticlePrefix
}

// ShownCandidates is how many IDs an ambiguity error lists; a backend asks
// for one more, to know that there are more.
const ShownCandidates = 5

// RefForms lists the readings of a typed reference to try, in order and
// without repeats: literally, then lower-cased when that is the kind's
// letter and hex digits, then as bare hex digits with the letter added.
func RefForms(ref string, k Kind) []string {
	letter := k.Letter()
	forms := []string{ref}
	add := func(f string) {
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	lower := strings.ToLower(ref)
	if strings.HasPrefix(lower, letter) && isHex(lower[len(letter):]) {
		add(lower)
	}
	if isHex(lower) {
		add(letter + lower)
	}
	return forms
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// PrefixEnd is the least string greater than every string starting with
// p, for a range scan; ok is false when there is none (p is all 0xff).
func PrefixEnd(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// Candidates judges the IDs a prefix found, in ID order (up to
// ShownCandidates+1): found for exactly one, an error wrapping
// ErrAmbiguous listing them for several.
func Candidates(cands []string) (id string, found bool, err error) {
	switch len(cands) {
	case 0:
		return "", false, nil
	case 1:
		return cands[0], true, nil
	}
	list := strings.Join(cands[:min(len(cands), ShownCandidates)], ", ")
	if len(cands) > ShownCandidates {
		list += ", ..."
	}
	return "", false, fmt.Errorf("%w: %s", ErrAmbiguous, list)
}

// GivenName is the speaker as the article names them: what RenameSpeakers
// maps from.
func GivenName(q dossier.Quote) string {
	if q.Given != "" {
		return q.Given
	}
	return q.Speaker
}
