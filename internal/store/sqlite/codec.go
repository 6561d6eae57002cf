package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	dossier "github.com/dossiernews/dossier"
)

// encodeTime stores a time as RFC 3339 text with its offset, so that a
// publication time read back is the same instant in the same offset; the zero
// time (unknown) becomes NULL.
func encodeTime(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	// RFC 3339 has four-digit years only; anything else would not parse back.
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("time %v: year outside 0000-9999", t)
	}
	return t.Format(time.RFC3339Nano), nil
}

// decodeTime is the inverse of encodeTime.
func decodeTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s.String, err)
	}
	return t, nil
}

// encodeList stores a string list as a JSON array; an empty list is NULL.
func encodeList(xs []string) (any, error) {
	if len(xs) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(xs)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// decodeList is the inverse of encodeList; NULL gives a nil slice.
func decodeList(s sql.NullString) ([]string, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	var xs []string
	if err := json.Unmarshal([]byte(s.String), &xs); err != nil {
		return nil, fmt.Errorf("stored list %.40q: %w", s.String, err)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	return xs, nil
}

// nullIfEmpty maps "" to NULL, for optional foreign keys.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// encodeComparison stores a comparison as JSON: it is read whole, never
// queried inside.
func encodeComparison(c dossier.Comparison) ([]byte, error) {
	return json.Marshal(c)
}

func decodeComparison(b []byte) (*dossier.Comparison, error) {
	var c dossier.Comparison
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode comparison: %w", err)
	}
	return &c, nil
}
