package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/store"
)

// maxCandidates bounds the list printed for an ambiguous prefix.
const maxCandidates = 10

// resolve turns what a person typed (a whole ID, a unique prefix, an old
// ID) into the current ID of an article or story. When a prefix names
// several, the error lists them.
func resolve(ctx context.Context, st store.Store, kind store.Kind, ref string) (string, error) {
	id, err := st.Resolve(ctx, kind, ref)
	switch {
	case err == nil:
		return id, nil
	case errors.Is(err, store.ErrNotFound):
		hint := ""
		switch {
		case kind == store.KindStory && strings.HasPrefix(ref, ident.ArticlePrefix):
			hint = fmt.Sprintf(" (an article's ID? dossier article %s)", ref)
		case kind == store.KindArticle && strings.HasPrefix(ref, ident.StoryPrefix):
			hint = fmt.Sprintf(" (a story's ID? dossier story %s)", ref)
		}
		return "", fmt.Errorf("%s %s: %w%s", kind, ref, store.ErrNotFound, hint)
	case !errors.Is(err, store.ErrAmbiguous):
		return "", fmt.Errorf("%s %s: %w", kind, ref, err)
	}
	cands, cerr := candidates(ctx, st, kind, ref)
	if cerr != nil || len(cands) < 2 {
		return "", fmt.Errorf("%s %s: %w; type more of the ID", kind, ref, store.ErrAmbiguous)
	}
	var b strings.Builder
	width := distinctPrefix(cands)
	for i, c := range cands {
		if i == maxCandidates {
			fmt.Fprintf(&b, "\n  … and %d more", len(cands)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s  %s", c.id[:min(width, len(c.id))], c.title)
	}
	return "", &wordedError{
		msg: fmt.Sprintf("%s %s is ambiguous: %s begin so; type more of the one you mean:%s",
			kind, ref, plural(len(cands), kind.String()+" ID", kind.String()+" IDs"), b.String()),
		err: store.ErrAmbiguous,
	}
}

// wordedError words an error for people and keeps the store's sentinel
// for errors.Is.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }

type candidate struct{ id, title string }

// candidates lists the articles or stories whose ID begins with prefix.
func candidates(ctx context.Context, st store.Store, kind store.Kind, prefix string) ([]candidate, error) {
	var out []candidate
	if kind == store.KindStory {
		stories, err := st.Stories(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range stories {
			if strings.HasPrefix(s.ID, prefix) {
				out = append(out, candidate{s.ID, s.Title})
			}
		}
	} else {
		err := st.Articles(ctx, func(a dossier.Article) error {
			if strings.HasPrefix(a.ID, prefix) {
				out = append(out, candidate{a.ID, a.Title})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b candidate) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

// distinctPrefix is the shortest length, at least the usual short ID's,
// at which the sorted candidates' IDs all differ.
func distinctPrefix(cands []candidate) int {
	width := ident.Short
	for i := 1; i < len(cands); i++ {
		a, b := cands[i-1].id, cands[i].id
		n := 0
		for n < len(a) && n < len(b) && a[n] == b[n] {
			n++
		}
		width = max(width, n+1)
	}
	return width
}

// short is an ID as printed for people; "" stays "".
func short(id string) string { return ident.ShortID(id) }
