package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Fingerprint returns the text fingerprint of the stored article id.
func (s *Store) Fingerprint(ctx context.Context, id string) (string, bool, error) {
	var fp string
	q, err := s.reader(ctx)
	if err != nil {
		return "", false, fmt.Errorf("sqlite: fingerprint of %s: %w", id, err)
	}
	err = q.QueryRowContext(ctx, `SELECT fingerprint FROM articles WHERE id = ?`, id).Scan(&fp)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("sqlite: fingerprint of %s: %w", id, err)
	}
	return fp, true, nil
}

// CanonicalByFingerprint returns the earliest stored article with fingerprint
// fp that is not itself a duplicate.
func (s *Store) CanonicalByFingerprint(ctx context.Context, fp string) (string, bool, error) {
	var id string
	q, err := s.reader(ctx)
	if err != nil {
		return "", false, fmt.Errorf("sqlite: canonical by fingerprint %s: %w", fp, err)
	}
	err = q.QueryRowContext(ctx, `SELECT id FROM articles
		WHERE fingerprint = ? AND duplicate_of = '' ORDER BY seq LIMIT 1`, fp).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("sqlite: canonical by fingerprint %s: %w", fp, err)
	}
	return id, true, nil
}

// Replay calls fn for every canonical article in ingest order. An error from
// fn stops the replay and is returned as is.
func (s *Store) Replay(ctx context.Context, fn func(store.Saved) error) error {
	q, err := s.reader(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: replay: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+savedColumns+`
		FROM articles WHERE duplicate_of = '' ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("sqlite: replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sv, err := s.scanSaved(rows)
		if err != nil {
			return fmt.Errorf("sqlite: replay: %w", err)
		}
		if err := fn(sv); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: replay: %w", err)
	}
	return nil
}

// HasLegacy reports whether some article has no source key.
func (s *Store) HasLegacy(ctx context.Context) (bool, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return false, fmt.Errorf("sqlite: legacy articles: %w", err)
	}
	var one int
	err = q.QueryRowContext(ctx, hasLegacyQuery).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("sqlite: legacy articles: %w", err)
	}
	return true, nil
}

// hasLegacyQuery reads the partial index articles_legacy, empty in a store
// made since source keys: a lookup, where a filter on source_key alone
// scans every article.
const hasLegacyQuery = `SELECT 1 FROM articles WHERE source_key = '' LIMIT 1`

const savedColumns = `id, COALESCE(story_id, ''), duplicate_of, signature, features, source_key, digest, COALESCE(furniture, '')`

func (s *Store) scanSaved(row interface{ Scan(...any) error }) (store.Saved, error) {
	var sv store.Saved
	var furniture string
	err := row.Scan(&sv.ID, &sv.StoryID, &sv.DuplicateOf, &sv.Signature, &sv.Features, &sv.SourceKey, &sv.Digest, &furniture)
	if err != nil {
		return sv, err
	}
	if sv.Furniture, err = store.DecodeFurniture(furniture); err != nil {
		return sv, fmt.Errorf("article %s: %w", sv.ID, err)
	}
	if sv.Features, err = s.pk.unpack(sv.Features); err != nil {
		return sv, fmt.Errorf("article %s: features: %w", sv.ID, err)
	}
	return sv, nil
}

// Saved returns the state of the stored article id, duplicate or not.
func (s *Store) Saved(ctx context.Context, id string) (store.Saved, bool, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return store.Saved{}, false, fmt.Errorf("sqlite: saved %s: %w", id, err)
	}
	sv, err := s.scanSaved(q.QueryRowContext(ctx, `SELECT `+savedColumns+` FROM articles WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.Saved{}, false, nil
	case err != nil:
		return store.Saved{}, false, fmt.Errorf("sqlite: saved %s: %w", id, err)
	}
	return sv, true, nil
}

// SavedMany returns the state of each stored article asked, reading one
// at a time: SQLite has no round trips to save.
func (s *Store) SavedMany(ctx context.Context, ids []string) (map[string]store.Saved, error) {
	out := make(map[string]store.Saved, len(ids))
	for _, id := range ids {
		sv, found, err := s.Saved(ctx, id)
		if err != nil {
			return nil, err
		}
		if found {
			out[id] = sv
		}
	}
	return out, nil
}

// CanonicalsByFingerprint returns each fingerprint's earliest original,
// reading one at a time.
func (s *Store) CanonicalsByFingerprint(ctx context.Context, fps []string) (map[string]string, error) {
	out := make(map[string]string, len(fps))
	for _, fp := range fps {
		id, found, err := s.CanonicalByFingerprint(ctx, fp)
		if err != nil {
			return nil, err
		}
		if found {
			out[fp] = id
		}
	}
	return out, nil
}

// Copies returns the articles stored as duplicates of id, in ingest order.
func (s *Store) Copies(ctx context.Context, id string) ([]string, error) {
	if id == "" {
		return nil, nil // canonical articles have duplicate_of ''
	}
	// The repeated condition lets SQLite use the partial index.
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copies of %s: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM articles
		WHERE duplicate_of = ? AND duplicate_of <> '' ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copies of %s: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("sqlite: copies of %s: %w", id, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: copies of %s: %w", id, err)
	}
	return out, nil
}

// Seen returns the article last stored from the document read under
// sourceKey, when its digest is still digest. An empty digest never
// matches: it says the bytes were not hashed.
func (s *Store) Seen(ctx context.Context, sourceKey, digest string) (string, bool, error) {
	if sourceKey == "" || digest == "" {
		return "", false, nil
	}
	var id string
	q, err := s.reader(ctx)
	if err != nil {
		return "", false, fmt.Errorf("sqlite: seen %q: %w", sourceKey, err)
	}
	err = q.QueryRowContext(ctx, `SELECT so.article_id FROM sources so
		JOIN articles a ON a.id = so.article_id
		WHERE so.key = ? AND so.digest = ?`, sourceKey, digest).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("sqlite: seen %q: %w", sourceKey, err)
	}
	return id, true, nil
}

// articleQuery reads articles joined with their quotes, one row per quote (or
// one row for an article without quotes), in ingest then quote order. The
// body is only sent on an article's first row: it is by far the largest
// column and the later rows only add a quote.
const articleQuery = `SELECT a.id, a.source, a.url, COALESCE(o.name, ''), a.title,
	a.authors, a.contacts, a.pub_ns, a.pub_off, a.language,
	CASE WHEN q.ordinal > 0 THEN NULL ELSE a.text END,
	a.captions, a.fingerprint, a.duplicate_of, a.similarity, COALESCE(a.story_id, ''), a.ing_ns, a.ing_off,
	a.mod_ns, a.mod_off,
	q.ordinal, q.text, COALESCE(sp.name, ''), q.start, q."end", q.cue, q.partial, q.role, q.given
FROM articles a
LEFT JOIN outlets o ON o.id = a.outlet_id
LEFT JOIN quotes q ON q.article_id = a.id
LEFT JOIN speakers sp ON sp.id = q.speaker_id`

// Article returns one article with its quotes, or an error wrapping
// store.ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (dossier.Article, error) {
	var found *dossier.Article
	err := s.scanArticles(ctx, articleQuery+` WHERE a.id = ? ORDER BY q.ordinal`, []any{id}, func(a dossier.Article) error {
		found = &a
		return nil
	})
	if err != nil {
		return dossier.Article{}, fmt.Errorf("sqlite: article %s: %w", id, err)
	}
	if found == nil {
		return dossier.Article{}, fmt.Errorf("sqlite: article %s: %w", id, store.ErrNotFound)
	}
	return *found, nil
}

// Articles calls fn for every article with its quotes, in ingest order,
// streaming from the database. An error from fn stops it and is returned as
// is. fn may read the store; it may also Put, but a Put made during the
// iteration is not seen by it.
func (s *Store) Articles(ctx context.Context, fn func(dossier.Article) error) error {
	err := s.scanArticles(ctx, articleQuery+` ORDER BY a.seq, q.ordinal`, nil, fn)
	var cb callbackError
	if errors.As(err, &cb) {
		return cb.err
	}
	if err != nil {
		return fmt.Errorf("sqlite: articles: %w", err)
	}
	return nil
}

// callbackError marks an error returned by the caller's function, which is
// passed back unwrapped.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }
func (e callbackError) Unwrap() error { return e.err }

// scanArticles groups the rows of an articleQuery into articles and calls fn
// on each once its last quote has been read.
func (s *Store) scanArticles(ctx context.Context, query string, args []any, fn func(dossier.Article) error) error {
	q, err := s.reader(ctx)
	if err != nil {
		return err
	}
	st, err := s.prepared(ctx, q, query)
	if err != nil {
		return err
	}
	return scanRows(ctx, st, args, fn)
}

// scanRows groups the rows of an articleQuery statement into articles, as
// Store.scanArticles does.
func scanRows(ctx context.Context, st stmtQuerier, args []any, fn func(dossier.Article) error) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		cur  dossier.Article
		have bool
	)
	for rows.Next() {
		var (
			id, source, url, outlet, title, language, fp, dupOf, storyID string
			authors, contacts, text, captions                            sql.NullString
			pubNs, pubOff, ingNs, ingOff, modNs, modOff                  sql.NullInt64
			similarity                                                   float64
			ordinal, qStart, qEnd                                        sql.NullInt64
			qText, qCue, qRole, qGiven                                   sql.NullString
			qSpeaker                                                     string
			qPartial                                                     sql.NullBool
		)
		err := rows.Scan(&id, &source, &url, &outlet, &title, &authors, &contacts, &pubNs, &pubOff, &language,
			&text, &captions, &fp, &dupOf, &similarity, &storyID, &ingNs, &ingOff, &modNs, &modOff,
			&ordinal, &qText, &qSpeaker, &qStart, &qEnd, &qCue, &qPartial, &qRole, &qGiven)
		if err != nil {
			return err
		}
		if !have || id != cur.ID {
			if have {
				if err := fn(cur); err != nil {
					return callbackError{err}
				}
			}
			cur = dossier.Article{
				ID: id, Source: source, URL: url, Outlet: outlet, Title: title, Language: language,
				Text: text.String, Fingerprint: fp, DuplicateOf: dupOf, Similarity: similarity, StoryID: storyID,
			}
			have = true
			if cur.Authors, err = decodeList(authors); err != nil {
				return fmt.Errorf("article %s: authors: %w", id, err)
			}
			if cur.Contacts, err = decodeList(contacts); err != nil {
				return fmt.Errorf("article %s: contacts: %w", id, err)
			}
			if cur.Captions, err = decodeList(captions); err != nil {
				return fmt.Errorf("article %s: captions: %w", id, err)
			}
			if cur.Published, err = decodeTime(pubNs, pubOff); err != nil {
				return fmt.Errorf("article %s: published: %w", id, err)
			}
			if cur.IngestedAt, err = decodeTime(ingNs, ingOff); err != nil {
				return fmt.Errorf("article %s: ingested at: %w", id, err)
			}
			if cur.Modified, err = decodeTime(modNs, modOff); err != nil {
				return fmt.Errorf("article %s: modified: %w", id, err)
			}
		}
		if ordinal.Valid {
			q := dossier.Quote{
				Text: qText.String, Speaker: qSpeaker, Start: int(qStart.Int64), End: int(qEnd.Int64),
				Cue: qCue.String, Partial: qPartial.Bool, Role: qRole.String,
			}
			if g := qGiven.String; g != qSpeaker {
				q.Given = g
			}
			cur.Quotes = append(cur.Quotes, q)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if have {
		if err := fn(cur); err != nil {
			return callbackError{err}
		}
	}
	return nil
}
