package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// encodeTime stores a time as its instant (unix nanoseconds, which sort and
// filter) and the offset it was stated in (seconds east of UTC), so that it
// reads back as the same instant in the same offset; the zero time
// (unknown) is NULL in both.
func encodeTime(t time.Time) (instant, offset any, err error) {
	if t.IsZero() {
		return nil, nil, nil
	}
	ns, off, err := store.Instant(t)
	if err != nil {
		return nil, nil, err
	}
	return ns, int64(off), nil
}

// decodeTime is the inverse of encodeTime.
func decodeTime(instant, offset sql.NullInt64) (time.Time, error) {
	if !instant.Valid {
		return time.Time{}, nil
	}
	return store.FromInstant(instant.Int64, int(offset.Int64))
}

// encodeText is a time as RFC 3339 text in its own offset, for columns
// only ever read whole (a move's time); zero is NULL.
func encodeText(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("time %v: year outside 0000-9999", t)
	}
	return t.Format(time.RFC3339Nano), nil
}

// decodeText is the inverse of encodeText.
func decodeText(s sql.NullString) (time.Time, error) {
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

// encodeComparison stores a comparison as deflated JSON: it is read whole,
// never queried inside.
func (p *packer) encodeComparison(c dossier.Comparison) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return p.pack(b)
}

func (p *packer) decodeComparison(b []byte) (*dossier.Comparison, error) {
	b, err := p.unpack(b)
	if err != nil {
		return nil, fmt.Errorf("decode comparison: %w", err)
	}
	var c dossier.Comparison
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode comparison: %w", err)
	}
	return &c, nil
}
