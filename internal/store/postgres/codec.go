package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// encodeTime is a time as store.Instant, both nil for the zero time
// (unknown): the SQLite backend's layout, so that both order and filter
// alike.
func encodeTime(t time.Time) (instant, offset *int64, err error) {
	if t.IsZero() {
		return nil, nil, nil
	}
	ns, off, err := store.Instant(t)
	if err != nil {
		return nil, nil, err
	}
	return &ns, ptr(int64(off)), nil
}

func decodeTime(instant, offset *int64) (time.Time, error) {
	if instant == nil {
		return time.Time{}, nil
	}
	return store.FromInstant(*instant, int(deref(offset)))
}

// encodeList is a string list as a JSON array; an empty list is NULL.
func encodeList(xs []string) (*string, error) {
	if len(xs) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(xs)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

func decodeList(s *string) ([]string, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	var xs []string
	if err := json.Unmarshal([]byte(*s), &xs); err != nil {
		return nil, fmt.Errorf("stored list %.40q: %w", *s, err)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	return xs, nil
}

// errText says a string cannot be stored as PostgreSQL text.
var errText = errors.New("not storable as text: invalid UTF-8 or a NUL byte")

// checkText refuses what PostgreSQL's text type cannot hold (pairs of
// field name and value), so that the error names the field rather than
// the server's encoding.
func checkText(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if v := fields[i+1]; !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return fmt.Errorf("%s: %w", fields[i], errText)
		}
	}
	return nil
}

// articleText lists an article's strings with their field names, for
// checkText.
func articleText(a *dossier.Article) []string {
	f := []string{"id", a.ID, "source", a.Source, "url", a.URL, "outlet", a.Outlet, "title", a.Title,
		"language", a.Language, "text", a.Text, "fingerprint", a.Fingerprint, "duplicate of", a.DuplicateOf, "story", a.StoryID}
	for _, l := range [][]string{a.Authors, a.Contacts, a.Captions} {
		for _, s := range l {
			f = append(f, "list item", s)
		}
	}
	for _, q := range a.Quotes {
		f = append(f, "quote", q.Text, "speaker", q.Speaker, "given", q.Given, "cue", q.Cue, "role", q.Role)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
